/**
 * The first steps of splitting a payroll file (split-payroll-file.ts): read it (passes 0 and 1) and
 * find its version id, end it when it is already recorded, and build the record it will have.
 */
import type { FileVersion } from '#domain/ports/file-registry.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import { type PayrollReadOptions, payrollColumns } from '#shared/intake/payroll-rows.ts';
import { expire } from './held-versions.ts';
import { fileIdOf, parseIntakeKey, takesNextRevision } from './intake-key.ts';
import { duplicateOfRecorded, isAnotherUpload, outcomeOf, reportKeyOf } from './intake-outcome.ts';
import { scanPayroll } from './payroll-scan.ts';
import type { Arrival, Or, Received } from './payroll-version.ts';
import type { SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

export async function receive(deps: SplitPayrollFileDeps, ref: ObjectRef): Promise<Arrival> {
  const parsed = parseIntakeKey(ref.key);
  const key = parsed.ok && parsed.value.kind === 'PAYROLL' ? parsed.value : undefined;
  const mapping = key === undefined ? undefined : await deps.columnMappings?.get(key.pool, key.agency);
  const read: PayrollReadOptions | undefined =
    mapping === undefined
      ? undefined
      : { columns: payrollColumns(mapping), periodFromKey: mapping.periodFromKey };
  const now = deps.clock.now();
  const scan = await scanPayroll(deps.objects, ref, key, read, now);
  // Content already superseded (or declined, or expired) and now uploaded again at the same key is a
  // new version with a new id.
  let revision = 0;
  let fileId = fileIdOf(ref.key, scan.contentHash);
  let existing = await deps.files.getFile(fileId);
  while (
    existing !== undefined &&
    takesNextRevision(existing.status, isAnotherUpload(existing, ref.upload))
  ) {
    revision += 1;
    fileId = fileIdOf(ref.key, scan.contentHash, revision);
    existing = await deps.files.getFile(fileId);
  }
  return { deps, ref, parsed, key, read, now, scan, fileId, existing };
}

/** A version already recorded ends here; one a person confirmed goes on as `confirmed`. */
export async function judgeRecorded(
  a: Arrival,
): Promise<Or<{ readonly confirmed: FileVersion | undefined }>> {
  const { existing, now } = a;
  if (existing?.status === 'PENDING_CONFIRMATION') {
    const pending = existing.pending;
    if (existing.decision === undefined && pending !== undefined && now.toISOString() > pending.expiresAt) {
      const expired = await expire(a.deps.files, existing, now, 'nobody confirmed it in time');
      return { outcome: { ...outcomeOf(expired), chunks: 0 } };
    }
    if (existing.decision?.action !== 'CONFIRMED') return { outcome: { ...outcomeOf(existing), chunks: 0 } };
    return { confirmed: existing };
  }
  // A confirmed version whose first pass died after recording PROCESSING is still the confirmed
  // one: the retry applies it (or expires it if the month moved), never holds it again.
  if (existing?.status === 'PROCESSING' && existing.decision?.action === 'CONFIRMED')
    return { confirmed: existing };
  if (existing !== undefined && existing.status !== 'PROCESSING') {
    const recorded = isAnotherUpload(existing, a.ref.upload)
      ? duplicateOfRecorded(existing)
      : outcomeOf(existing);
    return { outcome: { ...recorded, chunks: 0 } };
  }
  return { confirmed: undefined };
}

export function withBase(a: Arrival, confirmed: FileVersion | undefined): Received {
  const { key, scan, existing, ref, fileId, now } = a;
  const mode = key?.mode ?? 'REPLACE';
  // A decision and the difference it was about stay on the record once the version is applied.
  const decided = existing?.decision === undefined ? {} : { decision: existing.decision };
  const held = existing?.pending === undefined ? {} : { pending: existing.pending };
  const base: Omit<FileVersion, 'status' | 'reportKey'> = {
    fileId,
    kind: 'PAYROLL',
    key: ref.key,
    pool: key?.pool ?? '',
    ...(key ? { period: key.period, agency: key.agency, mode } : {}),
    ...(key?.late ? { late: true } : {}),
    ...(scan.withdrawal === undefined
      ? {}
      : {
          reason: scan.withdrawal.reason,
          requestedBy: scan.withdrawal.by,
          withdraws: scan.withdrawal.fileId,
        }),
    contentHash: scan.contentHash,
    dataRows: scan.totals.dataRows,
    acceptedRows: scan.totals.acceptedRows,
    acceptedAmount: scan.totals.acceptedAmount,
    rejectedRows: scan.totals.rejectedRows,
    rejectedAmount: scan.totals.rejectedAmount,
    ...(scan.sheet === undefined ? {} : { sheet: scan.sheet }),
    ...(scan.totals.footer === undefined
      ? {}
      : { footerLine: scan.totals.footer.line, footerRows: scan.totals.footer.rows }),
    receivedAt: existing?.receivedAt ?? now.toISOString(),
    ...(existing?.upload !== undefined
      ? { upload: existing.upload }
      : ref.upload === undefined
        ? {}
        : { upload: ref.upload }),
    ...decided,
    ...held,
  };
  return { ...a, confirmed, mode, base, reportKey: reportKeyOf(base, fileId) };
}
