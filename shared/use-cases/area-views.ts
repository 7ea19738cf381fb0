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
import type { IsoDate, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { AreaSummaries } from '#domain/ports/area-summaries.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { reconcileMonth } from '#domain/statements.ts';
import type { ScanStep } from './scan-lapses-deps.ts';

/** Writes pool P's summary of month M from its run records (the reconciliation, to the rupiah). */
export function makeWritePoolMonthSummary(deps: {
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly summaries: Pick<AreaSummaries, 'putMonth'>;
  readonly clock: Clock;
}) {
  /** `runs`: the pool's runs when the caller has just read them (finish-allocation-month.ts), else read here. */
  return async (run: Pick<RunRecord, 'pool' | 'month'>, runs?: readonly RunRecord[]): Promise<void> => {
    const r = reconcileMonth(runs ?? (await deps.log.listRuns(run.pool)), run.month);
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

/** Pools whose pending corrections are read at once by an area month (a read of two small items each). */
const PENDING_READS_AT_ONCE = 8;

/**
 * Area queries: sums of the per-pool summaries under an area code prefix.
 *
 * `pendingCorrections(pool)`, when given, is the pool's "corrections recorded since the last run, counted
 * in the next one" (rupiah, as its balance shows it; docs/one-truth.md). The month summaries are written
 * at the end of each run, so that figure cannot be in them: the area month reads it per pool at query
 * time and shows the sum beside the run's figures, as a pool's own reconciliation does.
 */
export function makeAreaQueries(deps: {
  readonly summaries: Pick<AreaSummaries, 'months' | 'alerts'>;
  readonly pendingCorrections?: (pool: PoolCode) => Promise<Rupiah>;
}) {
  const pendingOf = deps.pendingCorrections;
  return {
    /**
     * Reconciliation, balance, runway and worker counts of every pool under `area` for month M, with
     * the pools' pending corrections when the queries were built with a reader for them.
     * @throws NotFoundError AREA_MONTH_EMPTY when no pool under `area` has a run for M.
     */
    async month(q: { readonly area: PoolCode; readonly month: Period }): Promise<AreaMonth> {
      let sum = emptyAreaMonth(q.area, q.month);
      const pools: PoolCode[] = [];
      for await (const page of deps.summaries.months(q.area, q.month))
        for (const p of page) {
          sum = addPoolMonth(sum, p);
          pools.push(p.pool);
        }
      if (sum.pools === 0)
        throw new NotFoundError(`no pool under ${q.area} has an allocation run for ${q.month}`, {
          code: 'AREA_MONTH_EMPTY',
        });
      if (pendingOf === undefined) return sum;
      let pending = 0;
      for (let i = 0; i < pools.length; i += PENDING_READS_AT_ONCE) {
        const slice = pools.slice(i, i + PENDING_READS_AT_ONCE);
        for (const v of await Promise.all(slice.map((pool) => pendingOf(pool)))) pending += v;
      }
      return { ...sum, pendingCorrections: pending };
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
