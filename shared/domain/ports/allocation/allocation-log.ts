import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationEntry, ChunkCommit, RunAbort, RunRecord } from './run-record.ts';

export interface AllocationLog {
  /** Every run of the pool, oldest first (consistent read: the run records are cursors). */
  listRuns(pool: PoolCode): Promise<RunRecord[]>;
  /** One run, consistent read; undefined when it does not exist. */
  getRun(pool: PoolCode, month: Period, seq: number): Promise<RunRecord | undefined>;
  /** Conditional create: 'EXISTS' when another invocation created the same pool+month+seq first. */
  createRun(run: RunRecord): Promise<'CREATED' | 'EXISTS'>;
  /**
   * Moves the cursor from `fromChunk` (condition: status RUNNING and nextChunk = fromChunk);
   * 'CONFLICT' when the condition failed (another invocation moved it, or ours did and its answer was lost).
   */
  commitChunk(run: RunRecord, fromChunk: number, next: ChunkCommit): Promise<'COMMITTED' | 'CONFLICT'>;
  /**
   * Records that the coverage of committed chunk `chunk` is written: clears `uncovered` when it names
   * that chunk (a later commit's marker is left alone). Idempotent.
   */
  markCovered(run: RunRecord, chunk: number): Promise<void>;
  /** Records that the month-end outputs of a COMPLETED run were written (idempotent). */
  markOutputs(run: RunRecord, at: string): Promise<void>;
  /** Marks a RUNNING run stalled, with the cause for ops; 'CONFLICT' when it is no longer RUNNING. */
  markStalled(run: RunRecord, stalled: NonNullable<RunRecord['stalled']>): Promise<'UPDATED' | 'CONFLICT'>;
  /**
   * Closes a RUNNING run as ABORTED with the operator's reason (completedAt = abort.at); 'CONFLICT' when
   * it is no longer RUNNING (it completed or was aborted meanwhile).
   */
  abortRun(run: RunRecord, abort: RunAbort): Promise<'UPDATED' | 'CONFLICT'>;
  /**
   * Writes allocations once each (key pool+month+NIK). An existing entry from the same run counts as
   * written (a redone chunk); one from another run is returned in `foreign` and not overwritten, unless
   * its run is listed in `replacing` (an aborted run's uncommitted chunk: see allocate-pool's walkNext).
   */
  writeAllocations(
    entries: readonly AllocationEntry[],
    opts?: { readonly replacing?: readonly string[] },
  ): Promise<{ written: number; foreign: AllocationEntry[] }>;
  /**
   * Deletes the month's entries of these NIKs that belong to run `runId` (and leaves any other run's):
   * the uncommitted chunk of an aborted run. Returns how many were deleted.
   */
  removeAllocations(pool: PoolCode, month: Period, runId: string, niks: readonly string[]): Promise<number>;
  /** Allocation entries of a pool's month, page by page. */
  allocations(pool: PoolCode, month: Period): AsyncIterable<readonly AllocationEntry[]>;
}
