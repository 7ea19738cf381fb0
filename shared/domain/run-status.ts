import type { Period, PoolCode, Rupiah } from './model.ts';
import type { RunRecord } from './ports/allocation/run-record.ts';

/**
 * An allocation run as an operator or finance sees it (`sertakan runs`, GET /pools/{pool}/runs): where it
 * is, what asked for it, how long it has been idle, whether its month-end outputs exist, and, when it
 * cannot continue on its own, why. `state` folds status and outputs into one word:
 * RUNNING, STALLED, COMPLETED_NO_OUTPUTS (bill and reconciliation not written yet), DONE, ABORTED (closed
 * by an operator with a recorded reason; its committed allocations stand).
 */
export type RunStatusView = {
  readonly runId: string;
  readonly pool: PoolCode;
  readonly month: Period;
  readonly state: 'RUNNING' | 'STALLED' | 'COMPLETED_NO_OUTPUTS' | 'DONE' | 'ABORTED';
  readonly cause: string;
  readonly chunksDone: number;
  readonly chunkCount: number;
  readonly workersPlanned: number;
  readonly funded: number;
  readonly allocated: Rupiah;
  readonly startedAt: string;
  /** Last commit (RUNNING) or completion. */
  readonly lastActivityAt: string;
  /**
   * Minutes since `lastActivityAt` at the time of the query, while the run still waits for something
   * (RUNNING, STALLED, COMPLETED_NO_OUTPUTS); absent once it is DONE or ABORTED, where idleness means
   * nothing.
   */
  readonly idleMinutes?: number;
  readonly outputsAt?: string;
  readonly stalledReason?: string;
  /** For an aborted run: who (operator id) and why. */
  readonly aborted?: { readonly at: string; readonly by: string; readonly reason: string };
};

export function runStatusOf(run: RunRecord, now: Date): RunStatusView {
  const last =
    (run.status === 'COMPLETED' ? (run.outputsAt ?? run.completedAt) : run.updatedAt) ?? run.startedAt;
  const state =
    run.status === 'ABORTED'
      ? 'ABORTED'
      : run.status === 'RUNNING'
        ? run.stalled
          ? 'STALLED'
          : 'RUNNING'
        : run.outputsAt === undefined
          ? 'COMPLETED_NO_OUTPUTS'
          : 'DONE';
  return {
    runId: run.runId,
    pool: run.pool,
    month: run.month,
    state,
    cause: run.cause ?? '',
    chunksDone: Math.min(run.nextChunk, run.chunkCount),
    chunkCount: run.chunkCount,
    workersPlanned: run.workersPlanned,
    funded: run.cursor.funded,
    allocated: run.cursor.allocated,
    startedAt: run.startedAt,
    lastActivityAt: last,
    ...(state === 'DONE' || state === 'ABORTED'
      ? {}
      : { idleMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(last)) / 60_000)) }),
    ...(run.outputsAt === undefined ? {} : { outputsAt: run.outputsAt }),
    ...(run.stalled === undefined ? {} : { stalledReason: run.stalled.reason }),
    ...(run.aborted === undefined ? {} : { aborted: run.aborted }),
  };
}
