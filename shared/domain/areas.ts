/**
 * Area views (docs/pools-and-areas.md): a province, regency or district seen as the sum of the pools
 * under its code prefix. Each pool's figures are written once per run (a month summary when the run's
 * outputs are written, an alert summary when the day's scan is done); an area view only adds them up,
 * so a province of 1,562 village pools is one query over 1,562 small items, never 1,562 ledgers.
 * Integer rupiah throughout: sums are exact.
 */
import { ALERT_KINDS, type AlertKind, type KindCounts } from './alerts.ts';
import type { IsoDate, Period, PoolCode, Rupiah } from './model.ts';
import {
  type CreditsWithTotal,
  isBalanced,
  type MonthWorkerCounts,
  type Reconciliation,
  sumCredits,
} from './statements.ts';

/** One pool's month as its reconciliation left it, stamped when written. */
export type PoolMonthSummary = Omit<Reconciliation, 'runs'> & {
  /** Runs of the month (their count; the ids are on the pool's own reconciliation). */
  readonly runCount: number;
  readonly writtenAt: string;
};

/** One pool's alerts as the day's scan counted them (open = still standing, new = first seen today). */
export type PoolAlertSummary = {
  readonly pool: PoolCode;
  readonly date: IsoDate;
  readonly counts: KindCounts;
  readonly workersScanned: number;
  readonly writtenAt: string;
};

export const poolMonthSummaryOf = (r: Reconciliation, writtenAt: string): PoolMonthSummary => {
  const { runs, ...rest } = r;
  return { ...rest, runCount: runs.length, writtenAt };
};

/** Months the closing balance pays at this month's cost (whole months; undefined when nothing was spent). */
export const runwayMonths = (closing: Rupiah, allocated: Rupiah): number | undefined =>
  allocated > 0 ? Math.floor(closing / allocated) : undefined;

export type AreaMonth = {
  readonly area: PoolCode;
  readonly month: Period;
  /** Pools with a summary for the month (pools that did not run it are not in it). */
  readonly pools: number;
  readonly running: number;
  readonly opening: Rupiah;
  readonly credits: CreditsWithTotal;
  readonly allocated: Rupiah;
  /** Σ closing: the area's money after the month's runs (its balance as of the month). */
  readonly closing: Rupiah;
  readonly workers: MonthWorkerCounts;
  /** Pools with at least one unfunded / lapsed worker after the month. */
  readonly poolsWithUnfunded: number;
  readonly poolsWithLapsed: number;
  /** Σ closing / Σ allocated in whole months; and the pool with the shortest runway. */
  readonly runwayMonths?: number;
  readonly shortestRunway?: { readonly pool: PoolCode; readonly months: number };
  /** Σ opening + Σ credits − Σ allocated = Σ closing, and every pool balanced on its own. */
  readonly balanced: boolean;
  readonly poolsUnbalanced: readonly PoolCode[];
  /**
   * Σ the pools' corrections recorded since their last run, counted in their next one (docs/one-truth.md);
   * read at query time, so absent where the queries were built without a reader for it.
   */
  readonly pendingCorrections?: Rupiah;
};

/** An empty area month: what `addPoolMonth` folds summaries into. */
export const emptyAreaMonth = (area: PoolCode, month: Period): AreaMonth => ({
  area,
  month,
  pools: 0,
  running: 0,
  opening: 0,
  credits: { deductions: 0, corrections: 0, grants: 0, total: 0 },
  allocated: 0,
  closing: 0,
  workers: { funded: 0, admitted: 0, unfunded: 0, lapsed: 0, waitlisted: 0 },
  poolsWithUnfunded: 0,
  poolsWithLapsed: 0,
  balanced: true,
  poolsUnbalanced: [],
});

/** Adds one pool's month to an area's; the area's balance check is recomputed from the sums. */
export function addPoolMonth(a: AreaMonth, p: PoolMonthSummary): AreaMonth {
  const credits = sumCredits([a.credits, p.credits]);
  const opening = a.opening + p.opening;
  const allocated = a.allocated + p.allocated;
  const closing = a.closing + p.closing;
  const poolsUnbalanced = p.balanced ? a.poolsUnbalanced : [...a.poolsUnbalanced, p.pool];
  const own = runwayMonths(p.closing, p.allocated);
  const shortest =
    own !== undefined && (a.shortestRunway === undefined || own < a.shortestRunway.months)
      ? { pool: p.pool, months: own }
      : a.shortestRunway;
  const areaRunway = runwayMonths(closing, allocated);
  return {
    area: a.area,
    month: a.month,
    pools: a.pools + 1,
    running: a.running + (p.status === 'RUNNING' ? 1 : 0),
    opening,
    credits,
    allocated,
    closing,
    workers: {
      funded: a.workers.funded + p.workers.funded,
      admitted: a.workers.admitted + p.workers.admitted,
      unfunded: a.workers.unfunded + p.workers.unfunded,
      lapsed: a.workers.lapsed + p.workers.lapsed,
      waitlisted: a.workers.waitlisted + p.workers.waitlisted,
    },
    poolsWithUnfunded: a.poolsWithUnfunded + (p.workers.unfunded > 0 ? 1 : 0),
    poolsWithLapsed: a.poolsWithLapsed + (p.workers.lapsed > 0 ? 1 : 0),
    ...(areaRunway === undefined ? {} : { runwayMonths: areaRunway }),
    ...(shortest === undefined ? {} : { shortestRunway: shortest }),
    balanced: poolsUnbalanced.length === 0 && isBalanced({ opening, credits, allocated, closing }),
    poolsUnbalanced,
  };
}

export type AreaAlerts = {
  readonly area: PoolCode;
  readonly date: IsoDate;
  readonly pools: number;
  /** Pools with at least one open alert. */
  readonly poolsAlerting: number;
  readonly workersScanned: number;
  readonly counts: KindCounts;
};

export const emptyAreaAlerts = (area: PoolCode, date: IsoDate): AreaAlerts => ({
  area,
  date,
  pools: 0,
  poolsAlerting: 0,
  workersScanned: 0,
  counts: Object.fromEntries(ALERT_KINDS.map((k) => [k, { new: 0, open: 0 }])) as KindCounts,
});

export function addPoolAlerts(a: AreaAlerts, p: PoolAlertSummary): AreaAlerts {
  const counts = Object.fromEntries(
    ALERT_KINDS.map((k: AlertKind) => [
      k,
      { new: a.counts[k].new + p.counts[k].new, open: a.counts[k].open + p.counts[k].open },
    ]),
  ) as KindCounts;
  const alerting = ALERT_KINDS.some((k) => p.counts[k].open > 0);
  return {
    ...a,
    pools: a.pools + 1,
    poolsAlerting: a.poolsAlerting + (alerting ? 1 : 0),
    workersScanned: a.workersScanned + p.workersScanned,
    counts,
  };
}
