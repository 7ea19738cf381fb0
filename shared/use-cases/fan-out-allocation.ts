import type { Period } from '#domain/model.ts';
import type { AllocationJobQueue, PoolSettingsSource } from '#domain/ports/allocation.ts';

/**
 * The monthly schedule's job: one ALLOCATE job per pool for coverage month M, so pools run in parallel
 * (one queue message each) and a failing pool never holds the others back.
 */
export const makeFanOutAllocation =
  (deps: { readonly pools: Pick<PoolSettingsSource, 'list'>; readonly jobs: AllocationJobQueue }) =>
  async (month: Period): Promise<number> => {
    const pools = await deps.pools.list();
    for (const p of pools) await deps.jobs.send({ kind: 'ALLOCATE', pool: p.pool, month });
    return pools.length;
  };
