/**
 * The alert desk port: what ops works from in the console, the pool's recorded alerts (subjects
 * already masked by the scan, docs/console.md) and the notes saying an alert was handled. The DynamoDB
 * adapter (shared/adapters/dynamodb-alert-desk.ts) keeps both in the `ledger` table.
 *
 * An alert's stored id holds a raw NIK, so the console never shows it: an alert is named by its `ref`,
 * the first 20 hex of sha256(id). A note is appended, never changed; the latest one is shown.
 */

export type ConsoleAlert = {
  readonly ref: string;
  readonly kind: string;
  readonly month: string;
  readonly firstSeen: string;
  readonly severity: string;
  /** Masked NIK, agency or pool code. */
  readonly subject: string;
  readonly subjectType: string;
  readonly daysUntilDue?: number;
  readonly details: Readonly<Record<string, string | number>>;
  readonly handled?: HandledNote;
};

/** A handled note: when, what, and who (the person's subject id and name or e-mail, and role). */
export type HandledNote = {
  readonly at: string;
  readonly note: string;
  readonly role: string;
  readonly by?: string;
  readonly byName?: string;
};

export interface AlertDesk {
  /** Every alert of the pool with its latest handled note. */
  list(pool: string): Promise<ConsoleAlert[]>;
  /**
   * The raw NIK of the worker a WORKER alert of the pool names (its sort key holds it), for a lookup
   * that stays on the server; undefined when the pool has no such alert or it names an agency or pool.
   */
  workerOf(pool: string, ref: string): Promise<string | undefined>;
  /** The pool's alerts about one worker (by raw NIK, which stays on the server). */
  ofWorker(pool: string, nik: string): Promise<ConsoleAlert[]>;
  /** Appends a note; false when the pool has no alert with that ref. */
  markHandled(pool: string, ref: string, note: HandledNote): Promise<boolean>;
}
