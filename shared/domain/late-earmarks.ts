import type { Period } from './model.ts';
import type { RunRecord } from './ports/allocation/run-record.ts';

/**
 * Which run honours a donor's earmark (docs/design.md#earmarks-travel-with-the-money).
 *
 * A deduction of payroll period P is money for coverage month P; when its file arrives after P's run,
 * the money is counted by the next run instead (credits of every period ≤ M reach the run of M). The
 * donor's wish travels with it: an earmark is honoured (its worker funded first, as priority 1) by the
 * runs of the first coverage month whose run started after the earmark was recorded, among months ≥ P;
 * so once, and in the run that first counts its money. In the run's own terms:
 *
 *  - a run of month M honours every earmark of M's deductions (as every run of M always has);
 *  - and an earmark of an earlier period P < M when it was recorded at or after the start of the last
 *    run of a month in [P, M) (no such run: always), i.e. no earlier run could have seen it.
 *
 * ABORTED runs do not count as having seen an earmark: their month is run again. "Recorded" is the
 * ledger's commit time of the first file version that named the worker (a later version that only
 * changes the amount keeps it; one that names the worker anew after removing them starts it again).
 * A run's start is taken before it reads the ledger, so a file committed while a run plans is left to
 * the next run rather than lost.
 */

/** What the rule needs of a run. */
export type RunSeen = Pick<RunRecord, 'month' | 'startedAt' | 'status'>;

/** What the rule needs of an earmark: its payroll period and when it was first recorded (ISO). */
export type RecordedEarmark = { readonly period: Period; readonly recordedAt: string };

/**
 * For a run of month M: the instant after which earmarks of period P < M are still unseen, the start of
 * the last non-aborted run of a month in [P, M); undefined when there is none (then every earmark of P
 * is unseen). ISO strings compare as instants (all are UTC `…Z` from Date#toISOString).
 */
export function unseenAfter(period: Period, month: Period, runs: readonly RunSeen[]): string | undefined {
  let last: string | undefined;
  for (const r of runs) {
    if (r.status === 'ABORTED' || r.month < period || r.month >= month) continue;
    if (last === undefined || r.startedAt > last) last = r.startedAt;
  }
  return last;
}

/** Whether a run of month M, given the pool's earlier runs, honours this earmark. */
export function honoursEarmark(e: RecordedEarmark, month: Period, earlierRuns: readonly RunSeen[]): boolean {
  if (e.period === month) return true;
  if (e.period > month) return false;
  const after = unseenAfter(e.period, month, earlierRuns);
  return after === undefined || e.recordedAt >= after;
}

/**
 * The coverage month whose runs honour this earmark, from the pool's runs (any order): the month of the
 * first non-aborted run of a month ≥ P that started after the earmark was recorded; undefined while no
 * run has yet (the next run will). The statement says "honoured in the run of <month>" from this.
 */
export function earmarkMonth(e: RecordedEarmark, runs: readonly RunSeen[]): Period | undefined {
  let first: RunSeen | undefined;
  for (const r of runs) {
    if (r.status === 'ABORTED' || r.month < e.period || r.startedAt <= e.recordedAt) continue;
    if (first === undefined || r.startedAt < first.startedAt) first = r;
  }
  return first?.month;
}
