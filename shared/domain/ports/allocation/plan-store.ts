import type { PlanEntry } from '#domain/allocation-policy.ts';
import type { Period, PoolCode } from '#domain/model.ts';

/** The ordered plan of a run, stored in chunks so every invocation reads only its own slice. */
export interface PlanStore {
  write(
    pool: PoolCode,
    month: Period,
    runId: string,
    chunks: readonly (readonly PlanEntry[])[],
  ): Promise<string>;
  readChunk(planKey: string, index: number): Promise<PlanEntry[]>;
}
