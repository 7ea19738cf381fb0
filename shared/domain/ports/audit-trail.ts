import type { Actor } from '#domain/access.ts';
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';

/**
 * The audit trail (docs/access.md): every action by a person or a machine, recorded once and never
 * changed. Who (the actor: subject id, name or e-mail, role, scope), when (the clock's instant), from
 * where (the request id: API Gateway's, or the CLI's own), what (a kind, the pool, agency, month and a
 * reference such as a file id, run id, alert ref or change request id).
 *
 * A record never holds a NIK, a NIP or a donor's or worker's name: `ref` and `detail` name things by
 * ids and codes only.
 */

export const AUDIT_KINDS = [
  'UPLOAD_PRESIGNED',
  'REPLACEMENT_CONFIRMED',
  'REPLACEMENT_WITHDRAWN',
  'ALERT_HANDLED',
  'CHANGE_REQUESTED',
  'CHANGE_APPROVED',
  'RUN_ABORTED',
  'MONTH_RERUN',
  'POOL_ADDED',
  'POOL_CHANGED',
  'UNMASKED_EXPORT',
  'UNMASKED_READ',
  'SIGN_IN_REFUSED',
  'USER_ADDED',
  'BILL_APPROVED',
  'BILL_RELEASED',
  'PAYMENT_RECORDED',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Where the action came in. */
export type AuditChannel = 'console' | 'finance-api' | 'cli';

export type AuditAction = {
  readonly kind: AuditKind;
  readonly actor: Actor;
  readonly via: AuditChannel;
  /** API Gateway's request id, or a fresh id per CLI command. */
  readonly requestId: string;
  readonly pool?: PoolCode;
  readonly agency?: string;
  /** Period or coverage month, YYYY-MM. */
  readonly month?: Period;
  /** What was acted on, by id: file id, run id, alert ref, change request id, export kind. */
  readonly ref?: string;
  /** A few more facts (a reason, the settings changed), never personal data. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
};

export type AuditRecord = AuditAction & {
  /** Unique per record. */
  readonly id: string;
  /** ISO instant (UTC) from the clock. */
  readonly at: string;
};

/** Filters of a read; dates are Jakarta calendar dates, both inclusive. */
export type AuditQuery = {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Matches the actor's id, e-mail or name exactly. */
  readonly actor?: string;
  /** Records of this pool or under it (`15.04` takes `15.04.01.2001`). */
  readonly pool?: PoolCode;
  readonly kind?: AuditKind;
};

/** The one port every entry point records through; `record` is the only write there is. */
export interface AuditTrail {
  /** Appends one record (a conditional put: never overwrites). Returns it with its id and instant. */
  record(action: AuditAction): Promise<AuditRecord>;
  /** Records in the dates, oldest first, filtered. */
  list(q: AuditQuery): Promise<AuditRecord[]>;
}
