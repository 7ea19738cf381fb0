import { type Alert, allocationAlerts, fileMissingAlert } from '#domain/alerts.ts';
import { recurringCredit } from '#domain/allocation-policy.ts';
import { stateBefore } from '#domain/coverage.ts';
import { NotFoundError } from '#domain/errors.ts';
import {
  type ActiveGroup,
  addToGroups,
  expectAgencies,
  expectedCredits,
  FORECAST_MONTHS,
  type Forecast,
  projectPool,
} from '#domain/forecast.ts';
import type { AgencyCode, IsoDate, Period, PoolCode, Rupiah, Tier } from '#domain/model.ts';
import {
  addMonths,
  daysUntil,
  dueDateOf,
  jakartaInstant,
  monthsBetween,
  nextPeriod,
  previousPeriod,
} from '#domain/period.ts';
import type { ScanContext } from '#domain/ports/alerts/scan-state-store.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore } from '#domain/ports/allocation/coverage-store.ts';
import type { PoolSettings, PoolSettingsSource } from '#domain/ports/allocation/pool-settings-source.ts';
import { isClosed } from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger, PeriodCredits } from '#domain/ports/credit-ledger.ts';
import type { AgencyPeriodCredit, FileDeliveries } from '#domain/ports/file-deliveries.ts';
import { type RateTable, rateFor } from '#domain/rates.ts';
import {
  creditTotal,
  payrollByPeriod,
  sumCredits,
} from '#shared/use-cases/allocation/start-allocation-run.ts';

/**
 * forecastPool: month-by-month projection of a pool for the next 12 months from a Jakarta date
 * (opening balance, expected credits, cost of the active workers, closing balance, fundable workers,
 * runway). Finance calls it directly; the lapse scan uses `poolOutlook` (everything but the workers)
 * and counts the workers itself, chunk by chunk.
 *
 * The coming month is the month of the next allocation run: the date's month until its run has
 * completed, then the month after. Balance now = Σ credits (period ≤ coming month) − Σ allocations of
 * completed runs: the same arithmetic the run itself uses, so forecast and run agree on money.
 */

export type ForecastDeps = {
  readonly ledger: Pick<CreditLedger, 'creditsByPeriod'>;
  readonly deliveries: FileDeliveries;
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly pools: Pick<PoolSettingsSource, 'get'>;
  readonly rates: RateTable;
};

export type PoolOutlook = {
  readonly settings: PoolSettings;
  readonly context: ScanContext;
  /** FILE_MISSING alerts due on this date (empty before the pool's cutoff day). */
  readonly fileAlerts: readonly Alert[];
  /** ALLOCATION_STALLED / ALLOCATION_LATE alerts on this date (see allocationAlerts). */
  readonly runAlerts: readonly Alert[];
  /**
   * The trend view beside the headline: each agency's mean of the last three periods, faded by the
   * drop in its donors (forecast.ts, expectAgencies). Labelled as a trend wherever shown; the headline
   * (`context.expected`) is the admission rule's expectation.
   */
  readonly trendExpected: readonly Rupiah[];
};

/**
 * The expected credit per month of the headline forecast after the coming one: the sustainable-admission
 * rule's C (docs/design.md#sustainable-admission, allocation-policy.ts recurringCredit), the mean net
 * payroll credit of the last up-to-3 periods up to the last run's month (or, before any run, the month
 * before the coming one), as the ledger holds them now. So what a run's admissions promised is what the
 * forecast shows. For the coming month itself only what has not arrived yet is expected (C less its
 * payroll already credited), and nothing once its cutoff day has passed (missing files are missing).
 */
export function admissionExpected(
  credits: readonly PeriodCredits[],
  basisMonth: Period,
  coming: Period,
  opts: { readonly months: number; readonly startClosed: boolean },
): Rupiah[] {
  const payroll = payrollByPeriod(credits);
  const { sum, periods } = recurringCredit(payroll, basisMonth, previousPeriod);
  const c = periods === 0 ? 0 : Math.floor(sum / periods);
  const arrived = payroll.get(coming) ?? 0;
  return Array.from({ length: opts.months }, (_, k) =>
    k > 0 ? c : opts.startClosed ? 0 : Math.max(0, c - arrived),
  );
}

/** Periods of agency history the expectation reads: the window (3) plus one to find first periods. */
const HISTORY_MONTHS = 4;

/** FileDeliveries.agenciesDelivered from agency credits already read: donor rows in, sorted. */
const deliveredIn = (credits: readonly AgencyPeriodCredit[], period: Period): AgencyCode[] =>
  [...new Set(credits.filter((c) => c.period === period && c.rows > 0).map((c) => c.agency))].sort();

