import type { PoolCode } from '#domain/model.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';

/** Coverage records in pages with a resumable token, so a scan can stop and continue anywhere. */
export interface CoveragePages {
  page(
    pool: PoolCode,
    token: string | undefined,
    limit: number,
  ): Promise<{ records: readonly StoredCoverage[]; next?: string }>;
}
