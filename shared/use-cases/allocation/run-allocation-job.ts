import type { AllocationJob } from '#domain/messages.ts';
import type { PoolCode } from '#domain/model.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { AllocateStep } from './allocate-pool.ts';
import type { FanOutAllocation, FanOutAllocationResult } from './fan-out-allocation.ts';
import type { SweepFinding } from './sweep-allocations.ts';

/** The use cases an allocation job may ask for, one per job kind. */
export type AllocationJobDeps = {
  readonly allocate: (job: { pool: string; month: string; cause?: string }) => Promise<AllocateStep>;
  readonly fanOut: FanOutAllocation;
  readonly sweep: (now: Date, after?: PoolCode) => Promise<SweepFinding[]>;
  /** Apportions a month's shares again (APPORTION job); optional so older test wiring stays valid. */
  readonly apportion?: (q: { pool: string; month: string }) => Promise<unknown>;
  readonly clock: Clock;
};

/** What one job did, for the caller to log and count (no NIK, NIP or name in any of it). */
export type AllocationJobOutcome =
  | { readonly kind: 'FAN_OUT'; readonly result: FanOutAllocationResult; readonly after?: PoolCode }
  | { readonly kind: 'APPORTION'; readonly pool: PoolCode; readonly month: string }
  | { readonly kind: 'SWEEP'; readonly findings: readonly SweepFinding[] }
  | { readonly kind: 'ALLOCATE'; readonly step: AllocateStep };

/**
 * runAllocationJob: one message of the allocation-jobs queue to the use case its kind names: the monthly
 * fan-out (FAN_OUT), a month's shares again (APPORTION), the sweeper (SWEEP, docs/allocation-liveness.md)
 * or the next step of a pool's run (ALLOCATE). Errors pass through to the queue's error policy.
 */
export const makeRunAllocationJob =
  (deps: AllocationJobDeps) =>
  async (job: AllocationJob): Promise<AllocationJobOutcome> => {
    if (job.kind === 'FAN_OUT') {
      const result = await deps.fanOut(job);
      return { kind: 'FAN_OUT', result, ...(job.after === undefined ? {} : { after: job.after }) };
    }
    if (job.kind === 'APPORTION') {
      await deps.apportion?.({ pool: job.pool, month: job.month });
      return { kind: 'APPORTION', pool: job.pool, month: job.month };
    }
    if (job.kind === 'SWEEP') {
      // As of the occurrence's own time: a late delivery never takes a live run for an idle one (the
      // next occurrence sees it), and a local cloud that delivers a day's occurrences at once stays true.
      const findings = await deps.sweep(
        job.scheduledTime ? new Date(job.scheduledTime) : deps.clock.now(),
        job.after,
      );
      return { kind: 'SWEEP', findings };
    }
    const step = await deps.allocate({
      pool: job.pool,
      month: job.month,
      ...(job.cause ? { cause: job.cause } : {}),
    });
    return { kind: 'ALLOCATE', step };
  };
