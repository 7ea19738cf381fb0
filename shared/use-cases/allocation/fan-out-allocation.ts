import { PoisonMessageError } from '#domain/errors.ts';
import type { AllocationJob } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';

/** A queue that takes many jobs in few calls (its adapter batches them: sqs-batch-sender.ts). */
export type JobBatchQueue<J> = { sendAll(jobs: readonly J[]): Promise<void> };

/** Pools per fan-out invocation: one directory page, 100 SendMessageBatch calls, a few seconds on AWS. */
export const FAN_OUT_PAGE_SIZE = 1_000;

/** What one fan-out step did: jobs sent for `pools` pools; `next` is the code the continuation starts after. */
export type FanOutStep = { readonly pools: number; readonly next?: PoolCode };

/** A FAN_OUT job: from the monthly schedule (`scheduledTime`), an operator (`month`, `cause`) or itself. */
export type FanOutAllocationRequest = {
  /** The schedule occurrence (ISO instant) EventBridge Scheduler puts in the message. */
  readonly scheduledTime?: string | undefined;
  /** Coverage month `YYYY-MM`; defaults to the Asia/Jakarta month of `scheduledTime` (or of now). */
  readonly month?: Period | undefined;
  /** `<kind>:<id>`; defaults to `schedule:<scheduledTime>` when the schedule sent the job. */
  readonly cause?: string | undefined;
  /** A continuation: start after this pool code. */
  readonly after?: PoolCode | undefined;
};

/** What one step asked: jobs sent for `pools` pools of month M; `next`: the continuation starts after it. */
export type FanOutAllocationResult = FanOutStep & { readonly month: Period; readonly cause?: string };

const instant = (iso: string): Date => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()))
    throw new PoisonMessageError('allocation fan-out: scheduledTime is not an instant', { code: 'SCHEMA' });
  return at;
};

export type FanOutAllocation = (request: FanOutAllocationRequest) => Promise<FanOutAllocationResult>;

/**
 * The monthly schedule's job, one page of the pool directory per invocation (docs/pools-and-areas.md):
 * one ALLOCATE job per registered pool for coverage month M, whatever funds the pool (payroll, grants
 * or both), so pools run in parallel and a failing pool never holds the others back. M is the month the
 * schedule fired in (day 10, Asia/Jakarta). When more pools follow, the step sends a FAN_OUT continuation
 * carrying the month, the cause and the last code seen, so ~80,000 village pools are a chain of short
 * invocations, never one long one, and no item is written per page (the cursor travels in the message).
 *
 * Each job carries the schedule occurrence as its cause (`schedule:<scheduledTime>`), so a schedule that
 * fires twice, or a page delivered twice, asks each pool once: the second request finds its cause on the
 * run (docs/allocation-liveness.md). The jobs of a page go before its continuation: a crash in between
 * redelivers the page, whose jobs are then no-ops.
 * Throws PoisonMessageError when the month comes from a `scheduledTime` that is not an instant.
 */
export const makeFanOutAllocation =
  (deps: {
    readonly pools: Pick<PoolRegistry, 'page'>;
    readonly jobs: JobBatchQueue<AllocationJob>;
    readonly clock: Clock;
    readonly pageSize?: number;
  }): FanOutAllocation =>
  async (request) => {
    const { scheduledTime, after } = request;
    const month = request.month ?? periodOf(scheduledTime ? instant(scheduledTime) : deps.clock.now());
    const cause = request.cause ?? (scheduledTime ? `schedule:${scheduledTime}` : undefined);
    const withCause = cause === undefined ? {} : { cause };
    const page = await deps.pools.page({
      limit: deps.pageSize ?? FAN_OUT_PAGE_SIZE,
      ...(after ? { after } : {}),
    });
    await deps.jobs.sendAll(page.pools.map((p) => ({ kind: 'ALLOCATE', pool: p.pool, month, ...withCause })));
    if (page.next !== undefined)
      await deps.jobs.sendAll([{ kind: 'FAN_OUT', month, ...withCause, after: page.next }]);
    return {
      pools: page.pools.length,
      month,
      ...withCause,
      ...(page.next === undefined ? {} : { next: page.next }),
    };
  };
