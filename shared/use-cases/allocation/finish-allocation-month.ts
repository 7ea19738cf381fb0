import type { Period, PoolCode } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';

/** The month-end steps after a run completes, each its own use case (idempotent: a re-run repeats them). */
export type FinishAllocationMonthDeps = {
  /** The pool's runs: read once, handed to the three steps below that reconcile or count the month. */
  readonly listRuns: (pool: PoolCode) => Promise<readonly RunRecord[]>;
  /** The BPJS bill, reconciliation and allocation log of the month (write-month-outputs.ts). */
  readonly writeMonthOutputs: (run: RunRecord, runs: readonly RunRecord[]) => Promise<void>;
  /** The month's donor and agency shares (docs/finance-queries.md). */
  readonly apportion: (q: { pool: PoolCode; month: Period; runs: readonly RunRecord[] }) => Promise<unknown>;
  /** The pool's month for area views (docs/pools-and-areas.md). */
  readonly writeSummary: (run: RunRecord, runs: readonly RunRecord[]) => Promise<void>;
  /** The closing of the month before today, for the balance as of a date (docs/finance-queries.md). */
  readonly writeClosing: (pool: PoolCode) => Promise<unknown>;
};

/**
 * finishAllocationMonth: what a completed run leaves behind, in order: the month's outputs, its shares
 * (apportioned once, with the bill), the shares of earlier months whose late earmarks the run honoured
 * (their statements say so now), the area summary after bill and reconciliation, then the credit closing.
 * The pool's runs are read once for the bill, the shares and the summary: the three describe one instant
 * (a later run of the month writes all three again when it finishes).
 */
export const makeFinishAllocationMonth =
  (deps: FinishAllocationMonthDeps) =>
  async (run: RunRecord): Promise<void> => {
    const runs = await deps.listRuns(run.pool);
    await deps.writeMonthOutputs(run, runs);
    await deps.apportion({ pool: run.pool, month: run.month, runs });
    for (const late of run.lateEarmarks ?? [])
      await deps.apportion({ pool: run.pool, month: late.period, runs });
    await deps.writeSummary(run, runs);
    await deps.writeClosing(run.pool);
  };
