import type { PoolAlertSummary, PoolMonthSummary } from '#domain/areas.ts';
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';

/**
 * Per-pool figures written once per run, read by area (docs/pools-and-areas.md). A put replaces the
 * pool's item for that month or date (a re-run rewrites the month's complete figures); reads page
 * through the pools under an area code prefix.
 */
export interface AreaSummaries {
  putMonth(summary: PoolMonthSummary): Promise<void>;
  putAlerts(summary: PoolAlertSummary): Promise<void>;
  months(area: PoolCode, month: Period): AsyncIterable<readonly PoolMonthSummary[]>;
  alerts(area: PoolCode, date: IsoDate): AsyncIterable<readonly PoolAlertSummary[]>;
}
