import type { Period, PoolCode } from '#domain/model.ts';

/** A request to move pool P's allocation of month M forward; `cause` as on RunRecord. */
export type AllocateJob = {
  readonly kind: 'ALLOCATE';
  readonly pool: PoolCode;
  readonly month: Period;
  readonly cause?: string;
};

export interface AllocationJobQueue {
  send(job: AllocateJob): Promise<void>;
}
