import type { IsoDate, PoolCode, WorkerDetails } from '#domain/model.ts';

/** A worker as enrolled by a pool (the registry's current state; coverage state lives elsewhere). */
export type WorkerEnrollment = WorkerDetails & {
  readonly pool: PoolCode;
  readonly exitedOn?: IsoDate;
  readonly exitReason?: string;
  readonly updatedAt: string;
  /** The file that last changed this enrollment. */
  readonly fileId: string;
};

export type EnrollmentChange = 'ENROLLED' | 'UPDATED' | 'EXITED';

/** One append-only history entry; (fileId, line) makes it deterministic so a retry rewrites the same item. */
export type EnrollmentHistoryEntry = {
  readonly pool: PoolCode;
  readonly nik: string;
  readonly change: EnrollmentChange;
  readonly before?: WorkerEnrollment;
  readonly after: WorkerEnrollment;
  readonly recordedAt: string;
  readonly fileId: string;
  readonly line: number;
};

export type EnrollmentOwner = { readonly pool: PoolCode };

/** What recording one entry of a group did: written, or refused because another pool owns the NIK. */
export type RecordOutcome = 'RECORDED' | 'CONFLICT';

/**
 * Worker enrollment per pool, with history. A NIK is enrolled in at most one pool.
 */
export interface WorkerRegistry {
  getEnrollment(pool: PoolCode, nik: string): Promise<WorkerEnrollment | undefined>;
  /** The pool a NIK is enrolled in, if any (any pool). */
  findOwner(nik: string): Promise<EnrollmentOwner | undefined>;
  /**
   * Writes the history entry, then the enrollment. Claims the NIK for `pool` on first enrollment;
   * throws ConflictError if another pool owns it.
   */
  recordChange(entry: EnrollmentHistoryEntry): Promise<void>;
  /** getEnrollment for several NIKs of one pool in few round trips; NIKs not enrolled are absent. */
  getEnrollments(pool: PoolCode, niks: readonly string[]): Promise<Map<string, WorkerEnrollment>>;
  /** findOwner for several NIKs in few round trips; NIKs without an owner are absent. */
  findOwners(niks: readonly string[]): Promise<Map<string, EnrollmentOwner>>;
  /**
   * recordChange for a group of entries of distinct NIKs, outcomes in entry order. Per entry the same
   * order holds (owner claim, then history, then enrollment): every history entry of the group is
   * written before any enrollment, so a crash leaves no enrollment without its history.
   */
  recordChanges(entries: readonly EnrollmentHistoryEntry[]): Promise<RecordOutcome[]>;
  /** History of one worker, oldest first. */
  history(pool: PoolCode, nik: string): Promise<EnrollmentHistoryEntry[]>;
  /** All enrollments of a pool, NIK order, in pages of up to 1,000. */
  listEnrollments(pool: PoolCode): AsyncIterable<WorkerEnrollment[]>;
}
