import type { PoolCode } from '#domain/model.ts';

/** Which pools exist. A message naming a pool that does not exist can never succeed (poison). */
export interface PoolDirectory {
  poolExists(pool: PoolCode): Promise<boolean>;
}
