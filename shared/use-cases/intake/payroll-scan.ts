/**
 * Passes 0 and 1 of a payroll file (split-payroll-file.ts): the content hash and encoding decision on
 * every byte, then full validation and totals with that decision, nothing kept per row.
 */
import { TransientError } from '#domain/errors.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import {
  checkControlTotals,
  PAYROLL_COLUMNS,
  type PayrollContext,
  type PayrollFileTotals,
  type PayrollReadOptions,
  validatePayrollRows,
} from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { HashingSource } from './content-hash.ts';
import type { IntakeKey } from './intake-key.ts';
import { NO_TOTALS } from './intake-outcome.ts';
import { type FileRejection, fileNameOf, readRows, rejectionOf } from './intake-read.ts';
import { probeFile } from './probe-file.ts';
import { readWithdrawalRequest, type WithdrawalRequest } from './withdrawal-request.ts';

export type PayrollKey = Extract<IntakeKey, { kind: 'PAYROLL' }>;

/** What passes 0 and 1 found. */
export type Scan = {
  /** A withdrawal request (the `tarik` folder): which file and why; its object holds no table. */
  readonly withdrawal?: WithdrawalRequest;
  readonly contentHash: string;
  readonly etag?: string;
  /** The whole-file encoding decision (absent when the key or the probe already rejected the file). */
  readonly encoding?: EncodingDecision;
  readonly totals: PayrollFileTotals;
  readonly rejection?: FileRejection;
  /** XLSX: the sheet read. */
  readonly sheet?: string;
};

/** The row context of a key: a correction-only file takes 0 (it removes a donor). */
export const rowContext = (key: PayrollKey, today: Date): PayrollContext => ({
  pool: key.pool,
  today,
  period: key.period,
  agency: key.agency,
  ...(key.mode === 'CORRECTION' ? { allowZero: true } : {}),
});

/**
 * Pass 0 (probeFile: hash and the whole-file encoding decision), then pass 1: validation and totals
 * with that decision, nothing kept per row, reading the very bytes pass 0 read.
 */
export async function scanPayroll(
  objects: ObjectStore,
  ref: ObjectRef,
  key: PayrollKey | undefined,
  read: PayrollReadOptions | undefined,
  today: Date,
): Promise<Scan> {
  const probed = await probeFile(objects, ref);
  const { contentHash, etag } = probed;
  const base = { contentHash, ...(etag === undefined ? {} : { etag }), totals: { ...NO_TOTALS } };
  if (!key) return base;
  if (!probed.ok) return { ...base, rejection: probed.rejection };
  if (key.mode === 'WITHDRAWAL') {
    const request = await readWithdrawalRequest(objects, ref);
    return request.ok ? { ...base, withdrawal: request.request } : { ...base, rejection: request.rejection };
  }
  const source = new HashingSource(
    await objects.getStream(ref.bucket, ref.key, etag === undefined ? {} : { ifMatch: etag }),
  );
  const pass = await readRows(
    source,
    fileNameOf(ref.key),
    read?.columns ?? PAYROLL_COLUMNS,
    (table) => validatePayrollRows(table, rowContext(key, today), read),
    () => undefined,
    probed.encoding,
  );
  if ((await source.finish()) !== contentHash)
    throw new TransientError(`payroll file ${ref.key} changed between passes; retrying`);
  const scanned = { ...base, encoding: probed.encoding };
  if (!pass.ok) return { ...scanned, rejection: pass.rejection };
  const totals = pass.result;
  const sheet = pass.sheet === undefined ? {} : { sheet: pass.sheet };
  const control = checkControlTotals(totals);
  if (control) return { ...scanned, totals, rejection: rejectionOf(control), ...sheet };
  if (totals.dataRows === 0)
    return { ...scanned, totals, rejection: { reason: 'FILE_EMPTY', detail: 'no data rows' }, ...sheet };
  return { ...scanned, totals, ...sheet };
}
