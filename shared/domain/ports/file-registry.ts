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
  /** The S3 event sequencer of the upload that first delivered these bytes (ObjectRef.upload). */
  readonly upload?: string;
  /** DUPLICATE: the file that first brought this content, and when it was received. */
  readonly duplicateOf?: string;
  readonly firstReceivedAt?: string;
  /**
   * Payroll: how the version changes its agency's month (docs/intake.md#replacements): REPLACE (the
   * whole month, default), CORRECTION (a "file koreksi": only the listed donors; 0 removes one) or
   * WITHDRAWAL (takes the month's file back: every row reversed).
   */
  readonly mode?: PayrollMode;
  /** Taken with the explicit late flag for a month before the pool's first month. */
  readonly late?: boolean;
  /** WITHDRAWAL: why (the person's words, no personal data expected), who asked, and which file it takes back. */
  readonly reason?: string;
  readonly requestedBy?: string;
  readonly withdraws?: string;
  /** What this version changed in the ledger (signed rupiah: Σ entries sent) and the month's total after it. */
  readonly delta?: Rupiah;
  readonly monthTotal?: Rupiah;
  /** A version that takes money away: its difference, held until a person decides. */
  readonly pending?: PendingChange;
  /** Who decided on a pending version, and when (kept after it is applied). */
  readonly decision?: FileDecision;
};

export type PayrollMode = 'REPLACE' | 'CORRECTION' | 'WITHDRAWAL';

/** One donor row a pending version changes (NIP and worker masked: this is shown and published). */
export type PendingLine = {
  readonly nip: string;
  readonly workerNik?: string;
  readonly before: Rupiah;
  readonly after: Rupiah;
};

export type PendingChange = {
  /** The active version it would replace, and the head version read then (a confirmation applies only on it). */
  readonly baseFileId: string;
  readonly baseHeadVersion: number;
  /** ISO instant after which it can no longer be confirmed (receivedAt + PENDING_DAYS). */
  readonly expiresAt: string;
  readonly removedRows: number;
  readonly loweredRows: number;
  readonly addedRows: number;
  readonly raisedRows: number;
  /** Rupiah taken away (Σ of the negative differences, as a positive number) and given (Σ positive). */
  readonly takenAway: Rupiah;
  readonly added: Rupiah;
  /** Signed Σ of every difference. */
  readonly delta: Rupiah;
  /** The month's total before and after. */
  readonly totalBefore: Rupiah;
  readonly totalAfter: Rupiah;
  /** Every changed row, masked, in the report under reports/pending/ (its key) and the first ones here. */
  readonly diffKey: string;
  readonly lines: readonly PendingLine[];
};

export type FileDecision = {
  readonly action: 'CONFIRMED' | 'WITHDRAWN' | 'EXPIRED';
  /** Who: a console user, a CLI `--by`, or `system` for an expiry. */
  readonly by: string;
  readonly at: string;
  readonly note?: string;
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
  /**
   * The pool's payroll versions that were held PENDING_CONFIRMATION with a confirmation window ending in
   * `from <= pending.expiresAt <= to` (ISO instants), as they stand now (one decided or applied since
   * comes back as it is: the caller judges), by `expiresAt`. One read of the pool's held versions
   * instead of one per period (docs/intake.md#pending-confirmation).
   */
  listHeldExpiring(pool: PoolCode, from: string, to: string): Promise<FileVersion[]>;
  /**
   * Records the first file to bring `contentHash` to a pool's kind (a conditional put) and returns the
   * owner: this file, or the one that came first (its id and receivedAt).
   */
  claimContent(
    pool: PoolCode,
    kind: FileKind,
    contentHash: string,
    owner: { readonly fileId: string; readonly receivedAt: string },
  ): Promise<{ readonly fileId: string; readonly receivedAt: string }>;
  /**
   * Records a person's decision on a PENDING_CONFIRMATION version, once: ConflictError when the file is
   * not pending or already decided. WITHDRAWN and EXPIRED also set the status; CONFIRMED leaves it for
   * the intake to apply.
   */
  decide(fileId: string, decision: FileDecision): Promise<void>;
}
