import type { AgencyCode, Period, PoolCode, Rupiah } from './model.ts';
import { largestRemainder, type MonthFunding, monthFunding } from './statements.ts';

/**
 * A pool's coverage month apportioned once, when its run completes (docs/finance-queries.md): every
 * donor's and every agency's part of the month's payroll-funded allocations, in rupiah and in
 * worker-months (hundredths). The attribution rule is the one in statements.ts: payroll of period M pays
 * coverage month M first; a donor (or agency) weighs its net deduction of M (never below zero).
 *
 * Both levels use the largest remainder method on the same totals, so
 *   Σ donors.rupiah = Σ agencies.rupiah = payrollFunded(M)  and
 *   Σ donors.workerMonths100 = Σ agencies.workerMonths100 = payrollWorkerMonths100(M)
 * exactly (a donor deducted by two agencies weighs its total; its two agencies each weigh their own rows,
 * so a donor's rupiah need not sum to an agency's: the two are separate apportionments of one total).
 */

/**
 * A worker a donor named in period P's deduction (earmark) and whether the coverage month whose run
 * honoured it funded that worker: month P, or, for a file that arrived after P's run, the month of the
 * run that counted its money (docs/design.md#earmarks-travel-with-the-money).
 */
export type EarmarkOutcome = {
  readonly nik: string;
  readonly funded: boolean;
  /** The coverage month whose run honoured the earmark, when not P (a late file's earmark). */
  readonly month?: Period;
  /** A late earmark no run has honoured yet: the pool's next run will (not funded so far). */
  readonly pending?: true;
  /** The worker's name as the allocation log has it (funded workers only); masked wherever shown. */
  readonly name?: string;
};

export type DonorLine = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly nip: string;
  /** Agencies whose committed rows of M name this donor, sorted. */
  readonly agencies: readonly AgencyCode[];
  readonly deducted: Rupiah;
  readonly corrected: Rupiah;
  readonly net: Rupiah;
  readonly rupiah: Rupiah;
  readonly workerMonths100: number;
  readonly earmarks: readonly EarmarkOutcome[];
};

export type AgencyLine = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly donors: number;
  readonly net: Rupiah;
  readonly rupiah: Rupiah;
  readonly workerMonths100: number;
  /** Workers named by this agency's donors for M, with their NIP and whether M funded them. */
  readonly earmarks: readonly (EarmarkOutcome & { readonly nip: string })[];
};

/**
 * What the shares were computed from, so a later change of the month's credits (a late file, a
 * correction) is seen: count, net and newest recording time of the period's committed payroll chunks,
 * and the month's runs.
 */
export type ShareBasis = {
  readonly chunks: number;
  readonly netPayroll: Rupiah;
  readonly lastRecordedAt: string;
  readonly runs: number;
};

export type MonthHead = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly funding: MonthFunding;
  readonly donors: number;
  readonly agencies: number;
  readonly basis: ShareBasis;
  readonly computedAt: string;
  /** Reports-bucket key of the month's shares CSV (every donor and agency line). */
  readonly exportKey?: string;
};

export type MonthApportionment = {
  readonly head: MonthHead;
  readonly donors: readonly DonorLine[];
  readonly agencies: readonly AgencyLine[];
};

/** Sums one month's committed deduction and correction rows per donor and per agency (pure, streaming). */
export class MonthTally {
  readonly donors = new Map<string, { deducted: Rupiah; corrected: Rupiah; agencies: Set<AgencyCode> }>();
  readonly agencies = new Map<AgencyCode, { net: Rupiah; donors: Set<string> }>();

  /** Adds one committed row (`amount` signed for a correction). */
  add(row: {
    readonly nip: string;
    readonly agency: AgencyCode;
    readonly kind: 'DEDUCTION' | 'CORRECTION';
    readonly amount: Rupiah;
  }): void {
    const d = this.donors.get(row.nip) ?? { deducted: 0, corrected: 0, agencies: new Set<AgencyCode>() };
    if (row.kind === 'DEDUCTION') d.deducted += row.amount;
    else d.corrected += row.amount;
    d.agencies.add(row.agency);
    this.donors.set(row.nip, d);
    const a = this.agencies.get(row.agency) ?? { net: 0, donors: new Set<string>() };
    a.net += row.amount;
    a.donors.add(row.nip);
    this.agencies.set(row.agency, a);
  }

  get netPayroll(): Rupiah {
    let sum = 0;
    for (const a of this.agencies.values()) sum += a.net;
    return sum;
  }
}

