import type { CoverageRecord } from '#domain/coverage.ts';
import type { Period, PoolCode, Tier } from '#domain/model.ts';

export type StoredCoverage = CoverageRecord & { readonly nik: string; readonly tier: Tier };

/**
 * A write fence for coverage: month and run sequence of the run that writes. A record carrying a fence
 * is only ever replaced by a write with an equal or later fence, so a slow walker of an older run can
 * never overwrite what a later run (a re-run, or the next month) already wrote.
 */
export type CoverageFence = { readonly month: Period; readonly seq: number };

export interface CoverageStore {
  list(pool: PoolCode): AsyncIterable<readonly StoredCoverage[]>;
  /** Writes each record unless the stored one has a later fence; returns how many were refused. */
  put(pool: PoolCode, records: readonly StoredCoverage[], fence: CoverageFence): Promise<{ fenced: number }>;
}