export async function poolOutlook(deps: ForecastDeps, pool: PoolCode, date: IsoDate): Promise<PoolOutlook> {
  const today: Period = date.slice(0, 7);
  // The agency history wanted ends at the coming month, which the runs decide: this month or the
  // next. Read the history up to next month beside the other reads, and cut it once `coming` is known.
  const around = { from: addMonths(today, -HISTORY_MONTHS), to: nextPeriod(today) };
  const [settings, runs, credits, recent] = await Promise.all([
    deps.pools.get(pool),
    deps.log.listRuns(pool),
    deps.ledger.creditsByPeriod(pool),
    deps.deliveries.agencyCredits(pool, around.from, around.to),
  ]);
  if (!settings) throw new NotFoundError(`Pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
  const completed = runs.filter((r) => r.status === 'COMPLETED');
  // An aborted run's committed chunks were allocated too; its month is done only once a re-run completes.
  const closed = runs.filter(isClosed);
  const lastRun = completed.reduce<Period | undefined>(
    (m, r) => (m === undefined || r.month > m ? r.month : m),
    undefined,
  );
  const coming = lastRun !== undefined && lastRun >= today ? nextPeriod(lastRun) : today;

  const allocated = closed.reduce((s, r) => s + r.cursor.allocated, 0);
  const openingBalance = creditTotal(sumCredits(credits, coming)) - allocated;
  const from = addMonths(coming, -HISTORY_MONTHS);
  const history =
    from >= around.from && coming <= around.to
      ? recent.filter((h) => h.period >= from && h.period <= coming)
      : await deps.deliveries.agencyCredits(pool, from, coming);
  const deliveredComing = new Set(history.filter((h) => h.period === coming).map((h) => h.agency));
  const pastCutoff = Number(date.slice(8, 10)) >= settings.fileCutoffDay;
  // Past the cutoff of the coming month, an agency that has not delivered it is missing, not expected.
  const startClosed = pastCutoff && coming === today;
  const trendExpected = expectedCredits(expectAgencies(history, coming), deliveredComing, {
    months: FORECAST_MONTHS,
    startClosed,
  });
  const expected = admissionExpected(credits, lastRun ?? addMonths(coming, -1), coming, {
    months: FORECAST_MONTHS,
    startClosed,
  });

  const fileAlerts: Alert[] = [];
  if (pastCutoff) {
    const cutoff = `${today}-${String(settings.fileCutoffDay).padStart(2, '0')}`;
    const last = addMonths(today, -1);
    // The history just read covers both months whenever the coming month is this one or the next.
    const [before, now] =
      last >= from && today <= coming
        ? [deliveredIn(history, last), deliveredIn(history, today)]
        : await Promise.all([
            deps.deliveries.agenciesDelivered(pool, last),
            deps.deliveries.agenciesDelivered(pool, today),
          ]);
    const delivered = new Set(now);
    for (const agency of [...before].sort()) {
      if (!delivered.has(agency)) fileAlerts.push(fileMissingAlert(pool, agency, today, cutoff));
    }
  }
  return {
    settings,
    fileAlerts,
    runAlerts: allocationAlerts(pool, runs, date),
    trendExpected,
    context: {
      ...(lastRun === undefined ? {} : { lastRun }),
      coming,
      daysUntilDue: daysUntil(jakartaInstant(date), dueDateOf(coming)),
      openingBalance,
      moneyForComing: openingBalance + (expected[0] ?? 0),
      expected,
      runwayAlertMonths: settings.runwayAlertMonths,
    },
  };
}

export const rateOfTable =
  (rates: RateTable) =>
  (tier: Tier, month: Period): number =>
    rateFor(rates, tier, month);

/** The projection from an outlook and the active workers counted for its coming month. */
export const projectOutlook = (
  ctx: ScanContext,
  groups: readonly ActiveGroup[],
  rates: RateTable,
): Forecast =>
  projectPool({
    start: ctx.coming,
    openingBalance: ctx.openingBalance,
    expected: ctx.expected,
    groups,
    rateOf: rateOfTable(rates),
  });

export type PoolForecast = Forecast & {
  readonly pool: PoolCode;
  readonly date: IsoDate;
  readonly context: ScanContext;
  /** The headline's expected credit per month after the coming one: the admission rule's C. */
  readonly model: 'ADMISSION_MEAN_3';
  /** The same workers under the per-agency trend (labelled "tren" wherever shown), beside the headline. */
  readonly trend: Forecast;
};

export function makeForecastPool(deps: ForecastDeps & { readonly coverage: CoverageStore }) {
  return async function forecastPool(input: { pool: PoolCode; date: IsoDate }): Promise<PoolForecast> {
    const { context, trendExpected } = await poolOutlook(deps, input.pool, input.date);
    let groups: ActiveGroup[] = [];
    for await (const page of deps.coverage.list(input.pool)) {
      const active = [];
      for (const r of page) {
        const s = stateBefore(r, context.coming, monthsBetween);
        if (s.status === 'ACTIVE')
          active.push({ unpaidStreak: s.unpaidStreak, paidThrough: s.paidThrough, tier: r.tier });
      }
      groups = addToGroups(groups, active);
    }
    return {
      pool: input.pool,
      date: input.date,
      context,
      ...projectOutlook(context, groups, deps.rates),
      model: 'ADMISSION_MEAN_3',
      trend: projectOutlook({ ...context, expected: trendExpected }, groups, deps.rates),
    };
  };
}
