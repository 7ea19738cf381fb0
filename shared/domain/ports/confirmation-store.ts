import type { Period, PoolCode, Rupiah, Tier } from '#domain/model.ts';

export const CONFIRMATION_STATUSES = ['DITERIMA', 'DITOLAK'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/** One worker-month as BPJS answered it in a confirmation file (docs/bpjs-loop.md#the-confirmation-file). */
export type ConfirmationLine = {
  readonly nik: string;
  /** The KPJ BPJS holds for the worker (absent: none). */
  readonly kpj?: string;
  /** A KPJ BPJS assigned in this answer to a newly registered worker. */
  readonly newKpj?: string;
  readonly month: Period;
  readonly programme: Tier;
  /** Rupiah BPJS says it received for this worker-month (a DITOLAK line received nothing). */
  readonly amount: Rupiah;
  readonly status: ConfirmationStatus;
  readonly note?: string;
  /** Line in the file, as the sender's program shows it. */
  readonly line: number;
};

/** Which confirmation file of a pool's month counts: the newest one applied in full. */
export type CurrentConfirmation = {
  readonly fileId: string;
  readonly key: string;
  /** When the file was first received (ISO): a newer file replaces an older one, never the reverse. */
  readonly receivedAt: string;
  readonly lines: number;
};

/**
 * BPJS's confirmations per pool and month, kept per file version (append-only): a replacement file is
 * a new set, and the month's pointer moves to it once all its lines are written.
 */
export interface ConfirmationStore {
  /** Writes lines of one file version (idempotent: the same line again rewrites the same item). */
  putLines(pool: PoolCode, month: Period, fileId: string, lines: readonly ConfirmationLine[]): Promise<void>;
  /** Points the month at `file` unless the pointer already names a file received later (then KEPT). */
  setCurrent(pool: PoolCode, month: Period, file: CurrentConfirmation): Promise<'MOVED' | 'KEPT'>;
  current(pool: PoolCode, month: Period): Promise<CurrentConfirmation | undefined>;
  /** The lines of one file version, NIK order. */
  lines(pool: PoolCode, month: Period, fileId: string): Promise<ConfirmationLine[]>;
  /** One worker's line of one file version, if BPJS answered for that NIK (a worker's coverage view). */
  line(pool: PoolCode, month: Period, fileId: string, nik: string): Promise<ConfirmationLine | undefined>;
}
