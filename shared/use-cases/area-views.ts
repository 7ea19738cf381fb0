/**
 * Area views over many pools (docs/pools-and-areas.md). Writers: each pool's month summary is written
 * with its month-end outputs (after the run's bill and reconciliation), each pool's alert summary when
 * its day's scan is done. Readers: an area's figures are the sums of the summaries under its prefix.
 * Both puts replace the pool's own item, so a retried or repeated write changes nothing.
 */
import {
  type AreaAlerts,
  type AreaMonth,
  addPoolAlerts,
  addPoolMonth,
  emptyAreaAlerts,
  emptyAreaMonth,
  poolMonthSummaryOf,
} from '#domain/areas.ts';
import { NotFoundError } from '#domain/errors.ts';
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { AreaSummaries } from '#domain/ports/area-summaries.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { reconcileMonth } from '#domain/statements.ts';
import type { ScanStep } from './scan-lapses.ts';

/** Writes pool P's summary of month M from its run records (the reconciliation, to the rupiah). */
export function makeWritePoolMonthSummary(deps: {
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly summaries: Pick<AreaSummaries, 'putMonth'>;
  readonly clock: Clock;
}) {
  return async (run: Pick<RunRecord, 'pool' | 'month'>): Promise<void> => {
    const r = reconcileMonth(await deps.log.listRuns(run.pool), run.month);
    if (r !== undefined) await deps.summaries.putMonth(poolMonthSummaryOf(r, deps.clock.now().toISOString()));
  };
}

/**
 * The daily scan with its area summary: once the scan of pool+date is done (now or earlier, so a
 * redelivery after a lost write writes it again), the day's alert counts go to the area summaries.
 */
export function withAlertSummary(
  scan: (job: { pool: PoolCode; date: IsoDate }) => Promise<ScanStep>,
  deps: { readonly summaries: Pick<AreaSummaries, 'putAlerts'>; readonly clock: Clock },
) {
  return async (job: { pool: PoolCode; date: IsoDate }): Promise<ScanStep> => {
    const step = await scan(job);
    if (step.state.phase === 'DONE')
      await deps.summaries.putAlerts({
        pool: step.state.pool,
        date: step.state.date,
        counts: step.state.counts,
        workersScanned: step.state.workersScanned,
        writtenAt: deps.clock.now().toISOString(),
      });
    return step;
  };
}

/** Area queries: sums of the per-pool summaries under an area code prefix. */
export function makeAreaQueries(deps: { readonly summaries: Pick<AreaSummaries, 'months' | 'alerts'> }) {
  return {
    /** Reconciliation, balance, runway and worker counts of every pool under `area` for month M. */
    async month(q: { readonly area: PoolCode; readonly month: Period }): Promise<AreaMonth> {
      let sum = emptyAreaMonth(q.area, q.month);
      for await (const page of deps.summaries.months(q.area, q.month))
        for (const p of page) sum = addPoolMonth(sum, p);
      if (sum.pools === 0)
        throw new NotFoundError(`no pool under ${q.area} has an allocation run for ${q.month}`, {
          code: 'AREA_MONTH_EMPTY',
        });
      return sum;
    },
    /** The day's alert counts of every pool under `area` whose scan of that date is done. */
    async alerts(q: { readonly area: PoolCode; readonly date: IsoDate }): Promise<AreaAlerts> {
      let sum = emptyAreaAlerts(q.area, q.date);
      for await (const page of deps.summaries.alerts(q.area, q.date))
        for (const p of page) sum = addPoolAlerts(sum, p);
      return sum;
    },
  };
}

export type AreaQueries = ReturnType<typeof makeAreaQueries>;
