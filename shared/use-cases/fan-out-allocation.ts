import type { Period } from '#domain/model.ts';
import type { AllocationJobQueue, PoolSettingsSource } from '#domain/ports/allocation.ts';

/**
 * The monthly schedule's job: one ALLOCATE job per pool for coverage month M, so pools run in parallel
 * (one queue message each) and a failing pool never holds the others back. Each job carries the
 * schedule occurrence as its cause (`schedule:<scheduledTime>`), so a schedule that fires twice, or a
 * fan-out delivered twice, asks each pool once: the second request finds its cause on the run.
 */
export const makeFanOutAllocation =
  (deps: { readonly pools: Pick<PoolSettingsSource, 'list'>; readonly jobs: AllocationJobQueue }) =>
  async (month: Period, cause?: string): Promise<number> => {
    const pools = await deps.pools.list();
    for (const p of pools)
      await deps.jobs.send({
        kind: 'ALLOCATE',
        pool: p.pool,
        month,
        ...(cause === undefined ? {} : { cause }),
      });
    return pools.length;
  };
