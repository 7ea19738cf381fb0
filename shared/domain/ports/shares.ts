import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import type { AgencyLine, DonorLine, MonthApportionment, MonthHead } from '#domain/month-shares.ts';

/**
 * Where a month's apportionment is kept once computed (docs/finance-queries.md). Writes overwrite by
 * deterministic key, so a re-run or a retried write is harmless; the month's head is written last and
 * marks the lines as complete.
 */
export interface ShareStore {
  putMonth(shares: MonthApportionment): Promise<void>;
}

/** Finance's reads of stored shares: each one Query or GetItem, sized by its answer. */
export interface ShareReader {
  /** Every stored line of one donor (all pools, all months), in pool then month order. */
  donorLines(nip: string): Promise<DonorLine[]>;
  /** One agency's line of a pool's month. */
  agencyLine(pool: PoolCode, period: Period, agency: AgencyCode): Promise<AgencyLine | undefined>;
  /** The heads of a pool's apportioned months, oldest first. */
  monthHeads(pool: PoolCode): Promise<MonthHead[]>;
}
