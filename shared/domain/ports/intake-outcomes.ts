/**
 * Where an intake file's outcome goes so its sender learns it (docs/design.md#intake-outcomes: every intake outcome -->
 * the intake-outcomes topic --> the agency's treasurer). Only codes, counts, totals and the report's
 * location: no NIP, NIK or name.
 */
export type IntakeOutcomeMessage = {
  readonly fileId: string;
  /** PAYROLL, WORKERS or GRANTS. */
  readonly kind: string;
  /** ACCEPTED, PARTIALLY_REJECTED, REJECTED, DUPLICATE, SUPERSEDED. */
  readonly status: string;
  readonly pool: string;
  readonly period?: string;
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
};

export interface IntakeOutcomePublisher {
  publish(message: IntakeOutcomeMessage): Promise<void>;
}
