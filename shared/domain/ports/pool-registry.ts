import type { PoolCode } from '#domain/model.ts';
import type { PoolOrigin, PoolRecord } from '#domain/pools.ts';

/** One page of the pool directory in code order; `next` is the last code returned when more follow. */
export type PoolPage = { readonly pools: readonly PoolRecord[]; readonly next?: PoolCode };

/**
 * The pool directory as records (docs/pools-and-areas.md): what intake registers, operators configure
 * and the fan-outs page through. Codes are the keys; a pool is never deleted.
 */
export interface PoolRegistry {
  /** Creates the pool with the defaults unless it exists (never overwrites); says which happened. */
  ensure(pool: PoolCode, origin: PoolOrigin, at: Date): Promise<'CREATED' | 'EXISTS'>;
  /** Creates `record` unless a pool with its code exists. */
  create(record: PoolRecord): Promise<'CREATED' | 'EXISTS'>;
  /** Replaces a stored record (conditional on its existence). */
  replace(record: PoolRecord): Promise<void>;
  get(pool: PoolCode): Promise<PoolRecord | undefined>;
  /** Pools after `after` (exclusive) in code order, at most `limit`, optionally under an area prefix. */
  page(opts: {
    readonly after?: PoolCode;
    readonly limit: number;
    readonly area?: PoolCode;
  }): Promise<PoolPage>;
}
