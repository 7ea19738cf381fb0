import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationJobQueue } from '#domain/ports/allocation/allocation-job-queue.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Clock } from '#domain/ports/clock.ts';

export type AbortAllocationDeps = {
  readonly log: AllocationLog;
  readonly jobs: AllocationJobQueue;
  readonly plans: PlanStore;
  readonly clock: Clock;
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
 * An operator closes pool P's RUNNING run of month M as ABORTED, with a recorded reason, and (by default)
 * asks for a fresh run of the month (docs/allocation-liveness.md, "Operator abort"). The chunks the run
 * committed stay allocated: every sum over runs counts an ABORTED run like a COMPLETED one, and the
 * re-run plans only the workers not yet funded for M, with the money left. Entries the run wrote for the
 * chunk it was aborted in were never committed (no money counted them): they are removed, so the BPJS bill
 * lists exactly what the runs' money says. The month is done only when a
 * later run COMPLETES with its bill and reconciliation, so ALLOCATION_LATE keeps reporting it until then.
 *
 * Raises ValidationError (REASON_REQUIRED, OPERATOR_ID_INVALID) for an empty reason or a bad id, NotFoundError (NO_RUNNING_RUN) when the
 * month has no RUNNING run (nothing to abort: it completed, or was aborted already), and ValidationError
 * (RUN_MOVED) when the run completed between the read and the abort.
 */
export function makeAbortAllocation(deps: AbortAllocationDeps) {
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
    const abort = { at: deps.clock.now().toISOString(), by: req.by, reason };
    if ((await deps.log.abortRun(run, abort)) === 'CONFLICT') {
      const now = await deps.log.getRun(run.pool, run.month, run.seq);
      throw new ValidationError(
        `run ${run.runId} is ${now?.status ?? 'gone'} now, no longer running: nothing was aborted`,
        { code: 'RUN_MOVED' },
      );
    }
    const aborted: RunRecord = { ...run, status: 'ABORTED', aborted: abort, completedAt: abort.at };
    const uncommitted =
      run.nextChunk < run.chunkCount ? await deps.plans.readChunk(run.planKey, run.nextChunk) : [];
    const removed = await deps.log.removeAllocations(
      run.pool,
      run.month,
      run.runId,
      uncommitted.map((e) => e.nik),
    );
    if (!req.rerun) return { aborted, removed };
    const rerunCause = `operator:${req.by}:rerun-after-${run.runId}`;
    await deps.jobs.send({ kind: 'ALLOCATE', pool: req.pool, month: req.month, cause: rerunCause });
    return { aborted, removed, rerunCause };
  };
}
