import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import {
  balanceAsOf,
  donorShares,
  hundredthsToDecimal,
  largestRemainder,
  monthFunding,
  reconcileMonth,
} from '#domain/statements.ts';
import { runRecord } from '#test/support/run-records.ts';

const weightsArb = fc.uniqueArray(
  fc.record({ key: fc.stringMatching(/^[0-9]{4}$/), weight: fc.integer({ min: 0, max: 10_000_000 }) }),
  { selector: (w) => w.key, maxLength: 60 },
);

describe('largestRemainder', () => {
  it('splits 100 among 3 equal weights as 34/33/33, the extra unit to the smaller key', () => {
    const out = largestRemainder(100, [
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
      { key: 'c', weight: 1 },
    ]);
    expect(Object.fromEntries(out)).toEqual({ a: 34, b: 33, c: 33 });
  });

  it('hands leftover units to the largest remainders first', () => {
    // 10·{5,3,2}/10 exact; 7·{5,3,2}/10 = 3.5, 2.1, 1.4 → floors 3,2,1 (6), one unit left to 3.5
    const out = largestRemainder(7, [
      { key: 'x', weight: 5 },
      { key: 'y', weight: 3 },
      { key: 'z', weight: 2 },
    ]);
    expect(Object.fromEntries(out)).toEqual({ x: 4, y: 2, z: 1 });
  });

  it('gives everyone 0 when all weights are 0', () => {
    expect([...largestRemainder(50, [{ key: 'a', weight: 0 }]).values()]).toEqual([0]);
  });

  it('rejects negative or fractional totals and weights', () => {
    expect(() => largestRemainder(-1, [])).toThrow(RangeError);
    expect(() => largestRemainder(1.5, [])).toThrow(RangeError);
    expect(() => largestRemainder(1, [{ key: 'a', weight: -3 }])).toThrow(RangeError);
  });

  it('always sums exactly to the total and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), weightsArb, (total, weights) => {
        const out = largestRemainder(total, weights);
        const sum = weights.reduce((s, w) => s + w.weight, 0);
        const given = [...out.values()].reduce((s, v) => s + v, 0);
        expect(given).toBe(sum === 0 ? 0 : total);
        for (const w of weights) {
          const exact = sum === 0 ? 0 : (total * w.weight) / sum;
          const got = out.get(w.key) ?? Number.NaN;
          expect(got).toBeGreaterThanOrEqual(Math.floor(exact) - 1e-6 - (exact > 2 ** 50 ? 1 : 0));
          expect(got).toBeLessThanOrEqual(Math.ceil(exact) + 1e-6 + (exact > 2 ** 50 ? 1 : 0));
        }
      }),
    );
  });

  it('does not depend on the order of the weights', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), weightsArb, (total, weights) => {
        const a = largestRemainder(total, weights);
        const b = largestRemainder(total, [...weights].reverse());
        expect(Object.fromEntries(b)).toEqual(Object.fromEntries(a));
      }),
    );
  });
});

describe('monthFunding and donorShares', () => {
  it('attributes payroll first, the rest to grants and carried balance', () => {
    const f = monthFunding({ month: '2026-01', allocated: 168_000, funded: 10, netPayroll: 100_800 });
    expect(f).toMatchObject({ payrollFunded: 100_800, otherFunded: 67_200, payrollWorkerMonths100: 600 });
    const surplus = monthFunding({ month: '2026-01', allocated: 33_600, funded: 2, netPayroll: 500_000 });
    expect(surplus).toMatchObject({ payrollFunded: 33_600, otherFunded: 0, payrollWorkerMonths100: 200 });
  });

  it('gives donors shares that sum exactly to the payroll-funded rupiah and worker-months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        (funded, amounts, extraFactor) => {
          const nets = amounts.map((net, i) => ({ key: String(i).padStart(3, '0'), net }));
          const netPayroll = amounts.reduce((s, a) => s + a, 0);
          const allocated = funded * 16_800;
          const f = monthFunding({
            month: '2026-02',
            allocated,
            funded,
            netPayroll: netPayroll * extraFactor,
          });
          const shares = donorShares(f, nets);
          const rupiah = shares.reduce((s, d) => s + d.rupiah, 0);
          const months = shares.reduce((s, d) => s + d.workerMonths100, 0);
          const anyWeight = netPayroll > 0;
          expect(rupiah).toBe(anyWeight ? f.payrollFunded : 0);
          expect(months).toBe(anyWeight ? f.payrollWorkerMonths100 : 0);
          expect(f.payrollFunded + f.otherFunded).toBe(allocated);
        },
      ),
    );
  });

  it('weighs a negative net as zero', () => {
    const f = monthFunding({ month: '2026-02', allocated: 1_000, funded: 1, netPayroll: 1_000 });
    const shares = donorShares(f, [
      { key: 'a', net: -500 },
      { key: 'b', net: 1_500 },
    ]);
    expect(shares.map((s) => s.rupiah)).toEqual([0, 1_000]);
  });

  it('formats hundredths with two decimals', () => {
    expect([hundredthsToDecimal(1234), hundredthsToDecimal(5), hundredthsToDecimal(0)]).toEqual([
      '12.34',
      '0.05',
      '0.00',
    ]);
  });
});

