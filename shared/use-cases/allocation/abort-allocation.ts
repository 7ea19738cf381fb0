import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationJobQueue } from '#domain/ports/allocation/allocation-job-queue.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore } from '#domain/ports/allocation/coverage-store.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import { ALLOCATION_IDLE_MS, isStalledRun, type RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { RateTable } from '#domain/rates.ts';
import { makeCoverCommittedChunk, removeUncommittedEntries } from './cover-committed-chunk.ts';

export type AbortAllocationDeps = {
  readonly log: AllocationLog;
  readonly jobs: AllocationJobQueue;
  readonly plans: PlanStore;
  /** Where the aborted run's last committed chunk gets its coverage, if its walker died before. */
  readonly coverage: CoverageStore;
  readonly rates: RateTable;
  readonly clock: Clock;
  /** Idle time after which a RUNNING run counts as stalled (default: the sweeper's, ALLOCATION_IDLE_MS). */
  readonly idleMs?: number;
};

export type AbortRequest = {
  readonly pool: PoolCode;
  readonly month: Period;
  /** Why the operator aborts (recorded on the run, shown in `sertakan runs` and the finance API). */
  readonly reason: string;
  /** The operator's id (1-40 of A-Z a-z 0-9 . _ -): who aborted, for the audit; never a worker's data. */
  readonly by: string;
  /** Ask for a new run of the month at once (an `operator:` cause): the default, so the month completes. */
  readonly rerun: boolean;
};

export type AbortOutcome = {
  readonly aborted: RunRecord;
  /** Entries of the chunk the run was aborted in (written, never committed) that were removed. */
  readonly removed: number;
  /** The cause of the re-run asked for, when `rerun` was set. */
  readonly rerunCause?: string;
};

/**
 * An operator closes pool P's STALLED run of month M as ABORTED, with a recorded reason, and (by default)
 * asks for a fresh run of the month (docs/allocation-liveness.md, "Operator abort"). Stalled as the
 * sweeper judges it (`isStalledRun`): marked stalled by a walker, or idle for longer than `idleMs`; a run
 * that is moving is never aborted, since its walker could be half way through a chunk. The chunks the run
 * committed stay allocated (and get their coverage here if their walker died before writing it): every
 * sum over runs counts an ABORTED run like a COMPLETED one, and the re-run plans only the workers not yet
 * funded for M, with the money left. Entries the run wrote for the chunk it was aborted in were never
 * committed (no money counted them, no coverage says paid for them): they are removed, so the BPJS bill
 * lists exactly what the runs' money and coverage say. The month is done only when a later run
 * COMPLETES with its bill and reconciliation, so ALLOCATION_LATE keeps reporting it until then.
 *
 * Raises ValidationError (REASON_REQUIRED, OPERATOR_ID_INVALID) for an empty reason or a bad id,
 * NotFoundError (NO_RUNNING_RUN) when the month has no RUNNING run (nothing to abort: it completed, or was
 * aborted already), ValidationError (RUN_NOT_STALLED) for a run that is still moving, and ValidationError
 * (RUN_MOVED) when the run completed between the read and the abort.
 */
export function makeAbortAllocation(deps: AbortAllocationDeps) {
  const cover = makeCoverCommittedChunk(deps);
  const idleMs = deps.idleMs ?? ALLOCATION_IDLE_MS;
  return async function abortAllocation(req: AbortRequest): Promise<AbortOutcome> {
    const reason = req.reason.trim();
    if (reason === '') {
      throw new ValidationError('an abort needs a reason (--reason "...")', { code: 'REASON_REQUIRED' });
    }
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(req.by)) {
      throw new ValidationError('the operator id (--by) must be 1-40 letters, digits, dots, dashes', {
        code: 'OPERATOR_ID_INVALID',
      });
    }
    const run = (await deps.log.listRuns(req.pool)).find(
      (r) => r.month === req.month && r.status === 'RUNNING',
    );
    if (run === undefined) {
      throw new NotFoundError(`pool ${req.pool} has no running run for ${req.month}: nothing to abort`, {
        code: 'NO_RUNNING_RUN',
      });
    }
    const now = deps.clock.now();
    if (!isStalledRun(run, now, idleMs)) {
      const minutes = Math.round(idleMs / 60_000);
      throw new ValidationError(
        `run ${run.runId} is moving (last commit ${run.updatedAt ?? run.startedAt}), not stalled: only a run ` +
          `marked stalled or idle for more than ${minutes} minutes can be aborted`,
        { code: 'RUN_NOT_STALLED' },
      );
    }
    const abort = { at: now.toISOString(), by: req.by, reason };
    if ((await deps.log.abortRun(run, abort)) === 'CONFLICT') {
      const now = await deps.log.getRun(run.pool, run.month, run.seq);
      throw new ValidationError(
        `run ${run.runId} is ${now?.status ?? 'gone'} now, no longer running: nothing was aborted`,
        { code: 'RUN_MOVED' },
      );
    }
    // The stored run, not the one read before: its cursor is the one the abort froze.
    const stored = await deps.log.getRun(run.pool, run.month, run.seq);
    const aborted = await cover(
      stored ?? { ...run, status: 'ABORTED', aborted: abort, completedAt: abort.at },
    );
    const removed = await removeUncommittedEntries(deps, aborted);
    if (!req.rerun) return { aborted, removed };
    const rerunCause = `operator:${req.by}:rerun-after-${run.runId}`;
    await deps.jobs.send({ kind: 'ALLOCATE', pool: req.pool, month: req.month, cause: rerunCause });
    return { aborted, removed, rerunCause };
  };
}
