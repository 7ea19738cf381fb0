import type { DeductionChunk, Grant, Period, PoolCode, Rupiah } from '#domain/model.ts';

export type WriteOutcome = 'WRITTEN' | 'ALREADY_PRESENT';

/** Credits of one pool for one payroll period, summed from chunk summaries and grants (no scan of rows). */
export type PeriodCredits = {
  readonly period: Period;
  /** Σ of DEDUCTION chunks. */
  readonly deductions: Rupiah;
  /** Σ of CORRECTION chunks (signed). */
  readonly corrections: Rupiah;
  /** Σ of grants whose first fundable month is this period. */
  readonly grants: Rupiah;
  readonly deductionRows: number;
  /** Committed DEDUCTION and CORRECTION chunks of the period (sweeper's staleness test of month shares). */
  readonly payrollChunks?: number;
  /** Newest recording time among those chunks (ISO). */
  readonly lastPayrollAt?: string;
};

export type Earmark = {
  readonly nik: string;
  readonly nip: string;
  readonly agency: string;
  /**
   * ISO commit time of the first file version that named this worker for this donor, unbroken since:
   * a later version that keeps the worker (a changed amount) keeps it, one that names them again after
   * removing them starts it anew. Decides which run honours a late earmark (late-earmarks.ts).
   */
  readonly recordedAt: string;
};

/**
 * The money side of the ledger: every credit to a pool, counted exactly once.
 * Writes are idempotent by deterministic key; a chunk counts only once its summary (the commit marker) exists.
 */
export interface CreditLedger {
  writeChunk(chunk: DeductionChunk, recordedAt: Date): Promise<WriteOutcome>;
  writeGrant(grant: Grant, recordedAt: Date): Promise<WriteOutcome>;
  /** All committed credits of a pool per period, optionally as they stood at `asOf`. */
  creditsByPeriod(pool: PoolCode, asOf?: Date): Promise<PeriodCredits[]>;
  /**
   * Earmarks carried by committed deductions of `period`: one per agency + NIP + worker still named by
   * the latest file version (a donor may name several workers), ordered by agency, NIP, NIK, each with
   * the time it was first recorded.
   */
  earmarks(pool: PoolCode, period: Period): Promise<Earmark[]>;
}