const run = runRecord;

const cursor = (allocated: number, funded: number, extra: Partial<RunRecord['cursor']> = {}) => ({
  ...run({ month: '2026-01', seq: 1 }).cursor,
  allocated,
  funded,
  ...extra,
});

describe('reconcileMonth and balanceAsOf', () => {
  // Jan: 100,000 payroll + 50,000 grant, allocates 84,000. Feb: +60,000 payroll, −2,000 correction,
  // run 1 allocates 100,800; a re-run after 20,000 more allocates 16,800.
  const history = [
    run({
      month: '2026-01',
      seq: 1,
      credits: { deductions: 100_000, corrections: 0, grants: 50_000 },
      available: 150_000,
      cursor: cursor(84_000, 5),
    }),
    run({
      month: '2026-02',
      seq: 1,
      credits: { deductions: 160_000, corrections: -2_000, grants: 50_000 },
      allocatedBefore: 84_000,
      previousClosing: 66_000,
      available: 124_000,
      cursor: cursor(100_800, 6, { unfunded: 2, lapsed: 0, waitlistSkipped: 3 }),
    }),
    run({
      month: '2026-02',
      seq: 2,
      credits: { deductions: 180_000, corrections: -2_000, grants: 50_000 },
      allocatedBefore: 184_800,
      previousClosing: 23_200,
      available: 43_200,
      completedAt: '2026-02-20T00:00:00.000Z',
      cursor: cursor(16_800, 1, { unfunded: 1, lapsed: 0, waitlistSkipped: 3 }),
    }),
  ];

  it('balances a month of two runs to the rupiah', () => {
    const r = reconcileMonth(history, '2026-02');
    expect(r).toMatchObject({
      opening: 66_000,
      credits: { deductions: 80_000, corrections: -2_000, grants: 0, total: 78_000 },
      allocated: 117_600,
      closing: 26_400,
      balanced: true,
      workers: { funded: 7, unfunded: 1, waitlisted: 3 },
      runs: ['15.04/2026-02/001', '15.04/2026-02/002'],
    });
    expect(reconcileMonth(history, '2026-03')).toBeUndefined();
  });

  it('flags a history that does not balance', () => {
    const broken = history.map((h) => (h.seq === 2 ? { ...h, available: h.available + 1 } : h));
    expect(reconcileMonth(broken, '2026-02')?.balanced).toBe(false);
  });

  it('shows the pool as it stood at a past instant', () => {
    const credits = [
      { period: '2026-01', deductions: 100_000, corrections: 0, grants: 50_000, deductionRows: 5 },
      { period: '2026-02', deductions: 60_000, corrections: -2_000, grants: 0, deductionRows: 3 },
    ];
    const b = balanceAsOf(credits, history, new Date('2026-02-15T00:00:00Z'));
    expect(b).toMatchObject({
      allocated: 184_800,
      balance: 208_000 - 184_800,
      lastMonth: '2026-02',
      fundedLastMonth: 6,
      months: 2,
      futureCredits: 0,
    });
    const jan = balanceAsOf(credits.slice(0, 1), history, new Date('2026-01-31T00:00:00Z'));
    expect(jan).toMatchObject({ allocated: 84_000, balance: 66_000, lastRun: '15.04/2026-01/001' });
  });
});
