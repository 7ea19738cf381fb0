import type { AgencyCode, Period, PoolCode, Rupiah } from '#domain/model.ts';

/** Net payroll credit of one agency for one period (deductions plus signed corrections). */
export type AgencyPeriodCredit = {
  readonly agency: AgencyCode;
  readonly period: Period;
  readonly total: Rupiah;
  /** Donor rows of the period's DEDUCTION chunks (corrections add none). */
  readonly rows: number;
};

/**
 * Which agencies delivered a payroll file for which period, and what it credited. Read from the
 * ledger's committed chunk summaries, so a file counts as delivered once at least one chunk is in.
 */
export interface FileDeliveries {
  agenciesDelivered(pool: PoolCode, period: Period): Promise<AgencyCode[]>;
  /** Per agency and period, for periods from..to inclusive; grants are not agency credits. */
  agencyCredits(pool: PoolCode, from: Period, to: Period): Promise<AgencyPeriodCredit[]>;
}
