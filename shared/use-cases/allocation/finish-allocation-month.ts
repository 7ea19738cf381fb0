import type { Period, PoolCode } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';

/** The month-end steps after a run completes, each its own use case (idempotent: a re-run repeats them). */
export type FinishAllocationMonthDeps = {
  /** The BPJS bill, reconciliation and allocation log of the month (write-month-outputs.ts). */
  readonly writeMonthOutputs: (run: RunRecord) => Promise<void>;
  /** The month's donor and agency shares (docs/finance-queries.md). */
  readonly apportion: (q: { pool: PoolCode; month: Period }) => Promise<unknown>;
  /** The pool's month for area views (docs/pools-and-areas.md). */
  readonly writeSummary: (run: RunRecord) => Promise<void>;
  /** The closing of the month before today, for the balance as of a date (docs/finance-queries.md). */
  readonly writeClosing: (pool: PoolCode) => Promise<unknown>;
};

/**
 * finishAllocationMonth: what a completed run leaves behind, in order: the month's outputs, its shares
 * (apportioned once, with the bill), the shares of earlier months whose late earmarks the run honoured
 * (their statements say so now), the area summary after bill and reconciliation, then the credit closing.
 */
export const makeFinishAllocationMonth =
  (deps: FinishAllocationMonthDeps) =>
  async (run: RunRecord): Promise<void> => {
    await deps.writeMonthOutputs(run);
    await deps.apportion({ pool: run.pool, month: run.month });
    for (const late of run.lateEarmarks ?? []) await deps.apportion({ pool: run.pool, month: late.period });
    await deps.writeSummary(run);
    await deps.writeClosing(run.pool);
  };
