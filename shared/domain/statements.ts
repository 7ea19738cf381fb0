import type { Period, PoolCode, Rupiah } from './model.ts';
import {
  type CreditTotals,
  isClosed,
  monthStatus,
  type RunRecord,
  type RunStatus,
} from './ports/allocation/run-record.ts';
import type { PeriodCredits } from './ports/credit-ledger.ts';

/**
 * The arithmetic behind finance's statements (docs/design.md#statements): who funded what, to the rupiah.
 *
 * ## How a month's allocations are attributed to donors
 * Coverage month M is paid from `available` = carried balance + credits of periods ≤ M (§5). Donor money
 * of payroll period M is treated as spent **first** on coverage month M, the month it was deducted for:
 *
 *   payrollFunded(M) = min(allocated(M), max(0, netPayroll(M)))
 *
 * where netPayroll(M) = Σ deductions + Σ corrections of period M, as the ledger stands now (a late
 * correction changes the attribution of its month, never the allocations already made). The rest of
 * allocated(M), `otherFunded`, came from grants (APBD, BKBK, CSR) and from balance carried from earlier
 * months; it is reported as such and attributed to no donor. Payroll of M that M's allocations did not
 * need stays in the pool as runway and is not attributed again in later months, so no rupiah of a donor
 * is ever counted twice.
 *
 * Each donor's share of M is netDeduction(donor, M) / netPayroll(M), applied to payrollFunded(M) in
 * rupiah and to the payroll-funded worker-months (in hundredths). Both are apportioned by the largest
 * remainder method, so the statements of all donors of a pool sum exactly to the pool's figures.
 */

/** A weight per key; non-negative integers (rupiah). */
export type Weight = { readonly key: string; readonly weight: number };

const assertCount = (n: number, what: string): void => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
};

/**
 * Splits `total` (a non-negative integer) in proportion to the weights by the largest remainder method
 * (Hamilton): everyone gets floor(total·w/W), the units left go to the largest remainders, ties to the
 * smaller key, so the result is deterministic and sums exactly to `total` (0 for all when W = 0).
 * BigInt inside: total·w can exceed 2^53 for a province-sized pool.
 */
export function largestRemainder(total: number, weights: readonly Weight[]): Map<string, number> {
  assertCount(total, 'total');
  for (const w of weights) assertCount(w.weight, 'weight');
  const result = new Map<string, number>(weights.map((w) => [w.key, 0]));
  const sum = weights.reduce((s, w) => s + BigInt(w.weight), 0n);
  if (sum === 0n || total === 0) return result;
  const t = BigInt(total);
  let given = 0n;
  const remainders: { key: string; rem: bigint }[] = [];
  for (const w of weights) {
    const exact = t * BigInt(w.weight);
    const floor = exact / sum;
    given += floor;
    result.set(w.key, (result.get(w.key) ?? 0) + Number(floor));
    remainders.push({ key: w.key, rem: exact % sum });
  }
  remainders.sort((a, b) =>
    a.rem === b.rem ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.rem > b.rem ? -1 : 1,
  );
  let left = Number(t - given);
  for (const r of remainders) {
    if (left <= 0) break;
    result.set(r.key, (result.get(r.key) ?? 0) + 1);
    left--;
  }
  return result;
}

/** How one coverage month was funded, as far as donors are concerned. */
export type MonthFunding = {
  readonly month: Period;
  /** Σ allocations of every run of the month. */
  readonly allocated: Rupiah;
  /** Workers funded in the month (one worker-month each). */
  readonly funded: number;
  /** Σ deductions + corrections of payroll period M. */
  readonly netPayroll: Rupiah;
  /** The part of `allocated` attributed to donors of period M. */
  readonly payrollFunded: Rupiah;
  /** Grants and carried balance. */
  readonly otherFunded: Rupiah;
  /** Payroll-funded worker-months in hundredths (funded · payrollFunded / allocated, rounded half up). */
  readonly payrollWorkerMonths100: number;
};

