import { afterMonth, type CoverageState } from '#domain/coverage.ts';
import type { IsoDate, Period, PriorityClass, Rupiah, Tier } from '#domain/model.ts';

/**
 * The allocation and renewal policy (docs/design.md#allocation-policy), as pure functions so finance can audit it and
 * tests can check it exhaustively.
 *
 * A run for coverage month M has two halves:
 *  - `planRun` orders every fundable worker of the pool once, at the start of the run:
 *    earmarked in M, then active by risk, then the waitlist;
 *  - `walkChunk` walks a slice of that order with a cursor (running balance, the monthly cost `need`
 *    of the workers that stay active), funding first-fit. Chunks are walked strictly in order, so
 *    walking the plan in any chunking gives exactly the result of one walk over all of it.
 */

export type Candidate = {
  readonly nik: string;
  readonly tier: Tier;
  readonly enrolledOn: IsoDate;
  /** Coverage state at the start of M (see coverage.ts `stateBefore`). */
  readonly before: CoverageState;
  /** Named by an earmark in M's deductions. */
  readonly earmarked: boolean;
  /** An earlier run already funded M for this worker: it costs nothing now but counts in `need`. */
  readonly fundedEarlier: boolean;
  /** Carried for the BPJS bill; the policy never looks at them. */
  readonly name?: string;
  readonly kpj?: string;
};

export type PlanEntry = Candidate & { readonly priority: PriorityClass };

export type Plan = {
  readonly entries: readonly PlanEntry[];
  /** Workers already funded for M by an earlier run: their rates seed `need`. */
  readonly fundedEarlier: readonly Candidate[];
};

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most at risk first: more consecutive unpaid months, then earlier paid-through, then enrolment, then NIK. */
export function compareActive(a: Candidate, b: Candidate): number {
  return (
    b.before.unpaidStreak - a.before.unpaidStreak ||
    byText(a.before.paidThrough ?? '', b.before.paidThrough ?? '') ||
    byText(a.enrolledOn, b.enrolledOn) ||
    byText(a.nik, b.nik)
  );
}

/** Waitlist (and earmarks among themselves): enrolment date, then NIK. */
export function compareQueue(a: Candidate, b: Candidate): number {
  return byText(a.enrolledOn, b.enrolledOn) || byText(a.nik, b.nik);
}

/**
 * Whether a worker is fundable for coverage month M (docs/design.md#the-month-a-worker-leaves): from the
 * month of their enrolment date through the month that contains their exit date, never a month after.
 * The exit date (`tanggal_keluar`, Asia/Jakarta calendar date) is the last day the worker is a member,
 * so the month it falls in is still owed in full: BPU contributions are whole months (no pro-rating),
 * and BPJS refunds only the months after the month of a claim. Dates are `YYYY-MM-DD`, M is `YYYY-MM`.
 */
export function fundableIn(
  worker: { readonly enrolledOn: IsoDate; readonly exitedOn?: IsoDate | undefined },
  month: Period,
): boolean {
  if (worker.enrolledOn.slice(0, 7) > month) return false;
  return worker.exitedOn === undefined || worker.exitedOn.slice(0, 7) >= month;
}

/** Orders the pool's fundable workers (see `fundableIn`) for one run. */
export function planRun(candidates: Iterable<Candidate>): Plan {
  const earmark: Candidate[] = [];
  const active: Candidate[] = [];
  const waitlist: Candidate[] = [];
  const fundedEarlier: Candidate[] = [];
  for (const c of candidates) {
    if (c.fundedEarlier) fundedEarlier.push(c);
    else if (c.earmarked) earmark.push(c);
    else if (c.before.status === 'ACTIVE') active.push(c);
    else waitlist.push(c);
  }
  earmark.sort(compareQueue);
  active.sort(compareActive);
  waitlist.sort(compareQueue);
  const tag = (priority: PriorityClass) => (c: Candidate) => ({ ...c, priority });
  return {
    entries: [...earmark.map(tag('EARMARK')), ...active.map(tag('ACTIVE')), ...waitlist.map(tag('WAITLIST'))],
    fundedEarlier,
  };
}

/**
 * Expected monthly recurring credit C as an exact fraction (sum / periods), so the sustainability test
 * stays in integer arithmetic: the mean net payroll credit of the last up-to-3 periods <= M, counted
 * from the pool's first payroll period. Grants are one-off and excluded.
 */
export type RecurringCredit = { readonly sum: Rupiah; readonly periods: number };

