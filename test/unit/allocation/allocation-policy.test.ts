import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  planRun,
  recurringCredit,
  startCursor,
  sustainable,
  type WalkContext,
  walkChunk,
} from '#domain/allocation-policy.ts';
import type { CoverageState } from '#domain/coverage.ts';
import type { Tier } from '#domain/model.ts';

const RATES: Record<Tier, number> = { JKK_JKM: 16_800, JKK_JKM_JHT: 36_800 };
const ctx = (over: Partial<WalkContext> = {}): WalkContext => ({
  month: '2026-03',
  rateOf: (t) => RATES[t],
  horizonMonths: 12,
  recurring: { sum: 0, periods: 0 },
  ...over,
});
const waitlisted: CoverageState = { status: 'WAITLISTED', unpaidStreak: 0 };
const active = (unpaidStreak = 0, paidThrough = '2026-02'): CoverageState => ({
  status: 'ACTIVE',
  paidThrough,
  unpaidStreak,
});
const worker = (nik: string, over: Partial<Candidate> = {}): Candidate => ({
  nik,
  tier: 'JKK_JKM',
  enrolledOn: '2026-01-05',
  before: waitlisted,
  earmarked: false,
  fundedEarlier: false,
  ...over,
});

const runAll = (candidates: Candidate[], available: number, c = ctx()) => {
  const plan = planRun(candidates);
  return walkChunk(plan.entries, startCursor(available, plan, c), c);
};

describe('planRun order', () => {
  it('puts earmarks first, then active by risk, then the waitlist by enrolment date and NIK', () => {
    // prepare
    const ws = [
      worker('w-late', { enrolledOn: '2026-02-01' }),
      worker('w-early', { enrolledOn: '2025-12-01' }),
      worker('a-safe', { before: active(0, '2026-02') }),
      worker('a-risk2', { before: active(2, '2025-12') }),
      worker('a-risk1-old', { before: active(1, '2025-11') }),
      worker('a-risk1-new', { before: active(1, '2026-01') }),
      worker('e-1', { earmarked: true, before: active(0) }),
    ];
    // act
    const plan = planRun(ws);
    // assess
    expect(plan.entries.map((e) => `${e.priority}:${e.nik}`)).toEqual([
      'EARMARK:e-1',
      'ACTIVE:a-risk2',
      'ACTIVE:a-risk1-old',
      'ACTIVE:a-risk1-new',
      'ACTIVE:a-safe',
      'WAITLIST:w-early',
      'WAITLIST:w-late',
    ]);
  });
});

