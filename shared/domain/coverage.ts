import type { Period, WorkerStatus } from '#domain/model.ts';

/**
 * A worker's coverage state and its monthly transition (docs/design.md#coverage-rates-and-lapse, #allocation-policy).
 *
 * BPU rule: a coverage month not paid by the 15th is an unpaid month; after 3 consecutive unpaid months
 * the membership is inactive (lapsed). A lapsed worker goes back on the waitlist.
 *
 * The transition for month M is a pure function of the state at the end of M-1 and whether M was paid,
 * so a re-run of M starts again from the stored `prior` state instead of counting M unpaid twice.
 */

/** Consecutive unpaid months at which coverage lapses. */
export const LAPSE_AFTER_UNPAID_MONTHS = 3;

export type CoverageState = {
  readonly status: Exclude<WorkerStatus, 'EXITED'>;
  readonly paidThrough?: Period;
  readonly unpaidStreak: number;
};

/** What the coverage store keeps per worker: the state after `month`, and the state before it. */
export type CoverageRecord = CoverageState & {
  /** Last coverage month this record was evaluated for. */
  readonly month: Period;
  readonly prior: CoverageState;
};

export const NEVER_FUNDED: CoverageState = { status: 'WAITLISTED', unpaidStreak: 0 };

/**
 * State at the start of evaluating month `month`: the record's prior state when `month` is being
 * re-evaluated, else its state after its own month, advanced by any months no run evaluated.
 */
export function stateBefore(
  record: CoverageRecord | undefined,
  month: Period,
  monthsBetween: (a: Period, b: Period) => number,
): CoverageState {
  if (!record) return NEVER_FUNDED;
  const gap = monthsBetween(record.month, month);
  if (gap <= 0) return stateOf(record.prior);
  let state = stateOf(record);
  // Months skipped by every run were not paid either.
  for (let i = 1; i < gap; i++) state = afterMonth(state, false);
  return state;
}

/** The state after a coverage month, given whether it was paid. */
export function afterMonth(state: CoverageState, paid: boolean, month?: Period): CoverageState {
  if (paid) {
    if (month === undefined) throw new Error('afterMonth: a paid month needs its period');
    return { status: 'ACTIVE', paidThrough: month, unpaidStreak: 0 };
  }
  if (state.status !== 'ACTIVE') return state;
  const unpaidStreak = state.unpaidStreak + 1;
  if (unpaidStreak >= LAPSE_AFTER_UNPAID_MONTHS) {
    return {
      status: 'LAPSED',
      ...(state.paidThrough ? { paidThrough: state.paidThrough } : {}),
      unpaidStreak,
    };
  }
  return { ...state, unpaidStreak };
}

/** Just the state fields, so a record's bookkeeping never leaks into a transition. */
export const stateOf = (s: CoverageState): CoverageState => ({
  status: s.status,
  ...(s.paidThrough ? { paidThrough: s.paidThrough } : {}),
  unpaidStreak: s.unpaidStreak,
});

export const sameState = (a: CoverageState, b: CoverageState): boolean =>
  a.status === b.status && a.paidThrough === b.paidThrough && a.unpaidStreak === b.unpaidStreak;
