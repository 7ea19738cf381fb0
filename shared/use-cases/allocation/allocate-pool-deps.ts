/**
 * What the monthly allocation (allocate-pool.ts) needs and what one of its steps reports: kept apart so
 * the run's starter and the handler read them without importing the allocation itself.
 */
import type { AllocationJobQueue } from '#domain/ports/allocation/allocation-job-queue.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore } from '#domain/ports/allocation/coverage-store.ts';
import type { EnrollmentSource } from '#domain/ports/allocation/enrollment-source.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { PoolSettingsSource } from '#domain/ports/allocation/pool-settings-source.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { RateTable } from '#domain/rates.ts';

export type AllocatePoolDeps = {
  readonly ledger: Pick<CreditLedger, 'creditsByPeriod' | 'earmarks'>;
  readonly log: AllocationLog;
  readonly coverage: CoverageStore;
  readonly plans: PlanStore;
  readonly workers: EnrollmentSource;
  readonly pools: Pick<PoolSettingsSource, 'get'>;
  readonly jobs: AllocationJobQueue;
  readonly clock: Clock;
  readonly rates: RateTable;
  /** Workers per invocation. */
  readonly chunkSize: number;
  /**
   * Writes the month-end outputs of a completed run (bill, reconciliation, the month's donor and agency
   * shares: docs/finance-queries.md); must be idempotent. Runs again after a re-run of the month.
   */
  readonly writeOutputs?: (run: RunRecord) => Promise<void>;
  /** A token unique to one commit attempt (default: a random UUID). */
  readonly newToken?: () => string;
};

/**
 * What one step did. COMPLETED: this step wrote the month-end outputs of a completed run (the month is
 * done). CONTINUING: a chunk was committed and the continuation sent. ALREADY_DONE: nothing to do (a
 * duplicate request, or another invocation did this step). STALLED: the run cannot continue on its own.
 */
export type AllocateStep = {
  readonly run: RunRecord;
  readonly state: 'CONTINUING' | 'COMPLETED' | 'ALREADY_DONE' | 'STALLED';
};