describe('walk on hand-computed cases', () => {
  it('funds mixed tiers with exactly enough money and leaves 0', () => {
    const ws = [
      worker('a1', { before: active(), tier: 'JKK_JKM_JHT' }),
      worker('a2', { before: active() }),
      worker('a3', { before: active() }),
    ];
    const { decisions, cursor } = runAll(ws, 36_800 + 2 * 16_800);
    expect(decisions.every((d) => d.funded)).toBe(true);
    expect(cursor).toMatchObject({ balance: 0, funded: 3, allocated: 70_400, unfunded: 0 });
  });

  it('one rupiah short skips the expensive worker and still funds a cheaper one later (first fit)', () => {
    const ws = [
      worker('a1', { before: active(1, '2026-01'), tier: 'JKK_JKM_JHT' }),
      worker('a2', { before: active(0) }),
    ];
    const { decisions, cursor } = runAll(ws, 36_800 - 1);
    expect(decisions.map((d) => [d.entry.nik, d.funded, d.after.unpaidStreak])).toEqual([
      ['a1', false, 2],
      ['a2', true, 0],
    ]);
    expect(cursor.balance).toBe(36_799 - 16_800);
    expect(cursor.unfunded).toBe(1);
  });

  it('lapses an active worker at the 3rd consecutive unpaid month', () => {
    const { decisions, cursor } = runAll([worker('a1', { before: active(2, '2025-12') })], 0);
    expect(decisions[0]?.after).toEqual({ status: 'LAPSED', paidThrough: '2025-12', unpaidStreak: 3 });
    expect(cursor.lapsed).toBe(1);
  });

  it('re-queues a lapsed worker on the waitlist and funds them as a waitlist admission', () => {
    const lapsed: CoverageState = { status: 'LAPSED', paidThrough: '2025-10', unpaidStreak: 3 };
    const plan = planRun([worker('l1', { before: lapsed })]);
    expect(plan.entries[0]?.priority).toBe('WAITLIST');
    const { decisions } = runAll([worker('l1', { before: lapsed })], 12 * 16_800);
    expect(decisions[0]?.after).toEqual({ status: 'ACTIVE', paidThrough: '2026-03', unpaidStreak: 0 });
  });

  it('funds an earmarked waitlisted worker even when not sustainable', () => {
    const { decisions } = runAll([worker('e1', { earmarked: true })], 16_800);
    expect(decisions[0]?.funded).toBe(true);
  });

  it('never refuses an active worker for sustainability', () => {
    const { decisions } = runAll([worker('a1', { before: active() })], 16_800);
    expect(decisions[0]?.funded).toBe(true);
  });

  it('admits 49 workers from a one-off Rp10,000,000 grant at Rp16,800 (the worked example of docs/design.md)', () => {
    const ws = Array.from({ length: 80 }, (_, i) => worker(`w${String(i).padStart(3, '0')}`));
    const { cursor } = runAll(ws, 10_000_000);
    expect(cursor.admitted).toBe(49);
    expect(cursor.waitlistSkipped).toBe(31);
    // ...and those 49 are covered for all 12 months: 12 × 49 × 16,800 ≤ 10,000,000.
    expect(12 * 49 * 16_800).toBeLessThanOrEqual(10_000_000);
  });

  it('counts recurring payroll credit when admitting', () => {
    // C = 16,800/month exactly sustains one more worker with almost no reserve.
    const c = ctx({ recurring: { sum: 3 * 16_800, periods: 3 } });
    const { cursor } = runAll([worker('w1'), worker('w2')], 16_800, c);
    expect(cursor.admitted).toBe(1);
  });

  it('counts already-funded workers in need without spending on them', () => {
    const earlier = worker('f1', { fundedEarlier: true, before: active() });
    const plan = planRun([earlier, worker('w1')]);
    expect(plan.entries.map((e) => e.nik)).toEqual(['w1']);
    const start = startCursor(12 * 16_800, plan, ctx());
    expect(start.need).toBe(16_800);
    // Needs 11·(16,800 + 16,800) + 16,800 = 386,400 to carry both; 201,600 is not enough.
    expect(walkChunk(plan.entries, start, ctx()).cursor.admitted).toBe(0);
  });
});

describe('sustainable', () => {
  it('matches the formula at the boundary', () => {
    const c = ctx();
    // available − r ≥ 11·(need + r) with need 0: available ≥ 12·r.
    expect(sustainable(12 * 16_800, 16_800, 0, c)).toBe(true);
    expect(sustainable(12 * 16_800 - 1, 16_800, 0, c)).toBe(false);
  });
});

describe('recurringCredit', () => {
  const prev = (p: string) => {
    const [y, m] = p.split('-').map(Number) as [number, number];
    return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  };
  it('takes the last up-to-3 periods counted from the first payroll period', () => {
    const credits = new Map([
      ['2026-01', 100],
      ['2026-02', 200],
      ['2026-04', 400],
      ['2026-05', 999],
    ]);
    expect(recurringCredit(credits, '2026-01', prev)).toEqual({ sum: 100, periods: 1 });
    expect(recurringCredit(credits, '2026-02', prev)).toEqual({ sum: 300, periods: 2 });
    // 2026-03 had no payroll: it still counts as a period with 0.
    expect(recurringCredit(credits, '2026-04', prev)).toEqual({ sum: 600, periods: 3 });
    expect(recurringCredit(new Map(), '2026-04', prev)).toEqual({ sum: 0, periods: 0 });
  });
});