/**
 * Apportions month M of a pool. `allocated`/`funded` are the month's run totals (all runs), `earmarks`
 * the workers still named by M's deductions (latest file version) and `fundedNiks` those of them with an
 * allocation of M. Deterministic: the same inputs give the same lines (ties go to the smaller key).
 */
export function apportionMonth(input: {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly allocated: Rupiah;
  readonly funded: number;
  readonly tally: MonthTally;
  readonly earmarks: readonly { readonly nip: string; readonly nik: string; readonly agency: AgencyCode }[];
  /** Earmarked workers with an allocation of M, and their names. */
  readonly fundedNiks: ReadonlyMap<string, string>;
  /**
   * Per earmark (key `nip#nik`) honoured by a later month's run or by none yet: that month (and whether
   * it funded the worker, with the name), or 'PENDING'. Earmarks not listed were honoured by M's runs.
   */
  readonly carried?: ReadonlyMap<string, { readonly month: Period; readonly name?: string } | 'PENDING'>;
  readonly basis: ShareBasis;
  readonly computedAt: string;
}): MonthApportionment {
  const { pool, period, tally } = input;
  const funding = monthFunding({
    month: period,
    allocated: input.allocated,
    funded: input.funded,
    netPayroll: tally.netPayroll,
  });
  const donorWeights = [...tally.donors].map(([key, d]) => ({
    key,
    weight: Math.max(0, d.deducted + d.corrected),
  }));
  const agencyWeights = [...tally.agencies].map(([key, a]) => ({ key, weight: Math.max(0, a.net) }));
  const donorRupiah = largestRemainder(funding.payrollFunded, donorWeights);
  const donorMonths = largestRemainder(funding.payrollWorkerMonths100, donorWeights);
  const agencyRupiah = largestRemainder(funding.payrollFunded, agencyWeights);
  const agencyMonths = largestRemainder(funding.payrollWorkerMonths100, agencyWeights);

  const marksByNip = new Map<string, EarmarkOutcome[]>();
  const marksByAgency = new Map<AgencyCode, (EarmarkOutcome & { nip: string })[]>();
  for (const e of input.earmarks) {
    const carried = input.carried?.get(`${e.nip}#${e.nik}`);
    const name =
      carried === undefined ? input.fundedNiks.get(e.nik) : carried === 'PENDING' ? undefined : carried.name;
    const outcome: EarmarkOutcome = {
      nik: e.nik,
      funded: name !== undefined,
      ...(name ? { name } : {}),
      ...(carried === 'PENDING' ? { pending: true } : carried ? { month: carried.month } : {}),
    };
    const mine = marksByNip.get(e.nip) ?? [];
    if (!mine.some((m) => m.nik === e.nik)) mine.push(outcome);
    marksByNip.set(e.nip, mine);
    marksByAgency.set(e.agency, [...(marksByAgency.get(e.agency) ?? []), { ...outcome, nip: e.nip }]);
  }

  const donors: DonorLine[] = [...tally.donors].map(([nip, d]) => ({
    pool,
    period,
    nip,
    agencies: [...d.agencies].sort(),
    deducted: d.deducted,
    corrected: d.corrected,
    net: d.deducted + d.corrected,
    rupiah: donorRupiah.get(nip) ?? 0,
    workerMonths100: donorMonths.get(nip) ?? 0,
    earmarks: (marksByNip.get(nip) ?? []).sort((a, b) => (a.nik < b.nik ? -1 : 1)),
  }));
  const agencies: AgencyLine[] = [...tally.agencies].map(([agency, a]) => ({
    pool,
    period,
    agency,
    donors: a.donors.size,
    net: a.net,
    rupiah: agencyRupiah.get(agency) ?? 0,
    workerMonths100: agencyMonths.get(agency) ?? 0,
    earmarks: marksByAgency.get(agency) ?? [],
  }));
  return {
    head: {
      pool,
      period,
      funding,
      donors: donors.length,
      agencies: agencies.length,
      basis: input.basis,
      computedAt: input.computedAt,
    },
    donors,
    agencies,
  };
}

/** Whether shares computed on `stored` still describe the month given its credits now. */
export const basisChanged = (stored: ShareBasis, now: ShareBasis): boolean =>
  stored.chunks !== now.chunks ||
  stored.netPayroll !== now.netPayroll ||
  stored.lastRecordedAt !== now.lastRecordedAt ||
  stored.runs !== now.runs;
