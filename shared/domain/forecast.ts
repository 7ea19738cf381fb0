import type { AgencyCode, Period, Rupiah, Tier } from '#domain/model.ts';
import { addMonths, monthsBetween } from '#domain/period.ts';
import type { AgencyPeriodCredit } from '#domain/ports/file-deliveries.ts';

/**
 * Pool forecast (docs/design.md#allocation-policy, #alerts): what the pool can pay month by month if nothing changes but the
 * credits we expect. Pure: the use cases read the ledger and coverage, this file does the arithmetic.
 *
 * ## Expected credits
 * The forecast's headline expects the sustainable-admission rule's C (use-cases/forecast-pool.ts,
 * admissionExpected; docs/one-truth.md). The per-agency trend below is shown beside it, labelled.
 * Per agency, for a forecast starting at coverage month M:
 *  - base = mean of its net payroll credit over the periods M-3..M-1 that are not before its first
 *    period; a period it did not deliver counts as 0, so an agency that stops sending fades out
 *    (2/3, 1/3, 0 of its credit) instead of being expected forever;
 *  - churn = the drop in donor rows between its last two delivered periods in that window, as a
 *    fraction of the earlier one, capped at CHURN_CAP (a one-off drop, e.g. a file split in two, must
 *    not zero a pool's forecast) and never negative (new donors are not forecast);
 *  - expected credit for M+k = floor(base × (1 − churn)^(k+1)).
 * Grants are one-off: they count only through the balance.
 * For M itself, an agency that already delivered M is in the balance; only the others are expected.
 *
 * ## Funding line
 * Active workers are funded in policy order (most unpaid months first, then earliest paid-through).
 * Workers are grouped by that key; groups are funded whole while the money lasts; the first group that
 * does not fit is the boundary group, funded first-fit in scan order from what is left; every later
 * group is counted unfunded. Within a group the run breaks ties by enrolment date, which the coverage
 * record does not carry, so the forecast fixes the *number* funded; which members of the boundary group
 * fall below the line can differ (a warning, never a decision).
 */

export const CHURN_CAP = 0.1;
export const FORECAST_MONTHS = 12;
const WINDOW = 3;

export type AgencyExpectation = {
  readonly agency: AgencyCode;
  /** Mean net credit per period over the window (rupiah, floored). */
  readonly base: Rupiah;
  /** Fraction of donors expected to leave per month, 0..CHURN_CAP. */
  readonly churn: number;
  /** Last period in the window the agency delivered, if any. */
  readonly lastDelivered?: Period;
};

export function expectAgencies(history: readonly AgencyPeriodCredit[], start: Period): AgencyExpectation[] {
  const byAgency = new Map<AgencyCode, AgencyPeriodCredit[]>();
  for (const h of history) byAgency.set(h.agency, [...(byAgency.get(h.agency) ?? []), h]);
  const windowStart = addMonths(start, -WINDOW);
  const out: AgencyExpectation[] = [];
  for (const [agency, all] of [...byAgency].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Periods are YYYY-MM strings: text order is time order.
    const first = all.map((h) => h.period).sort()[0] ?? start;
    const inWindow = all.filter((h) => h.period >= windowStart && h.period < start);
    const from = [first, windowStart].sort()[1] ?? first;
    const periods = from < start ? WINDOW - Math.max(0, monthsBetween(windowStart, from)) : 0;
    if (periods <= 0) continue;
    const sum = inWindow.reduce((s, h) => s + h.total, 0);
    const delivered = inWindow.filter((h) => h.rows > 0).sort((a, b) => (a.period < b.period ? -1 : 1));
    const last = delivered.at(-1);
    const prev = delivered.at(-2);
    const drop = last && prev && prev.rows > 0 ? (prev.rows - last.rows) / prev.rows : 0;
    out.push({
      agency,
      base: Math.max(0, Math.floor(sum / periods)),
      churn: Math.min(CHURN_CAP, Math.max(0, drop)),
      ...(last ? { lastDelivered: last.period } : {}),
    });
  }
  return out;
}

/** Expected credit of one agency k months after the forecast start (k = 0 is M itself). */
export const expectedOf = (e: AgencyExpectation, k: number): Rupiah =>
  Math.floor(e.base * (1 - e.churn) ** (k + 1));

/**
 * Expected credits per forecast month: index 0 = M, counting only agencies that have not delivered
 * M yet (none once M's cutoff day has passed: `startClosed`); later months count every agency.
 */
export function expectedCredits(
  expectations: readonly AgencyExpectation[],
  deliveredForStart: ReadonlySet<AgencyCode>,
  opts: { readonly months?: number; readonly startClosed?: boolean } = {},
): Rupiah[] {
  return Array.from({ length: opts.months ?? FORECAST_MONTHS }, (_, k) =>
    k === 0 && opts.startClosed
      ? 0
      : expectations
          .filter((e) => k > 0 || !deliveredForStart.has(e.agency))
          .reduce((s, e) => s + expectedOf(e, k), 0),
  );
}

