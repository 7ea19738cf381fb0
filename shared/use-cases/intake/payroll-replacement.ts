import { PoisonMessageError, TransientError } from '#domain/errors.ts';
import type { FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import { outcomeOf } from './intake-outcome.ts';
import { rejectionRow } from './intake-read.ts';
import { putReport } from './intake-report.ts';
import type { SplitOutcome, SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

/** What happens when a payroll file's object is replaced by a newer upload (split from split-payroll-file.ts). */

export const replacedAfterEmitting = (fileId: string, key: string) =>
  new PoisonMessageError(
    `payroll file ${key} was replaced while version ${fileId} was half processed: some of its chunks may be ` +
      'in the ledger. Restore that version (S3 object versioning) or re-upload it, then redrive this message.',
    { code: 'FILE_REPLACED_MID_PROCESSING' },
  );

/** A version whose object was replaced before it emitted anything ends REJECTED, with a report line. */
export async function abandonReplaced(
  deps: SplitPayrollFileDeps,
  file: FileVersion,
  now: Date,
): Promise<SplitOutcome> {
  await putReport(deps.objects, deps.reportsBucket, file.reportKey, [
    rejectionRow({
      reason: 'FILE_REPLACED',
      detail: 'a newer upload replaced this file before it was processed',
    }),
  ]);
  const rejected: FileVersion = {
    ...file,
    status: 'REJECTED',
    rejectReason: 'FILE_REPLACED',
    processedAt: now.toISOString(),
  };
  await deps.files.putFile(rejected);
  return { ...outcomeOf(rejected), chunks: 0 };
}

/**
 * The version a new one supersedes: the head's active version, or, when that one was abandoned because
 * a newer upload replaced it (FILE_REPLACED), the version it would have superseded. A head version
 * still PROCESSING makes the new one wait, unless its object now holds other bytes (this upload), in
 * which case it can never finish: abandoned if it emitted nothing, an ops matter otherwise.
 */
export async function baseToSupersede(
  files: FileRegistry,
  activeFileId: string | undefined,
  key: string,
  contentHash: string,
  now: Date,
): Promise<string | undefined> {
  if (activeFileId === undefined) return undefined;
  const active = await files.getFile(activeFileId);
  if (active?.status === 'PROCESSING') {
    const replaced = active.key === key && active.contentHash !== contentHash;
    if (!replaced)
      throw new TransientError(`file ${activeFileId} is still being processed; the new version waits`);
    if (active.emitStarted === true) throw replacedAfterEmitting(activeFileId, key);
    await files.putFile({
      ...active,
      status: 'REJECTED',
      rejectReason: 'FILE_REPLACED',
      processedAt: now.toISOString(),
    });
    return active.supersedes;
  }
  if (active?.status === 'REJECTED' && active.rejectReason === 'FILE_REPLACED') return active.supersedes;
  return activeFileId;
}
