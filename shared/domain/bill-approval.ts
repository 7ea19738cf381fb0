import { ConflictError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode, Rupiah } from '#domain/model.ts';
import { isMonthDone, type RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { BillRecord } from '#domain/ports/bill-book.ts';
import { reconcileMonth } from '#domain/statements.ts';

/**
 * Maker and checker on the month's BPJS bill (docs/bpjs-loop.md#bill-approval; docs/design.md rule 9:
 * money that moves outside the monthly run needs a second person). A bill is:
 * - NOT_READY while the month has no COMPLETED run with its outputs, or a later run still moves;
 * - PREPARED once it has: the run wrote it, nobody has approved this version yet;
 * - APPROVED by a first finance user;
 * - RELEASED for payment by a second finance user, never the approver.
 * The version is the month's last run: a re-run rewrites the bill with every run's workers, so the
 * bill to approve is new (PREPARED again) and an approval of the old one releases nothing.
 */

export type BillState = 'NOT_READY' | 'PREPARED' | 'APPROVED' | 'RELEASED';

export type BillStatus = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly state: BillState;
  /** The month's last run (absent while NOT_READY without runs). */
  readonly version?: string;
  readonly total: Rupiah;
  readonly workers: number;
  readonly record?: BillRecord;
};

/** An operator id as recorded on a decision: 1-40 of A-Z a-z 0-9 . _ - @ (a user name, never a NIK). */
export const OPERATOR_ID = /^[A-Za-z0-9._@-]{1,40}$/;

export function requireOperatorId(by: string): string {
  if (!OPERATOR_ID.test(by))
    throw new ValidationError(
      'id pengguna (--by) harus 1-40 huruf, angka, titik, garis / operator id (--by) must be 1-40 letters, digits, dots, dashes',
      {
        code: 'OPERATOR_ID_INVALID',
      },
    );
  return by;
}

/** The bill's state from the pool's runs (oldest first) and the record of its current version. */
export function billStatusOf(
  pool: PoolCode,
  month: Period,
  runs: readonly RunRecord[],
  record: (version: string) => BillRecord | undefined,
): BillStatus {
  const ofMonth = runs.filter((r) => r.month === month);
  const last = ofMonth.at(-1);
  const r = reconcileMonth(runs, month);
  const base = { pool, month, total: r?.allocated ?? 0, workers: r?.workers.funded ?? 0 };
  const ready = last !== undefined && last.status === 'COMPLETED' && isMonthDone([last]);
  if (!ready) return { ...base, state: 'NOT_READY', ...(last ? { version: last.runId } : {}) };
  const rec = record(last.runId);
  const state: BillState = rec === undefined ? 'PREPARED' : rec.released ? 'RELEASED' : 'APPROVED';
  return { ...base, state, version: last.runId, ...(rec ? { record: rec } : {}) };
}

/** Why an approval is refused, or undefined when it may be recorded (ConflictError, in Bahasa first). */
export function approvalRefusal(status: BillStatus, by: string): ConflictError | undefined {
  const what = `tagihan BPJS ${status.pool} ${status.month}`;
  if (status.state === 'NOT_READY')
    return new ConflictError(
      `${what} belum siap: alokasi bulan ini belum selesai dengan tagihan tertulis / the month's bill is not prepared yet`,
      { code: 'BILL_NOT_PREPARED' },
    );
  if (status.record !== undefined) {
    const a = status.record.approved;
    return a.by === by
      ? new ConflictError(
          `${what} sudah Anda setujui (${a.at}); pelepasan harus oleh pengguna keuangan lain / you approved it already: a second finance user must release it`,
          { code: 'SAME_USER_SECOND_APPROVAL' },
        )
      : new ConflictError(`${what} sudah disetujui oleh ${a.by} (${a.at}) / already approved`, {
          code: 'BILL_ALREADY_APPROVED',
        });
  }
  return undefined;
}

/** Why a release is refused, or undefined when it may be recorded. */
export function releaseRefusal(status: BillStatus, by: string): ConflictError | undefined {
  const what = `tagihan BPJS ${status.pool} ${status.month}`;
  if (status.state === 'NOT_READY' || status.state === 'PREPARED' || status.record === undefined)
    return new ConflictError(
      `${what} belum disetujui: setujui dulu (sertakan bill approve) / not approved yet: approve it first`,
      { code: 'BILL_NOT_APPROVED' },
    );
  if (status.record.released !== undefined)
    return new ConflictError(
      `${what} sudah dilepas untuk dibayar oleh ${status.record.released.by} (${status.record.released.at}) / already released`,
      { code: 'BILL_ALREADY_RELEASED' },
    );
  if (status.record.approved.by === by)
    return new ConflictError(
      `${what}: penyetuju (${by}) tidak boleh melepas tagihannya sendiri; perlu pengguna keuangan kedua / the approver cannot release: a second finance user must`,
      { code: 'SAME_USER_SECOND_APPROVAL' },
    );
  return undefined;
}