/** Active workers counted by policy-order key and tier (what a scan's first pass accumulates). */
export type ActiveGroup = {
  readonly unpaidStreak: number;
  readonly paidThrough?: Period;
  readonly tier: Tier;
  readonly count: number;
};

/** Sorts ascending in policy order: more unpaid months first, then earlier paid-through. */
export const groupKey = (g: { unpaidStreak: number; paidThrough?: Period | undefined }): string =>
  `${9 - g.unpaidStreak}#${g.paidThrough ?? '0000-00'}`;

/** Adds workers to the counts (one copy per call, so a chunk of 1,000 costs one allocation). */
export function addToGroups(
  groups: readonly ActiveGroup[],
  adds: Iterable<{ unpaidStreak: number; paidThrough?: Period | undefined; tier: Tier }>,
): ActiveGroup[] {
  const byKey = new Map(groups.map((g) => [`${groupKey(g)}#${g.tier}`, { ...g }]));
  for (const a of adds) {
    const key = `${groupKey(a)}#${a.tier}`;
    const g = byKey.get(key);
    if (g) g.count++;
    else
      byKey.set(key, {
        unpaidStreak: a.unpaidStreak,
        ...(a.paidThrough ? { paidThrough: a.paidThrough } : {}),
        tier: a.tier,
        count: 1,
      });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

export type FundingLine = {
  /** Groups with a key below this are funded whole; equal = boundary; above = unfunded. '' = nobody active. */
  readonly boundaryKey: string;
  /** Money left for the boundary group (first-fit in scan order). */
  readonly boundaryBudget: Rupiah;
  /** Whether every active worker is funded. */
  readonly allFunded: boolean;
  readonly active: number;
  /** Workers funded (the boundary group estimated dearer tiers first: never optimistic). */
  readonly fundable: number;
  readonly spent: Rupiah;
};

export function fundingLine(
  groups: readonly ActiveGroup[],
  money: Rupiah,
  rateOf: (tier: Tier) => Rupiah,
): FundingLine {
  const keys = [...new Set(groups.map(groupKey))].sort();
  const active = groups.reduce((s, g) => s + g.count, 0);
  let left = Math.max(0, money);
  let fundable = 0;
  for (const key of keys) {
    const members = groups.filter((g) => groupKey(g) === key).sort((a, b) => rateOf(b.tier) - rateOf(a.tier));
    const cost = members.reduce((s, g) => s + g.count * rateOf(g.tier), 0);
    if (cost <= left) {
      left -= cost;
      fundable += members.reduce((s, g) => s + g.count, 0);
      continue;
    }
    const budget = left;
    for (const g of members) {
      const n = Math.min(g.count, Math.floor(left / rateOf(g.tier)));
      fundable += n;
      left -= n * rateOf(g.tier);
    }
    return {
      boundaryKey: key,
      boundaryBudget: budget,
      allFunded: false,
      active,
      fundable,
      spent: money - left,
    };
  }
  return { boundaryKey: '~', boundaryBudget: left, allFunded: true, active, fundable, spent: money - left };
}

export type ForecastMonth = {
  readonly month: Period;
  readonly opening: Rupiah;
  readonly expectedCredits: Rupiah;
  readonly cost: Rupiah;
  readonly closing: Rupiah;
  readonly active: number;
  readonly fundable: number;
  /** Months the closing balance alone would pay all active workers (no new credits). */
  readonly coverMonths: number;
};

export type Forecast = {
  readonly start: Period;
  readonly months: readonly ForecastMonth[];
  /** Consecutive months from `start` in which every active worker is funded (= months.length if all). */
  readonly runwayMonths: number;
};

/** Projects the balance month by month with a fixed set of active workers (no admissions, no lapses). */
export function projectPool(input: {
  readonly start: Period;
  readonly openingBalance: Rupiah;
  readonly expected: readonly Rupiah[];
  readonly groups: readonly ActiveGroup[];
  readonly rateOf: (tier: Tier, month: Period) => Rupiah;
}): Forecast {
  const months: ForecastMonth[] = [];
  let opening = input.openingBalance;
  let runway = -1;
  input.expected.forEach((credits, k) => {
    const month = addMonths(input.start, k);
    const rate = (tier: Tier) => input.rateOf(tier, month);
    const line = fundingLine(input.groups, opening + credits, rate);
    const cost = input.groups.reduce((s, g) => s + g.count * rate(g.tier), 0);
    const closing = opening + credits - line.spent;
    if (!line.allFunded && runway < 0) runway = k;
    months.push({
      month,
      opening,
      expectedCredits: credits,
      cost,
      closing,
      active: line.active,
      fundable: line.fundable,
      coverMonths: cost > 0 ? Math.floor(closing / cost) : 0,
    });
    opening = closing;
  });
  return { start: input.start, months, runwayMonths: runway < 0 ? months.length : runway };
}
