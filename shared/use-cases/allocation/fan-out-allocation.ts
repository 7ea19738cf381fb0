import { PoisonMessageError } from '#domain/errors.ts';
import type { Period } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { AllocationJobQueue, PoolSettingsSource } from '#domain/ports/allocation.ts';
import type { Clock } from '#domain/ports/clock.ts';

/** A FAN_OUT job: from the monthly schedule (`scheduledTime`) or an operator (`month`, `cause`). */
export type FanOutAllocationRequest = {
  /** The schedule occurrence (ISO instant) EventBridge Scheduler puts in the message. */
  readonly scheduledTime?: string | undefined;
  /** Coverage month `YYYY-MM`; defaults to the Asia/Jakarta month of `scheduledTime` (or of now). */
  readonly month?: Period | undefined;
  /** `<kind>:<id>`; defaults to `schedule:<scheduledTime>` when the schedule sent the job. */
  readonly cause?: string | undefined;
};

/** What was asked: pools sent an ALLOCATE job, for which month, under which cause. */
export type FanOutAllocationResult = {
  readonly pools: number;
  readonly month: Period;
  readonly cause?: string;
};

const instant = (iso: string): Date => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()))
    throw new PoisonMessageError('allocation fan-out: scheduledTime is not an instant', { code: 'SCHEMA' });
  return at;
};

export type FanOutAllocation = (request: FanOutAllocationRequest) => Promise<FanOutAllocationResult>;

/**
 * The monthly schedule's job: one ALLOCATE job per pool for coverage month M, so pools run in parallel
 * (one queue message each) and a failing pool never holds the others back. Each job carries the
 * schedule occurrence as its cause (`schedule:<scheduledTime>`), so a schedule that fires twice, or a
 * fan-out delivered twice, asks each pool once: the second request finds its cause on the run
 * (docs/allocation-liveness.md). M is the month the schedule fired in (day 10, Asia/Jakarta).
 * Throws PoisonMessageError when the month comes from a `scheduledTime` that is not an instant.
 */
export const makeFanOutAllocation =
  (deps: {
    readonly pools: Pick<PoolSettingsSource, 'list'>;
    readonly jobs: AllocationJobQueue;
    readonly clock: Clock;
  }) =>
  async (request: FanOutAllocationRequest): Promise<FanOutAllocationResult> => {
    const { scheduledTime } = request;
    const month = request.month ?? periodOf(scheduledTime ? instant(scheduledTime) : deps.clock.now());
    const cause = request.cause ?? (scheduledTime ? `schedule:${scheduledTime}` : undefined);
    const pools = await deps.pools.list();
    for (const p of pools)
      await deps.jobs.send({
        kind: 'ALLOCATE',
        pool: p.pool,
        month,
        ...(cause === undefined ? {} : { cause }),
      });
    return { pools: pools.length, month, ...(cause === undefined ? {} : { cause }) };
  };
