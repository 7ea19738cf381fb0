import type { AgencyCode, Period, Rupiah } from './model.ts';
import type { RunRecord } from './ports/allocation/run-record.ts';
import type { CreditSummary } from './ports/finance.ts';

/**
 * Corrections: money recorded for a period the pool had already allocated through (docs/one-truth.md).
 *
 * A run of coverage month M takes every credit of periods ≤ M recorded before it started
 * (start-allocation-run.ts stamps `startedAt` before it reads the credits). So a credit of period P
 * recorded at t is
 *  - on time when no run of a month ≥ P had started by t: the first such run counts it as ordinary money;
 *  - a correction otherwise (a changed file, a late file, a grant for a past month): allocations already
 *    made stand, and it is counted by the first run of a month ≥ P that starts after t, or, while no such
 *    run exists, it is pending: "recorded since the last run, counted in the next one".
 * Every view that shows a correction (reconciliation, balance, agency share, donor statement) names the
 * period it corrects and the run that counted it, from this one rule.
 */

/** A committed credit seen as a possible correction: one chunk summary, grant, or donor row. */
export type RecordedCredit = {
  readonly period: Period;
  /** Absent for a grant. */
  readonly agency?: AgencyCode;
  readonly kind: 'DEDUCTION' | 'CORRECTION' | 'GRANT';
  /** Signed rupiah (a CORRECTION row or chunk can be negative). */
  readonly amount: Rupiah;
  /** ISO instant the ledger recorded it. */
  readonly recordedAt: string;
};

/** The run that took a correction into its available money. */
export type CountedIn = { readonly month: Period; readonly runId: string };

export type Correction = RecordedCredit & {
  /** Absent: pending, counted in the next run of a month ≥ its period. */
  readonly countedIn?: CountedIn;
};

type RunStart = Pick<RunRecord, 'month' | 'runId' | 'startedAt'>;

const byStart = (a: RunStart, b: RunStart): number =>
  a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.runId < b.runId ? -1 : 1;

/**
 * Whether a credit is a correction and which run counted it. `runs`: the runs to consider (every run for
 * "what counted it", or only the runs closed by an instant for a balance as of that instant).
 */
export function classifyCredit(
  credit: Pick<RecordedCredit, 'period' | 'recordedAt'>,
  runs: readonly RunStart[],
): { readonly late: boolean; readonly countedIn?: CountedIn } {
  const covering = runs.filter((r) => r.month >= credit.period).sort(byStart);
  const late = covering.some((r) => r.startedAt <= credit.recordedAt);
  if (!late) return { late };
  const next = covering.find((r) => r.startedAt > credit.recordedAt);
  return next === undefined ? { late } : { late, countedIn: { month: next.month, runId: next.runId } };
}

/** Every correction among `credits`, oldest recorded first, each with the run that counted it. */
export function corrections(credits: readonly RecordedCredit[], runs: readonly RunStart[]): Correction[] {
  const out: Correction[] = [];
  for (const c of credits) {
    const k = classifyCredit(c, runs);
    if (k.late) out.push(k.countedIn === undefined ? { ...c } : { ...c, countedIn: k.countedIn });
  }
  return out.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
}

/** A chunk summary or grant as a recorded credit. */
export const creditOfSummary = (s: CreditSummary): RecordedCredit =>
  s.kind === 'GRANT'
    ? { period: s.period, kind: 'GRANT', amount: s.amount, recordedAt: s.recordedAt }
    : { period: s.period, agency: s.agency, kind: s.kind, amount: s.total, recordedAt: s.recordedAt };

/** Corrections summed per corrected period (and agency), for display: one line per period and agency. */
export type CorrectionLine = {
  readonly period: Period;
  /** Absent for grants. */
  readonly agency?: AgencyCode;
  readonly amount: Rupiah;
  /** Number of chunks/grants/rows summed in this line. */
  readonly items: number;
  readonly countedIn?: CountedIn;
};

export function correctionLines(list: readonly Correction[]): CorrectionLine[] {
  const by = new Map<string, { line: CorrectionLine; amount: Rupiah; items: number }>();
  for (const c of list) {
    const key = `${c.period}#${c.agency ?? ''}#${c.countedIn?.runId ?? ''}`;
    const e = by.get(key) ?? {
      line: {
        period: c.period,
        ...(c.agency === undefined ? {} : { agency: c.agency }),
        amount: 0,
        items: 0,
        ...(c.countedIn === undefined ? {} : { countedIn: c.countedIn }),
      },
      amount: 0,
      items: 0,
    };
    e.amount += c.amount;
    e.items += 1;
    by.set(key, e);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ ...e.line, amount: e.amount, items: e.items }));
}

export const sumAmounts = (list: readonly { readonly amount: Rupiah }[]): Rupiah =>
  list.reduce((s, c) => s + c.amount, 0);

/** Corrections of periods ≤ M: counted in M's runs, and still pending (recorded after M's last run). */
export type MonthCorrections = {
  /** Counted by this month's runs, one line per corrected period and agency (periods before M, or M re-run). */
  readonly counted: readonly CorrectionLine[];
  readonly countedTotal: Rupiah;
  /** Recorded since the pool's last run and not counted yet: counted in the next run. */
  readonly pending: readonly CorrectionLine[];
  readonly pendingTotal: Rupiah;
};

export function monthCorrections(list: readonly Correction[], month: Period): MonthCorrections {
  const counted = list.filter((c) => c.countedIn?.month === month);
  const pending = list.filter((c) => c.countedIn === undefined);
  return {
    counted: correctionLines(counted),
    countedTotal: sumAmounts(counted),
    pending: correctionLines(pending),
    pendingTotal: sumAmounts(pending),
  };
}
