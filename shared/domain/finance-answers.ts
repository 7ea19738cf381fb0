import type { BpjsAnswer, BpjsCoverage } from './confirmed-coverage.ts';
import type { CorrectionLine, CountedIn } from './corrections.ts';
import type { AgencyCode, Period, PoolCode, PriorityClass, Rupiah, Tier } from './model.ts';
import type { EarmarkOutcome } from './month-shares.ts';
import type { AllocationEntry, RunStatus } from './ports/allocation/run-record.ts';
import type { MonthFunding } from './statements.ts';

/**
 * The shapes of the finance answers (docs/finance-queries.md): what the finance queries return and the
 * HTTP API, the console, the CLI and the CSV exports render. Data only; the rules that fill them are in
 * statements.ts and month-shares.ts, the queries in shared/use-cases/finance/.
 */

export type StatementLine = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agencies: readonly AgencyCode[];
  /** Σ of the donor's DEDUCTION rows of the period. */
  readonly deducted: Rupiah;
  /** Σ of the donor's CORRECTION rows (signed) of the period. */
  readonly corrected: Rupiah;
  readonly net: Rupiah;
  readonly poolNetPayroll: Rupiah;
  readonly poolAllocated: Rupiah;
  readonly poolPayrollFunded: Rupiah;
  /** The donor's pro-rata part of the payroll-funded allocations of coverage month = period. */
  readonly rupiah: Rupiah;
  readonly workerMonths: string;
  /** PENDING: coverage month not allocated yet (nothing funded by it so far). */
  readonly status: 'ALLOCATED' | 'PENDING';
  /**
   * Workers this donor named in the period's deduction (earmarks) and whether that month's coverage of
   * each was funded; the NIK and name are masked wherever the statement is shown (export.ts).
   */
  readonly earmarks?: readonly EarmarkOutcome[];
  /**
   * The donor's rows of this period recorded after a run of it had started (docs/one-truth.md): each
   * with the run that counted it, or none yet (counted in the next run). Absent when there are none.
   */
  readonly corrections?: readonly StatementCorrection[];
};

/** One correction of a donor's period: signed rupiah, when recorded, which run counted it. */
export type StatementCorrection = {
  readonly amount: Rupiah;
  readonly recordedAt: string;
  readonly countedIn?: CountedIn;
};

export type DonorStatement = {
  readonly nip: string;
  readonly lines: readonly StatementLine[];
  readonly totals: { readonly net: Rupiah; readonly rupiah: Rupiah; readonly workerMonths: string };
};

export type AgencyShare = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly agency: AgencyCode;
  readonly donors: number;
  readonly netDeduction: Rupiah;
  readonly poolNetPayroll: Rupiah;
  readonly funding: MonthFunding;
  /** The agency's part of the payroll-funded allocations (largest remainder across agencies). */
  readonly rupiah: Rupiah;
  readonly workerMonths: string;
  /** Allocations of the month named by earmarks from this agency's donors. */
  readonly earmarked: readonly AllocationEntry[];
  /**
   * This agency's corrections (docs/one-truth.md): `countedHere`, those the month's runs counted (each
   * naming the earlier period it corrects); `ofThisMonth`, those of this month recorded after its run,
   * each with the run that counted it or none yet.
   */
  readonly corrections: {
    readonly countedHere: readonly CorrectionLine[];
    readonly ofThisMonth: readonly CorrectionLine[];
  };
};

export type BillHeader = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly status: RunStatus | 'NONE';
  readonly workers: number;
  readonly total: Rupiah;
};

/** One month of a worker's coverage: allocated (on the bill) and confirmed by BPJS, side by side. */
export type CoverageMonth = {
  readonly month: Period;
  /** On the month's bill (allocated by the pool's run). */
  readonly funded: boolean;
  readonly tier?: Tier;
  readonly amount?: Rupiah;
  readonly priority?: PriorityClass;
  readonly bpjs: BpjsCoverage;
  readonly answer: BpjsAnswer;
  readonly receipted: Rupiah;
};

export type WorkerCoverage = {
  readonly pool: PoolCode;
  readonly nik: string;
  /** The name on the worker's latest allocation, if any. */
  readonly name?: string;
  /** Newest month first: every month the pool ran. */
  readonly months: readonly CoverageMonth[];
};
