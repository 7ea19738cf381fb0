import type { AgencyCode, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';

/** A committed credit summary of the ledger (one per deduction/correction chunk or grant). */
export type CreditSummary =
  | {
      readonly kind: 'DEDUCTION' | 'CORRECTION';
      readonly period: Period;
      readonly agency: AgencyCode;
      readonly chunkId: string;
      readonly total: Rupiah;
      readonly rows: number;
      readonly recordedAt: string;
    }
  | {
      readonly kind: 'GRANT';
      readonly period: Period;
      readonly reference: string;
      readonly amount: Rupiah;
      readonly recordedAt: string;
    };

/** One deduction or correction row of a donor, as the ledger keeps it. */
export type DeductionRow = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly nip: string;
  readonly fileId: string;
  readonly kind: 'DEDUCTION' | 'CORRECTION';
  /** DEDUCTION: the amount; CORRECTION: the signed difference. */
  readonly amount: Rupiah;
  readonly chunkId: string;
  readonly workerNik?: string;
  readonly recordedAt: string;
};

/** A pool and agency a donor was deducted by; `firstPeriod`: the period of the first file ingested. */
export type DonorMembership = {
  readonly pool: PoolCode;
  readonly agency: AgencyCode;
  readonly firstPeriod?: Period;
};

/**
 * Read side of the ledger for finance. Rows count only when their chunk's summary (the commit marker)
 * exists: callers filter rows by the chunk ids of `creditSummaries`.
 */
export interface LedgerReader {
  /** Committed summaries of a pool, optionally of one period, in key order. */
  creditSummaries(pool: PoolCode, period?: Period): Promise<CreditSummary[]>;
  /** Rows of one pool+period+agency (optionally of one donor), page by page. */
  deductionRows(
    pool: PoolCode,
    period: Period,
    agency: AgencyCode,
    nip?: string,
  ): AsyncIterable<readonly DeductionRow[]>;
  /** The pools and agencies a donor has ever been deducted by. */
  donorMemberships(nip: string): Promise<DonorMembership[]>;
  /** Which of `chunkIds` of pool+period+agency are committed (one BatchGetItem of their summaries). */
  committedChunks(
    pool: PoolCode,
    period: Period,
    agency: AgencyCode,
    chunkIds: readonly string[],
  ): Promise<Set<string>>;
}

/** Finance's reads of the allocation log: resumable pages (for `next` tokens) and point reads. */
export interface AllocationReader {
  listRuns(pool: PoolCode): Promise<RunRecord[]>;
  /** Entries of a pool's month in NIK order, starting after `after` (exclusive). */
  allocationsFrom(
    pool: PoolCode,
    month: Period,
    opts?: { readonly after?: string; readonly pageSize?: number },
  ): AsyncIterable<readonly AllocationEntry[]>;
  allocationOf(pool: PoolCode, month: Period, nik: string): Promise<AllocationEntry | undefined>;
}