export function monthFunding(input: {
  month: Period;
  allocated: Rupiah;
  funded: number;
  netPayroll: Rupiah;
}): MonthFunding {
  assertCount(input.allocated, 'allocated');
  assertCount(input.funded, 'funded');
  const payrollFunded = Math.min(input.allocated, Math.max(0, input.netPayroll));
  const payrollWorkerMonths100 =
    input.allocated === 0
      ? 0
      : Number(
          (BigInt(input.funded) * 100n * BigInt(payrollFunded) * 2n + BigInt(input.allocated)) /
            (2n * BigInt(input.allocated)),
        );
  return {
    ...input,
    payrollFunded,
    otherFunded: input.allocated - payrollFunded,
    payrollWorkerMonths100,
  };
}

export type DonorShare = {
  readonly key: string;
  readonly netDeduction: Rupiah;
  readonly rupiah: Rupiah;
  /** Worker-months in hundredths (divide by 100 to show, 2 decimals). */
  readonly workerMonths100: number;
};

/**
 * Every donor's share of one month. A net deduction below zero (only possible while a correction is
 * half ingested) weighs zero: nobody is attributed negative coverage.
 */
export function donorShares(
  funding: MonthFunding,
  nets: readonly { readonly key: string; readonly net: Rupiah }[],
): DonorShare[] {
  const weights = nets.map((n) => ({ key: n.key, weight: Math.max(0, n.net) }));
  const rupiah = largestRemainder(funding.payrollFunded, weights);
  const months = largestRemainder(funding.payrollWorkerMonths100, weights);
  return nets.map((n) => ({
    key: n.key,
    netDeduction: n.net,
    rupiah: rupiah.get(n.key) ?? 0,
    workerMonths100: months.get(n.key) ?? 0,
  }));
}

/** `1234` hundredths -> `12.34` (JSON) ; Indonesian display swaps the separator. */
export const hundredthsToDecimal = (h: number): string => {
  const sign = h < 0 ? '-' : '';
  const a = Math.abs(h);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

const ZERO: CreditTotals = { deductions: 0, corrections: 0, grants: 0 };

/** Credits by kind (rupiah) with their total: the shape of a reconciliation's and a balance's credits. */
export type CreditsWithTotal = CreditTotals & { readonly total: Rupiah };

/** Σ of credits by kind and in total (a pool's periods, or the pools of an area). */
export function sumCredits(parts: readonly CreditTotals[]): CreditsWithTotal {
  const t = parts.reduce(
    (a, c) => ({
      deductions: a.deductions + c.deductions,
      corrections: a.corrections + c.corrections,
      grants: a.grants + c.grants,
    }),
    ZERO,
  );
  return { ...t, total: t.deductions + t.corrections + t.grants };
}

/**
 * Conservation (docs/design.md, rule 1), checked never assumed: opening + credits − allocated = closing,
 * for a pool's month (reconcileMonth) as for an area's (domain/areas.ts).
 */
export const isBalanced = (m: {
  readonly opening: Rupiah;
  readonly credits: { readonly total: Rupiah };
  readonly allocated: Rupiah;
  readonly closing: Rupiah;
}): boolean => m.opening + m.credits.total - m.allocated === m.closing;

/** Worker counts of a month's runs (a pool's reconciliation, or summed over an area). */
export type MonthWorkerCounts = {
  readonly funded: number;
  readonly admitted: number;
  /** After the month's last run (a re-run re-evaluates the unfunded from their prior state). */
  readonly unfunded: number;
  readonly lapsed: number;
  /** Waitlisted workers not admitted (no money, or not sustainable). */
  readonly waitlisted: number;
};

export type Reconciliation = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly status: RunStatus;
  readonly runs: readonly string[];
  /** Closing balance of the pool's previous run (0 before the first). */
  readonly opening: Rupiah;
  /** Credits that reached the month's runs since the previous run, by kind (periods ≤ M). */
  readonly credits: CreditsWithTotal;
  readonly allocated: Rupiah;
  readonly closing: Rupiah;
  readonly workers: MonthWorkerCounts;
  /** opening + credits − allocated = closing, checked, never assumed. */
  readonly balanced: boolean;
};

/**
 * Reconciliation of coverage month M from the run records alone (they are the append-only record of
 * what each run saw and did). With run r's credits C_r (Σ credits of periods ≤ its month when it
 * started): available_r = previousClosing_r + (C_r − C_{r−1}), closing_r = available_r − allocated_r.
 * Over the month's runs this telescopes to opening + (C_last − C_before) − Σ allocated = closing.
 */
