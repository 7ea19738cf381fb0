import type { AllocationJob } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';

/** A queue that takes many jobs in few calls (SQS SendMessageBatch, 10 a call). */
export type JobBatchQueue<J> = { sendAll(jobs: readonly J[]): Promise<void> };

/** Pools per fan-out invocation: one directory page, 100 SendMessageBatch calls, a few seconds on AWS. */
export const FAN_OUT_PAGE_SIZE = 1_000;

/** What one fan-out step did: jobs sent for `pools` pools; `next` is the code the continuation starts after. */
export type FanOutStep = { readonly pools: number; readonly next?: PoolCode };

/**
 * The monthly schedule's job, one page of the pool directory per invocation (docs/pools-and-areas.md):
 * one ALLOCATE job per registered pool for coverage month M, whatever funds the pool (payroll, grants
 * or both), so pools run in parallel and a failing pool never holds the others back. When more pools
 * follow, the step sends a FAN_OUT continuation carrying the month, the cause and the last code seen, so
 * ~80,000 village pools are a chain of short invocations, never one long one, and no item is written per
 * page (the cursor travels in the message).
 *
 * Each job carries the schedule occurrence as its cause (`schedule:<scheduledTime>`), so a schedule that
 * fires twice, or a page delivered twice, asks each pool once: the second request finds its cause on the
 * run (docs/allocation-liveness.md). The jobs of a page go before its continuation: a crash in between
 * redelivers the page, whose jobs are then no-ops.
 */
export const makeFanOutAllocation =
  (deps: {
    readonly pools: Pick<PoolRegistry, 'page'>;
    readonly jobs: JobBatchQueue<AllocationJob>;
    readonly pageSize?: number;
  }) =>
  async (input: {
    readonly month: Period;
    readonly cause?: string;
    readonly after?: PoolCode;
  }): Promise<FanOutStep> => {
    const { month, cause, after } = input;
    const page = await deps.pools.page({
      limit: deps.pageSize ?? FAN_OUT_PAGE_SIZE,
      ...(after ? { after } : {}),
    });
    const withCause = cause === undefined ? {} : { cause };
    await deps.jobs.sendAll(page.pools.map((p) => ({ kind: 'ALLOCATE', pool: p.pool, month, ...withCause })));
    if (page.next !== undefined)
      await deps.jobs.sendAll([{ kind: 'FAN_OUT', month, ...withCause, after: page.next }]);
    return { pools: page.pools.length, ...(page.next === undefined ? {} : { next: page.next }) };
  };
