/**
 * Versions waiting for a person (docs/intake.md, "pending confirmation"): a superseding payroll version
 * that takes money away is held with its masked difference, and a newer upload expires older held ones.
 */
import type { FileHead, FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import type { PayrollReadOptions } from '#shared/intake/payroll-rows.ts';
import { expire } from './held-versions.ts';
import { putReport } from './intake-report.ts';
import { emitPayroll, merged } from './payroll-emit.ts';
import {
  changeOf,
  PENDING_DAYS,
  pendingReportKey,
  putPendingReport,
  readDonorRows,
} from './payroll-pending.ts';
import { type PayrollKey, rowContext, type Scan } from './payroll-scan.ts';
import { parseSnapshot } from './payroll-snapshot.ts';
import type { SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

/** Every other version of the agency's month still waiting for a person is recorded EXPIRED. */
export async function expireOlderPending(
  files: FileRegistry,
  key: PayrollKey,
  fileId: string,
  now: Date,
): Promise<void> {
  const versions = await files.listFiles(key.pool, key.period);
  for (const v of versions) {
    if (v.agency !== key.agency || v.fileId === fileId || v.status !== 'PENDING_CONFIRMATION') continue;
    await expire(files, v, now, `a newer upload (${fileId}) replaced it`);
  }
}

/**
 * The difference of a superseding version against the active one; when it takes money away (a donor
 * row removed or lowered) the version is held: its masked difference goes to reports/pending/ and the
 * fields returned go on its record. Undefined when it only adds or raises (it applies at once).
 */
export async function holdIfTakingAway(
  deps: SplitPayrollFileDeps,
  at: {
    ref: ObjectRef;
    key: PayrollKey;
    scan: Scan;
    supersedes: string;
    head: FileHead;
    fileId: string;
    reportKey: string;
    now: Date;
    /** The agency's column mapping, as pass 1 read the file with it. */
    read?: PayrollReadOptions;
  },
): Promise<Pick<FileVersion, 'pending' | 'delta' | 'monthTotal'> | undefined> {
  const { objects, reportsBucket } = deps;
  const baseFile = await deps.files.getFile(at.supersedes);
  if (baseFile?.snapshotKey === undefined) throw new Error(`base version ${at.supersedes} has no snapshot`);
  const before = parseSnapshot(await objects.getText(reportsBucket, baseFile.snapshotKey));
  const listed =
    at.key.mode === 'WITHDRAWAL'
      ? new Map()
      : await readDonorRows(objects, at.ref, rowContext(at.key, at.now), {
          contentHash: at.scan.contentHash,
          ...(at.scan.encoding === undefined ? {} : { encoding: at.scan.encoding }),
          ...(at.read === undefined ? {} : { options: at.read }),
          ...(at.scan.etag === undefined ? {} : { etag: at.scan.etag }),
        });
  const after = at.key.mode === 'CORRECTION' ? merged(before, listed) : listed;
  const { takesAway, ...change } = changeOf(before, after);
  if (!takesAway) return undefined;
  const diffKey = pendingReportKey(at.key.pool, at.key.period, at.key.agency, at.fileId);
  await putPendingReport(objects, reportsBucket, diffKey, before, after);
  // Every file has its rejection report, pending or not (a withdrawal request has no rows to reject).
  if (at.key.mode === 'WITHDRAWAL') await putReport(objects, reportsBucket, at.reportKey, []);
  else
    await emitPayroll(
      { objects, queue: deps.queue, reportsBucket },
      {
        bucket: at.ref.bucket,
        key: at.ref.key,
        ctx: rowContext(at.key, at.now),
        reportKey: at.reportKey,
        contentHash: at.scan.contentHash,
        ...(at.scan.encoding === undefined ? {} : { encoding: at.scan.encoding }),
        ...(at.read === undefined ? {} : { read: at.read }),
      },
      { mode: 'REPORT_ONLY' },
    );
  const expiresAt = new Date(at.now.getTime() + PENDING_DAYS * 86_400_000).toISOString();
  return {
    pending: { ...change, baseFileId: at.supersedes, baseHeadVersion: at.head.version, expiresAt, diffKey },
    delta: 0,
    monthTotal: change.totalBefore,
  };
}