export function recurringCredit(
  payrollByPeriod: ReadonlyMap<Period, Rupiah>,
  month: Period,
  previous: (p: Period) => Period,
): RecurringCredit {
  const periods = [...payrollByPeriod.keys()].filter((p) => p <= month).sort();
  const first = periods[0];
  if (first === undefined) return { sum: 0, periods: 0 };
  let sum = 0;
  let count = 0;
  for (let p = month; count < 3 && p >= first; p = previous(p)) {
    sum += payrollByPeriod.get(p) ?? 0;
    count++;
  }
  return { sum, periods: count };
}

export type WalkContext = {
  /** Coverage month M being funded. */
  readonly month: Period;
  readonly rateOf: (tier: Tier) => Rupiah;
  /** Commitment horizon H in months (default 12, per pool). */
  readonly horizonMonths: number;
  readonly recurring: RecurringCredit;
};

export type WalkCursor = {
  /** Money left to allocate in this run. */
  readonly balance: Rupiah;
  /** Monthly cost of every worker that stays active after this run, as far as the walk has seen. */
  readonly need: Rupiah;
  readonly funded: number;
  readonly allocated: Rupiah;
  readonly unfunded: number;
  readonly lapsed: number;
  readonly admitted: number;
  readonly waitlistSkipped: number;
};

export const startCursor = (
  available: Rupiah,
  plan: Pick<Plan, 'fundedEarlier'>,
  ctx: WalkContext,
): WalkCursor => ({
  balance: available,
  need: plan.fundedEarlier.reduce((sum, c) => sum + ctx.rateOf(c.tier), 0),
  funded: 0,
  allocated: 0,
  unfunded: 0,
  lapsed: 0,
  admitted: 0,
  waitlistSkipped: 0,
});

export type Decision = {
  readonly entry: PlanEntry;
  readonly funded: boolean;
  readonly amount: Rupiah;
  readonly after: CoverageState;
  /** Why a worker was not funded, for the run log. */
  readonly reason?: 'INSUFFICIENT_BALANCE' | 'NOT_SUSTAINABLE';
};

/**
 * Admitting waitlisted x at rate r is sustainable when, after paying r now, the pool can still carry
 * every active worker plus x for H months: available − r + (H−1)·C ≥ (H−1)·(need + r).
 * With C = sum/k: k·(available − r) + (H−1)·sum ≥ k·(H−1)·(need + r); with no payroll yet (k = 0)
 * the test is available − r ≥ (H−1)·(need + r).
 */
export function sustainable(balance: Rupiah, rate: Rupiah, need: Rupiah, ctx: WalkContext): boolean {
  const h1 = ctx.horizonMonths - 1;
  const { sum, periods } = ctx.recurring;
  if (periods === 0) return balance - rate >= h1 * (need + rate);
  return periods * (balance - rate) + h1 * sum >= periods * h1 * (need + rate);
}

/** Walks one slice of the plan, in order, from `cursor`. Pure: same inputs, same decisions. */
export function walkChunk(
  entries: readonly PlanEntry[],
  cursor: WalkCursor,
  ctx: WalkContext,
): { decisions: Decision[]; cursor: WalkCursor } {
  let c = { ...cursor };
  const decisions: Decision[] = [];
  for (const entry of entries) {
    const rate = ctx.rateOf(entry.tier);
    const affordable = c.balance >= rate;
    const fund =
      entry.priority === 'WAITLIST' ? affordable && sustainable(c.balance, rate, c.need, ctx) : affordable;
    if (fund) {
      const after = afterMonth(entry.before, true, ctx.month);
      c = {
        ...c,
        balance: c.balance - rate,
        need: c.need + rate,
        funded: c.funded + 1,
        allocated: c.allocated + rate,
        admitted: c.admitted + (entry.priority === 'WAITLIST' ? 1 : 0),
      };
      decisions.push({ entry, funded: true, amount: rate, after });
      continue;
    }
    const after = afterMonth(entry.before, false);
    const wasActive = entry.before.status === 'ACTIVE';
    const stillActive = after.status === 'ACTIVE';
    c = {
      ...c,
      need: c.need + (stillActive ? rate : 0),
      unfunded: c.unfunded + (wasActive ? 1 : 0),
      lapsed: c.lapsed + (wasActive && after.status === 'LAPSED' ? 1 : 0),
      waitlistSkipped: c.waitlistSkipped + (entry.priority === 'WAITLIST' ? 1 : 0),
    };
    decisions.push({
      entry,
      funded: false,
      amount: 0,
      after,
      reason: affordable ? 'NOT_SUSTAINABLE' : 'INSUFFICIENT_BALANCE',
    });
  }
  return { decisions, cursor: c };
}