export function reconcileMonth(runs: readonly RunRecord[], month: Period): Reconciliation | undefined {
  const firstIndex = runs.findIndex((r) => r.month === month);
  if (firstIndex < 0) return undefined;
  const ofMonth = runs.filter((r) => r.month === month);
  const first = ofMonth[0] as RunRecord;
  const last = ofMonth.at(-1) as RunRecord;
  const before = runs[firstIndex - 1]?.credits ?? ZERO;
  const credits = sumCredits([
    {
      deductions: last.credits.deductions - before.deductions,
      corrections: last.credits.corrections - before.corrections,
      grants: last.credits.grants - before.grants,
    },
  ]);
  const allocated = ofMonth.reduce((s, r) => s + r.cursor.allocated, 0);
  const closing = last.available - last.cursor.allocated;
  const figures = { opening: first.previousClosing, credits, allocated, closing };
  return {
    pool: first.pool,
    month,
    status: monthStatus(ofMonth) as RunStatus,
    runs: ofMonth.map((r) => r.runId),
    ...figures,
    workers: {
      funded: ofMonth.reduce((s, r) => s + r.cursor.funded, 0),
      admitted: ofMonth.reduce((s, r) => s + r.cursor.admitted, 0),
      unfunded: last.cursor.unfunded,
      lapsed: last.cursor.lapsed,
      waitlisted: last.cursor.waitlistSkipped,
    },
    balanced: isBalanced(figures),
  };
}

export type PoolBalance = {
  readonly asOf: string;
  /** Every credit recorded by `asOf`, whatever its period, by kind. */
  readonly credits: CreditsWithTotal;
  /** Σ allocations of the runs completed by `asOf`. */
  readonly allocated: Rupiah;
  /** credits − allocated: the pool's money at that moment (rule 1, conservation). */
  readonly balance: Rupiah;
  /** Credits of periods after the last completed month: received, not yet usable. */
  readonly futureCredits: Rupiah;
  /** Closing balance of the last run closed by `asOf` (what its reconciliation shows); 0 before any. */
  readonly lastClosing: Rupiah;
  /**
   * Corrections recorded since the last run (docs/one-truth.md), counted in the next one: credits of
   * periods ≤ lastMonth recorded after that month's runs started. balance = lastClosing +
   * pendingCorrections + futureCredits, so the balance, the reconciliation and the shares agree.
   */
  readonly pendingCorrections: Rupiah;
  readonly lastMonth?: Period;
  readonly lastRun?: string;
  readonly fundedLastMonth: number;
  readonly months: number;
};

/** The pool as it stood at `asOf`: credits recorded and runs completed by then (append-only history). */
export function balanceAsOf(
  credits: readonly PeriodCredits[],
  runs: readonly RunRecord[],
  asOf: Date,
): PoolBalance {
  const cutoff = asOf.toISOString();
  const done = runs.filter((r) => isClosed(r) && r.completedAt !== undefined && r.completedAt <= cutoff);
  const totals = sumCredits(credits);
  const allocated = done.reduce((s, r) => s + r.cursor.allocated, 0);
  const last = done.at(-1);
  const lastMonth = last?.month;
  const futureCredits = credits
    .filter((c) => lastMonth === undefined || c.period > lastMonth)
    .reduce((s, c) => s + c.deductions + c.corrections + c.grants, 0);
  const lastClosing = last === undefined ? 0 : last.available - last.cursor.allocated;
  const balance = totals.total - allocated;
  return {
    asOf: cutoff,
    credits: totals,
    allocated,
    balance,
    futureCredits,
    lastClosing,
    // By difference: every credit of a period ≤ lastMonth that the last run did not see.
    pendingCorrections: last === undefined ? 0 : balance - lastClosing - futureCredits,
    ...(last === undefined ? {} : { lastMonth: last.month, lastRun: last.runId }),
    fundedLastMonth: done.filter((r) => r.month === lastMonth).reduce((s, r) => s + r.cursor.funded, 0),
    months: new Set(done.map((r) => r.month)).size,
  };
}
