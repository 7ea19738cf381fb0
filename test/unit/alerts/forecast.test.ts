import { describe, expect, it } from 'vitest';
import { composeDigest, digestDue } from '#domain/alert-digest.ts';
import { alertId, emptyCounts, runOutcomeAlert } from '#domain/alerts.ts';
import { CHURN_CAP, expectAgencies, expectedCredits, fundingLine, projectPool } from '#domain/forecast.ts';
import type { Tier } from '#domain/model.ts';
import { defaultRateTable, rateFor } from '#domain/rates.ts';

const rate = (tier: Tier) => rateFor(defaultRateTable, tier, '2026-04');
const credit = (agency: string, period: string, total: number, rows: number) => ({
  agency,
  period,
  total,
  rows,
});

describe('expected credits', () => {
  it('averages the last 3 periods from the agency’s first one, a missing period counting 0', () => {
    const history = [
      credit('A', '2026-01', 300, 3),
      credit('A', '2026-02', 300, 3),
      credit('A', '2026-03', 300, 3),
      credit('B', '2026-01', 600, 6), // stopped after January
      credit('C', '2026-03', 90, 1), // new in March
    ];
    const byAgency = Object.fromEntries(expectAgencies(history, '2026-04').map((e) => [e.agency, e.base]));
    expect(byAgency).toEqual({ A: 300, B: 200, C: 90 });
  });

  it('applies the donor-row drop as churn, capped, compounding month by month', () => {
    const [mild] = expectAgencies(
      [credit('A', '2026-02', 1000, 100), credit('A', '2026-03', 950, 95)],
      '2026-04',
    );
    expect(mild?.churn).toBeCloseTo(0.05);
    const [steep] = expectAgencies(
      [credit('A', '2026-02', 1000, 100), credit('A', '2026-03', 500, 50)],
      '2026-04',
    );
    expect(steep?.churn).toBe(CHURN_CAP);
    const [grow] = expectAgencies(
      [credit('A', '2026-02', 1000, 10), credit('A', '2026-03', 2000, 20)],
      '2026-04',
    );
    expect(grow?.churn).toBe(0);
    if (!steep) throw new Error('no expectation');
    // base 750; ×0.9, ×0.81, ×0.729 (floored)
    expect(expectedCredits([steep], new Set(), { months: 3 })).toEqual([675, 607, 546]);
    expect(expectedCredits([steep], new Set(['A']), { months: 2 })).toEqual([0, 607]);
    expect(expectedCredits([steep], new Set(), { months: 2, startClosed: true })).toEqual([0, 607]);
  });
});

describe('funding line', () => {
  const groups = [
    { unpaidStreak: 0, paidThrough: '2026-03', tier: 'JKK_JKM' as const, count: 5 },
    { unpaidStreak: 1, paidThrough: '2026-02', tier: 'JKK_JKM_JHT' as const, count: 2 },
  ];
  it('funds the most unpaid first, then splits the boundary group (never optimistic)', () => {
    const line = fundingLine(groups, 2 * 36_800 + 3 * 16_800 + 100, rate);
    expect(line).toMatchObject({
      allFunded: false,
      active: 7,
      fundable: 5,
      boundaryBudget: 3 * 16_800 + 100,
    });
    expect(line.boundaryKey).toBe('9#2026-03');
    expect(fundingLine(groups, 10 * 36_800, rate)).toMatchObject({ allFunded: true, fundable: 7 });
  });

  it('projects the balance and counts the runway in fully funded months', () => {
    const f = projectPool({
      start: '2026-04',
      openingBalance: 2 * 16_800 + 500,
      expected: [0, 16_800, 33_600, 0],
      groups: [{ unpaidStreak: 0, paidThrough: '2026-03', tier: 'JKK_JKM', count: 2 }],
      rateOf: (tier, month) => rateFor(defaultRateTable, tier, month),
    });
    expect(
      f.months.map((m) => [m.month, m.opening, m.expectedCredits, m.cost, m.closing, m.fundable]),
    ).toEqual([
      ['2026-04', 34_100, 0, 33_600, 500, 2],
      ['2026-05', 500, 16_800, 33_600, 500, 1],
      ['2026-06', 500, 33_600, 33_600, 500, 2],
      ['2026-07', 500, 0, 33_600, 500, 0],
    ]);
    expect(f.runwayMonths).toBe(1);
  });
});

describe('alerts and digest', () => {
  const rec = (over: object) => ({
    nik: '1504010101900001',
    tier: 'JKK_JKM' as const,
    month: '2026-03',
    status: 'ACTIVE' as const,
    paidThrough: '2026-02',
    unpaidStreak: 1,
    prior: { status: 'ACTIVE' as const, paidThrough: '2026-02', unpaidStreak: 0 },
    ...over,
  });
  it('reads UNFUNDED and LAPSED only from records the latest run decided', () => {
    expect(runOutcomeAlert('15.04', rec({}), '2026-03')?.id).toBe('UNFUNDED#15.04#1504010101900001#2026-03');
    expect(runOutcomeAlert('15.04', rec({}), '2026-04')).toBeUndefined();
    expect(
      runOutcomeAlert('15.04', rec({ unpaidStreak: 0, paidThrough: '2026-03' }), '2026-03'),
    ).toBeUndefined();
    expect(runOutcomeAlert('15.04', rec({ status: 'LAPSED', unpaidStreak: 3 }), '2026-03')).toMatchObject({
      kind: 'LAPSED',
      severity: 'CRITICAL',
    });
    expect(alertId('RUNWAY_LOW', '15.04', '15.04', '2026-03')).toBe('RUNWAY_LOW#15.04#2026-03');
  });

  it('sends a digest when something is new or the open counts moved, in Indonesian first', () => {
    const counts = { ...emptyCounts(), UNFUNDED: { new: 0, open: 1200 } };
    const open = {
      ALLOCATION_STALLED: 0,
      ALLOCATION_LATE: 0,
      LAPSED: 0,
      AT_RISK: 0,
      UNFUNDED: 1200,
      FILE_MISSING: 0,
      RUNWAY_LOW: 0,
      PAYMENT_UNCONFIRMED: 0,
    };
    expect(digestDue(counts, open)).toBe(false);
    expect(digestDue(counts, { ...open, UNFUNDED: 1201 })).toBe(true);
    expect(digestDue({ ...counts, LAPSED: { new: 1, open: 1 } }, open)).toBe(true);
    const msg = composeDigest({
      pool: '15.04',
      date: '2026-03-12',
      counts,
      yesterday: { ...open, UNFUNDED: 1000 },
      urgent: [],
      names: new Map(),
      severity: 'WARNING',
      csvUri: 's3://r/reports/alerts/15.04/2026-03-12.csv',
    });
    expect(msg.body.indexOf('12 Maret 2026')).toBeLessThan(msg.body.indexOf('--- English ---'));
    expect(msg.body).toContain('1.200 terbuka, 0 baru, +200 dari kemarin');
    expect(msg.attributes).toEqual({
      pool: '15.04',
      kinds: ['UNFUNDED'],
      severity: 'WARNING',
      digestId: 'digest-15.04-2026-03-12',
    });
  });
});
