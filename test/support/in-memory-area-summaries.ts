import type { PoolAlertSummary, PoolMonthSummary } from '#domain/areas.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { isInArea } from '#domain/pools.ts';
import type { AreaSummaries } from '#domain/ports/area-summaries.ts';

/** Area summaries in memory, read by prefix as the DynamoDB adapter reads them (pages of 7). */
export class InMemoryAreaSummaries implements AreaSummaries {
  readonly monthItems = new Map<string, PoolMonthSummary>();
  async putMonth(s: PoolMonthSummary) {
    this.monthItems.set(`${s.month}|${s.pool}`, s);
  }
  async putAlerts(_: PoolAlertSummary) {}
  async *months(area: PoolCode, month: Period) {
    const hits = [...this.monthItems.values()]
      .filter((s) => s.month === month && isInArea(s.pool, area))
      .sort((a, b) => (a.pool < b.pool ? -1 : 1));
    for (let i = 0; i < hits.length; i += 7) yield hits.slice(i, i + 7);
  }
  async *alerts() {}
}
