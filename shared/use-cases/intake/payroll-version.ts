/**
 * A payroll file version as the steps of split-payroll-file.ts pass it on, and the ways a version ends
 * without emitting chunks (rejected whole, report only) or records its final state (finish).
 */
import type { FileRegistry, FileVersion, PayrollMode } from '#domain/ports/file-registry.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import type { PayrollReadOptions } from '#shared/intake/payroll-rows.ts';
import type { parseIntakeKey } from './intake-key.ts';
import { nothingRecorded, outcomeOf } from './intake-outcome.ts';
import { type FileRejection, rejectionRow } from './intake-read.ts';
import { putReport } from './intake-report.ts';
import { type EmitInput, emitPayroll } from './payroll-emit.ts';
import { expireOlderPending } from './payroll-hold.ts';
import { type PayrollKey, rowContext, type Scan } from './payroll-scan.ts';
import type { SplitOutcome, SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

/** A payroll object once read: its key, the agency's column mapping, what passes 0 and 1 found, its version. */
export type Arrival = {
  readonly deps: SplitPayrollFileDeps;
  readonly ref: ObjectRef;
  readonly parsed: ReturnType<typeof parseIntakeKey>;
  readonly key: PayrollKey | undefined;
  readonly read: PayrollReadOptions | undefined;
  /** One reading of the clock for the whole file: the rows' dates are judged against it too. */
  readonly now: Date;
  readonly scan: Scan;
  readonly fileId: string;
  readonly existing: FileVersion | undefined;
};

/** An arrival to decide on: its mode, the record it will have whatever its fate, its report's key. */
export type Received = Arrival & {
  readonly confirmed: FileVersion | undefined;
  readonly mode: PayrollMode;
  readonly base: Omit<FileVersion, 'status' | 'reportKey'>;
  readonly reportKey: string;
};

/** A received version whose key is a payroll key. */
export type Version = Received & { readonly key: PayrollKey };

/** The base a version supersedes (none for a first version) and the head version it was read at. */
export type Placed = {
  readonly supersedes: string | undefined;
  readonly baseHeadVersion: number | undefined;
};

export type Or<T> = T | { readonly outcome: SplitOutcome };

export async function finish(files: FileRegistry, file: FileVersion, chunks = 0): Promise<SplitOutcome> {
  await files.putFile(file);
  return { ...outcomeOf(file), chunks };
}

/** A whole-file problem: its report line, REJECTED, nothing emitted. */
export async function rejectWhole(
  r: Received,
  rejection: FileRejection,
  agencyRegistered = false,
): Promise<SplitOutcome> {
  const { deps, reportKey } = r;
  await putReport(deps.objects, deps.reportsBucket, reportKey, [rejectionRow(rejection)]);
  return finish(deps.files, {
    ...r.base,
    ...nothingRecorded(r.scan.totals, 'REJECTED'),
    status: 'REJECTED',
    rejectReason: rejection.reason,
    agencyRegistered,
    reportKey,
    processedAt: r.now.toISOString(),
  });
}

/** REJECTED (every row) or DUPLICATE: the rows' report only; the file changes nothing. */
export async function reportOnly(
  v: Version,
  status: 'REJECTED' | 'DUPLICATE',
  agencyRegistered: boolean,
  firstOf?: FileVersion | undefined,
): Promise<SplitOutcome> {
  // Any later upload of the month, even one that changes nothing, is what the treasurer now means:
  // a proposal still waiting is no longer the month's next version (docs/intake.md).
  if (v.confirmed === undefined) await expireOlderPending(v.deps.files, v.key, v.fileId, v.now);
  const emitted = await emitPayroll(emitDepsOf(v), emitInputOf(v), { mode: 'REPORT_ONLY' });
  return finish(v.deps.files, {
    ...v.base,
    ...nothingRecorded(emitted.totals, status),
    status,
    agencyRegistered,
    reportKey: v.reportKey,
    ...(firstOf === undefined ? {} : { duplicateOf: firstOf.fileId, firstReceivedAt: firstOf.receivedAt }),
    processedAt: v.now.toISOString(),
  });
}

export const emitDepsOf = ({ deps }: Version) => ({
  objects: deps.objects,
  queue: deps.queue,
  reportsBucket: deps.reportsBucket,
});

export const emitInputOf = (v: Version): EmitInput => ({
  bucket: v.ref.bucket,
  key: v.ref.key,
  ctx: rowContext(v.key, v.now),
  reportKey: v.reportKey,
  contentHash: v.scan.contentHash,
  ...(v.read === undefined ? {} : { read: v.read }),
  ...(v.scan.encoding === undefined ? {} : { encoding: v.scan.encoding }),
});
