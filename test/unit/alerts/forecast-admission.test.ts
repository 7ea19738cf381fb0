/**
 * One model of expected credits (docs/one-truth.md): the forecast's headline expects what the
 * sustainable-admission rule expected (the mean net payroll credit of the last up-to-3 periods), so the
 * workers a run admitted as sustainable for the pool's 12-month horizon are all funded by the forecast
 * made right after that run. The per-agency trend, which fades falling payroll, stands beside it.
 */
import { describe, expect, it } from 'vitest';
import { POOL, scanWorld } from './scan-fixture.ts';

describe('forecast headline = admission rule', () => {
  it('keeps every worker the run admitted funded for the horizon; the trend view may not', async () => {
    const w = scanWorld({ chunkSize: 50 });
    for (let n = 1; n <= 10; n++) w.enrol(n);
    // Donors leave every month (the trend's churn), and the payroll falls with them.
    const payroll = [
      ['2026-08', 600_000, 100],
      ['2026-09', 550_000, 90],
      ['2026-10', 500_000, 80],
    ] as const;
    for (const [m, total, rows] of payroll) {
      // Fifty more workers wait for October's run.
      if (m === '2026-10') for (let n = 11; n <= 60; n++) w.enrol(n, 'JKK_JKM', '2026-10-01');
      w.payroll('A', m, total, rows);
      w.at(`${m}-10`, 6);
      await w.runMonth(m);
    }
    const runs = await w.log.listRuns(POOL);
    const october = runs.at(-1);
    expect(october?.month).toBe('2026-10');
    // October's run admitted workers as sustainable for its 12-month horizon.
    expect(october?.cursor.admitted).toBeGreaterThan(0);

    w.at('2026-10-11');
    const f = await w.forecast({ pool: POOL, date: '2026-10-11' });
    const c = Math.floor((october?.recurring.sum ?? 0) / (october?.recurring.periods ?? 1));
    // The headline expects the run's own C every month after the coming one...
    expect(f.model).toBe('ADMISSION_MEAN_3');
    expect(f.months.slice(1).map((m) => m.expectedCredits)).toEqual(Array(11).fill(c));
    // ...so everyone active after October stays funded for the rest of the horizon (November to
    // September: the 11 months after October that the rule promised).
    expect(f.months[0]?.active).toBe(october?.cursor.funded);
    expect(f.runwayMonths).toBeGreaterThanOrEqual(11);
    // The trend fades the shrinking agency and stops covering everyone much earlier: shown beside it.
    expect(f.trend.months[1]?.expectedCredits).toBeLessThan(c);
    expect(f.trend.runwayMonths).toBeLessThan(11);
  });
});
