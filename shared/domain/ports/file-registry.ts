import type { AgencyCode, FileKind, FileStatus, Period, PoolCode, Rupiah } from '#domain/model.ts';

/** A file version is PROCESSING from the moment it claims its agency+period head until it is recorded. */
export type FileVersionStatus = FileStatus | 'PROCESSING';

export type FileVersion = {
  readonly fileId: string;
  readonly kind: FileKind;
  readonly key: string;
  /** Empty when the key could not be read (KEY_INVALID). */
  readonly pool: PoolCode;
  readonly period?: Period;
  readonly agency?: AgencyCode;
  readonly contentHash: string;
  readonly status: FileVersionStatus;
  readonly dataRows: number;
  readonly acceptedRows: number;
  readonly acceptedAmount: Rupiah;
  readonly rejectedRows: number;
  readonly rejectedAmount: Rupiah;
  /** File-level rejection reason, when the whole file was rejected. */
  readonly rejectReason?: string;
  /** XLSX: the name of the sheet that was read (hidden sheets never are). */
  readonly sheet?: string;
  /**
   * Rows under the file's JUMLAH row (a signature block, notes) that ended the table: ignored, never
   * rows; the first one's row number and how many.
   */
  readonly footerLine?: number;
  readonly footerRows?: number;
  readonly agencyRegistered?: boolean;
  readonly reportKey: string;
  readonly snapshotKey?: string;
  /** The version this one replaces (recorded before anything is emitted, so a retry diffs the same base). */
  readonly supersedes?: string;
  /** Head version read when the base was chosen. */
  readonly baseHeadVersion?: number;
  readonly supersededBy?: string;
  /** ETag of the bytes pass 1 read: pass 2 reads exactly those bytes (If-Match) or nothing. */
  readonly etag?: string;
  /** Set before pass 2 starts: from then on chunks may be in the ledger under this file's id. */
  readonly emitStarted?: boolean;
  readonly receivedAt: string;
  readonly processedAt?: string;
};

/** The active version of one agency's payroll file for one period. */
export type FileHead = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly activeFileId: string;
  readonly contentHash: string;
  /** Incremented on every change; updates are conditional on the version read. */
  readonly version: number;
};

/**
 * Every intake file version and, for payroll, which version of an agency+period is active.
 * Heads serialise concurrent versions: `advanceHead` fails with ConflictError if someone moved it first.
 */
export interface FileRegistry {
  getFile(fileId: string): Promise<FileVersion | undefined>;
  /** Creates or replaces the item of a file version. */
  putFile(file: FileVersion): Promise<void>;
  markSuperseded(fileId: string, supersededBy: string, at: Date): Promise<void>;
  getHead(pool: PoolCode, period: Period, agency: AgencyCode): Promise<FileHead | undefined>;
  /** Sets the head to `next` (version = expectedVersion + 1, or 1 when absent). ConflictError if it moved. */
  advanceHead(next: Omit<FileHead, 'version'>, expectedVersion: number | undefined): Promise<FileHead>;
  /** Every version received for a pool's payroll period (or, for workers/grants, its kind), oldest first. */
  listFiles(pool: PoolCode, periodOrKind: Period | FileKind): Promise<FileVersion[]>;
}
