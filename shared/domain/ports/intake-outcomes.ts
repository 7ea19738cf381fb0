/**
 * Where an intake file's outcome goes so its sender learns it (docs/design.md#intake-outcomes: every intake outcome -->
 * the intake-outcomes topic --> the agency's treasurer). Only codes, counts, totals and the report's
 * location: no NIP, NIK or name.
 */
import type { Period, PoolCode } from '#domain/model.ts';

export type IntakeOutcomeMessage = {
  readonly fileId: string;
  /** PAYROLL, WORKERS or GRANTS. */
  readonly kind: string;
  /** ACCEPTED, PARTIALLY_REJECTED, REJECTED, DUPLICATE, SUPERSEDED. */
  readonly status: string;
  readonly pool: PoolCode;
  readonly period?: Period;
  readonly agency?: string;
  readonly key: string;
  readonly counts: {
    readonly dataRows: number;
    readonly acceptedRows: number;
    readonly rejectedRows: number;
  };
  /** Rupiah accepted and rejected (0 for worker files). */
  readonly amounts: { readonly accepted: number; readonly rejected: number };
  readonly rejectReason?: string;
  /** `s3://bucket/key` of the full rejection report. */
  readonly report: string;
  /** DUPLICATE: the file that first brought this content and when (nothing new was credited). */
  readonly duplicateOf?: string;
  readonly firstReceivedAt?: string;
  /** Payroll: REPLACE, CORRECTION or WITHDRAWAL; late files are late corrections. */
  readonly mode?: string;
  readonly late?: boolean;
  /** Signed rupiah this version moved in the ledger, and the agency month's total after it. */
  readonly delta?: number;
  readonly monthTotal?: number;
  /** PENDING_CONFIRMATION: the difference a person must confirm (NIPs masked), and until when. */
  readonly pending?: {
    readonly removedRows: number;
    readonly loweredRows: number;
    readonly addedRows: number;
    readonly raisedRows: number;
    readonly takenAway: number;
    readonly delta: number;
    readonly expiresAt: string;
    readonly lines: readonly { nip: string; workerNik?: string; before: number; after: number }[];
  };
  /** Who decided on a pending version and when (CONFIRMED, WITHDRAWN, EXPIRED). */
  readonly decision?: {
    readonly action: string;
    readonly by: string;
    readonly at: string;
    readonly note?: string;
  };
};

export interface IntakeOutcomePublisher {
  publish(message: IntakeOutcomeMessage): Promise<void>;
}
