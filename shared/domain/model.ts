/**
 * The records the pipeline moves around. Pure data: no behaviour, no AWS.
 * Money is always integer rupiah (`Rupiah`); months are `YYYY-MM` strings in Asia/Jakarta (`Period`).
 */

/** Integer rupiah. Never a float, never sen. */
export type Rupiah = number;
/** Calendar month `YYYY-MM`, Asia/Jakarta. Used both for payroll periods and coverage months. */
export type Period = string;
/** Calendar date `YYYY-MM-DD`, Asia/Jakarta. */
export type IsoDate = string;
/** Kemendagri area code of the region that owns a pool, e.g. `15.04` (Batanghari). */
export type PoolCode = string;
/** Opaque payroll unit code (OPD/SKPD), `[A-Za-z0-9.-]{1,40}`. */
export type AgencyCode = string;

export const TIERS = ['JKK_JKM', 'JKK_JKM_JHT'] as const;
export type Tier = (typeof TIERS)[number];

export const GRANT_SOURCES = ['APBD', 'BKBK', 'CSR', 'OTHER'] as const;
export type GrantSource = (typeof GRANT_SOURCES)[number];

/** One valid row of a payroll deduction file. */
export type Deduction = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly nip: string;
  readonly amount: Rupiah;
  /** Earmark: the donor asked to sponsor this worker (NIK). */
  readonly workerNik?: string;
  /** 1-based line in the source file (header is line 1). */
  readonly line: number;
};

/**
 * The unit the splitter emits and the ledger ingests exactly once. Its id is deterministic
 * (`<fileId>#<index>`), so any redelivery, in any order, maps to the same ledger items.
 * A DEDUCTION chunk carries amounts of a file's rows; a CORRECTION chunk carries the signed
 * differences a superseding file makes to the file it replaces.
 */
export type DeductionChunk = {
  readonly chunkId: string;
  readonly fileId: string;
  readonly kind: 'DEDUCTION' | 'CORRECTION';
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: AgencyCode;
  /**
   * One entry per donor row: a row is identified by NIP + earmarked worker (none = ''), so one donor may
   * have several rows in a file, one per named worker (docs/intake.md#several-rows-per-donor); a chunk never holds the same
   * NIP + worker twice.
   */
  readonly entries: readonly {
    readonly nip: string;
    /** DEDUCTION: the amount (> 0). CORRECTION: the signed difference of this NIP + worker row. */
    readonly amount: Rupiah;
    /** The worker the row earmarks (part of the row's identity). '' only in legacy corrections. */
    readonly workerNik?: string;
    /** CORRECTION only: this NIP + worker row is gone from the new version, so its earmark ends. */
    readonly ended?: true;
    readonly line: number;
  }[];
};

export type Grant = {
  readonly pool: PoolCode;
  readonly reference: string;
  readonly source: GrantSource;
  /** First coverage month it may fund. */
  readonly period: Period;
  readonly amount: Rupiah;
  readonly note?: string;
  readonly fileId: string;
  readonly line: number;
};

export type WorkerStatus = 'WAITLISTED' | 'ACTIVE' | 'LAPSED' | 'EXITED';

/**
 * A worker as a pool's worker file describes them (docs/design.md#worker-file): the one list of a
 * worker's own fields. Worker, WorkerEnrollment (ports/worker-registry.ts), WorkerRow (intake) and the
 * demo's SyntheticWorker are this plus what each adds.
 */
export type WorkerDetails = {
  readonly nik: string;
  readonly name: string;
  readonly kpj?: string;
  readonly tier: Tier;
  readonly occupation: string;
  readonly enrolledOn: IsoDate;
};

/** A worker's exit as the worker file states it: the last day of membership and why. */
export type WorkerExit = { readonly on: IsoDate; readonly reason: string };

/** A worker of a pool with their coverage state. */
export type Worker = WorkerDetails & {
  readonly pool: PoolCode;
  readonly status: WorkerStatus;
  /** Last coverage month paid for this worker, if ever. */
  readonly paidThrough?: Period;
  /** Consecutive unpaid coverage months since the last payment (3 = lapsed). */
  readonly unpaidStreak: number;
  readonly exitReason?: string;
};

export type PriorityClass = 'EARMARK' | 'ACTIVE' | 'WAITLIST';

export type Allocation = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly nik: string;
  readonly tier: Tier;
  readonly amount: Rupiah;
  readonly priority: PriorityClass;
  readonly runId: string;
};

/** BPJS: BPJS's confirmation file for a pool's month (docs/bpjs-loop.md#the-confirmation-file). */
export type FileKind = 'PAYROLL' | 'WORKERS' | 'GRANTS' | 'BPJS';
/**
 * What became of an intake file (docs/intake.md#outcomes). PENDING_CONFIRMATION: a payroll version that
 * takes money away waits for a person; WITHDRAWN: that person declined it; EXPIRED: nobody decided in
 * time (or the month changed under it). Neither of the last three recorded anything in the ledger.
 */
export type FileStatus =
  | 'ACCEPTED'
  | 'PARTIALLY_REJECTED'
  | 'REJECTED'
  | 'DUPLICATE'
  | 'SUPERSEDED'
  | 'PENDING_CONFIRMATION'
  | 'WITHDRAWN'
  | 'EXPIRED';
