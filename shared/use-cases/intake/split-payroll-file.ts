/**
 * Split a payroll deduction file (docs/design.md#payroll-deduction-file,
 * #corrections-not-edits, #nothing-lost-on-bad-input) into deduction chunks.
 *
 * Pass 1 streams the object once: content hash + full validation + totals, emitting nothing, in flat
 * memory. Then, in order:
 * - a whole-file problem (bad key, broken structure, control totals, no data rows, every row rejected,
 *   agency registered to another pool) -> REJECTED, report, nothing emitted;
 * - same content as the agency+period's active version -> DUPLICATE, report, nothing emitted;
 * - otherwise the file records itself PROCESSING with its base (the active version it replaces), claims
 *   the head (conditional on the head version it read: two concurrent versions serialise, the loser
 *   retries through redelivery), and pass 2 emits DEDUCTION chunks (first version) or CORRECTION
 *   chunks (superseding version, diffed against the base's snapshot), writes the snapshot and report,
 *   marks the base SUPERSEDED and records the final status.
 * A crash anywhere is safe: the retry finds the PROCESSING item, keeps its recorded base, and emits the
 * same chunks under the same ids (ingest writes each chunk id once). A completed file is never redone.
 */
import { ConflictError, TransientError } from '#domain/errors.ts';
import type { AgencyRegistry } from '#domain/ports/agency-registry.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import {
  checkControlTotals,
  PAYROLL_COLUMNS,
  type PayrollFileTotals,
  validatePayrollRows,
} from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { HashingSource } from './content-hash.ts';
import { fileIdOf, type IntakeKey, parseIntakeKey } from './intake-key.ts';
import {
  fileTotalsOf,
  type IntakeOutcome,
  NO_TOTALS,
  nothingRecorded,
  outcomeOf,
  reportKeyOf,
  statusOfTotals,
} from './intake-outcome.ts';
import { type FileRejection, fileNameOf, readRows, rejectionOf, rejectionRow } from './intake-read.ts';
import { putReport } from './intake-report.ts';
import { type EmitPlan, emitPayroll } from './payroll-emit.ts';
import { abandonReplaced, baseToSupersede, replacedAfterEmitting } from './payroll-replacement.ts';
import { snapshotKey } from './payroll-snapshot.ts';
import { probeFile } from './probe-file.ts';

export type SplitPayrollFileDeps = {
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly agencies: AgencyRegistry;
  readonly queue: DeductionQueue;
  readonly clock: Clock;
  readonly reportsBucket: string;
};

export type SplitOutcome = IntakeOutcome & { readonly chunks: number };

type PayrollKey = Extract<IntakeKey, { kind: 'PAYROLL' }>;
type Scan = {
  readonly contentHash: string;
  readonly etag?: string;
  /** The whole-file encoding decision (absent when the key or the probe already rejected the file). */
  readonly encoding?: EncodingDecision;
  readonly totals: PayrollFileTotals;
  readonly rejection?: FileRejection;
};

export const makeSplitPayrollFile =
  (deps: SplitPayrollFileDeps) =>
  async (ref: ObjectRef): Promise<SplitOutcome> => {
    const { files, agencies, clock } = deps;
    const parsed = parseIntakeKey(ref.key);
    const key: PayrollKey | undefined =
      parsed.ok && parsed.value.kind === 'PAYROLL' ? parsed.value : undefined;
    const scan = await scanPayroll(deps.objects, ref, key);

    // Content already superseded and now back at the same key is a new version with a new id.
    let revision = 0;
    let fileId = fileIdOf(ref.key, scan.contentHash);
    let existing = await files.getFile(fileId);
    while (existing?.status === 'SUPERSEDED') {
      revision += 1;
      fileId = fileIdOf(ref.key, scan.contentHash, revision);
      existing = await files.getFile(fileId);
    }
    if (existing !== undefined && existing.status !== 'PROCESSING')
      return { ...outcomeOf(existing), chunks: 0 };

    const now = clock.now();
    const base: Omit<FileVersion, 'status' | 'reportKey'> = {
      fileId,
      kind: 'PAYROLL',
      key: ref.key,
      pool: key?.pool ?? '',
      ...(key ? { period: key.period, agency: key.agency } : {}),
      contentHash: scan.contentHash,
      dataRows: scan.totals.dataRows,
      acceptedRows: scan.totals.acceptedRows,
      acceptedAmount: scan.totals.acceptedAmount,
      rejectedRows: scan.totals.rejectedRows,
      rejectedAmount: scan.totals.rejectedAmount,
      receivedAt: existing?.receivedAt ?? now.toISOString(),
    };
    const reportKey = reportKeyOf(base, fileId);
    const finish = async (file: FileVersion, chunks = 0): Promise<SplitOutcome> => {
      await files.putFile(file);
      return { ...outcomeOf(file), chunks };
    };
    const rejectWhole = async (rejection: FileRejection, agencyRegistered = false): Promise<SplitOutcome> => {
      await putReport(deps.objects, deps.reportsBucket, reportKey, [rejectionRow(rejection)]);
      return finish({
        ...base,
        ...nothingRecorded(scan.totals, 'REJECTED'),
        status: 'REJECTED',
        rejectReason: rejection.reason,
        agencyRegistered,
        reportKey,
        processedAt: now.toISOString(),
      });
    };

    if (!parsed.ok || !key) {
      return rejectWhole({
        reason: 'KEY_INVALID',
        detail: parsed.ok ? 'not a payroll key' : (parsed.detail ?? ''),
      });
    }
    await agencies.ensurePool(key.pool, now);
    if (scan.rejection) return rejectWhole(scan.rejection);

    const emitDeps = { objects: deps.objects, queue: deps.queue, reportsBucket: deps.reportsBucket };
    const emitInput = {
      bucket: ref.bucket,
      key: ref.key,
      ctx: key,
      reportKey,
      contentHash: scan.contentHash,
      ...(scan.encoding === undefined ? {} : { encoding: scan.encoding }),
    };
    const reportOnly = async (
      status: 'REJECTED' | 'DUPLICATE',
      agencyRegistered: boolean,
    ): Promise<SplitOutcome> => {
      const emitted = await emitPayroll(emitDeps, emitInput, { mode: 'REPORT_ONLY' });
      return finish({
        ...base,
        ...nothingRecorded(emitted.totals, status),
        status,
        agencyRegistered,
        reportKey,
        processedAt: now.toISOString(),
      });
    };
    // Every row rejected: the rows are reported one by one, and the file changes nothing.
    if (statusOfTotals(scan.totals) === 'REJECTED') return reportOnly('REJECTED', false);

    const claim = await agencies.claimAgency(key.agency, key.pool, fileId, now);
    const agencyRegistered = claim.firstFileId === fileId;
    if (claim.pool !== key.pool) {
      return rejectWhole({
        reason: 'AGENCY_OTHER_POOL',
        detail: `agency ${key.agency} belongs to pool ${claim.pool}`,
      });
    }

    const head = await files.getHead(key.pool, key.period, key.agency);
    let supersedes: string | undefined;
    let baseHeadVersion: number | undefined;
    if (existing !== undefined && head?.activeFileId === fileId) {
      // Retry after the head was claimed: keep the base recorded before anything was emitted.
      supersedes = existing.supersedes;
      baseHeadVersion = existing.baseHeadVersion;
    } else {
      if (head !== undefined && head.contentHash === scan.contentHash)
        return reportOnly('DUPLICATE', agencyRegistered);
      supersedes = await baseToSupersede(files, head?.activeFileId, ref.key, scan.contentHash, now);
      baseHeadVersion = head?.version;
      await files.putFile({
        ...base,
        ...(scan.etag === undefined ? {} : { etag: scan.etag }),
        status: 'PROCESSING',
        agencyRegistered,
        reportKey,
        ...(supersedes === undefined ? {} : { supersedes }),
        ...(baseHeadVersion === undefined ? {} : { baseHeadVersion }),
      });
      try {
        await files.advanceHead(
          {
            pool: key.pool,
            period: key.period,
            agency: key.agency,
            activeFileId: fileId,
            contentHash: scan.contentHash,
          },
          head?.version,
        );
      } catch (error) {
        throw new TransientError(`head of ${key.pool}/${key.period}/${key.agency} moved; retrying`, {
          cause: error,
        });
      }
    }

    const header = { fileId, pool: key.pool, period: key.period, agency: key.agency } as const;
    const ownSnapshot = snapshotKey(key.pool, key.period, key.agency, fileId);
    let plan: EmitPlan = {
      mode: 'DEDUCTIONS',
      header: { ...header, kind: 'DEDUCTION' },
      snapshotKey: ownSnapshot,
    };
    if (supersedes !== undefined) {
      const baseFile = await files.getFile(supersedes);
      if (baseFile?.snapshotKey === undefined) throw new Error(`base version ${supersedes} has no snapshot`);
      plan = {
        mode: 'CORRECTIONS',
        header: { ...header, kind: 'CORRECTION' },
        snapshotKey: ownSnapshot,
        baseSnapshotKey: baseFile.snapshotKey,
      };
    }
    // From here chunks may reach the ledger under this id: say so first, so that a version whose
    // object is later replaced is never silently abandoned with half its rows counted.
    const processing = await files.getFile(fileId);
    if (processing === undefined) throw new TransientError(`file ${fileId} is not recorded yet; retrying`);
    const etag = processing.etag ?? scan.etag;
    if (processing.emitStarted !== true) await files.putFile({ ...processing, emitStarted: true });
    let emitted: Awaited<ReturnType<typeof emitPayroll>>;
    try {
      emitted = await emitPayroll(emitDeps, { ...emitInput, ...(etag === undefined ? {} : { etag }) }, plan);
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === 'OBJECT_CHANGED')) throw error;
      if (processing.emitStarted === true) throw replacedAfterEmitting(fileId, ref.key);
      // Replaced before this version emitted anything: the newer object's own event takes over.
      return abandonReplaced(deps, { ...processing, emitStarted: true }, now);
    }
    if (supersedes !== undefined) await files.markSuperseded(supersedes, fileId, now);
    // The outcome is what this last pass sent to the ledger, counted as it sent it.
    return finish(
      {
        ...base,
        ...fileTotalsOf(emitted.totals),
        status: statusOfTotals(emitted.totals),
        agencyRegistered,
        reportKey,
        snapshotKey: ownSnapshot,
        ...(supersedes === undefined ? {} : { supersedes }),
        ...(baseHeadVersion === undefined ? {} : { baseHeadVersion }),
        processedAt: now.toISOString(),
      },
      emitted.chunks,
    );
  };

/**
 * Pass 0 (probeFile: hash and the whole-file encoding decision), then pass 1: validation and totals
 * with that decision, nothing kept per row, reading the very bytes pass 0 read.
 */
async function scanPayroll(objects: ObjectStore, ref: ObjectRef, key: PayrollKey | undefined): Promise<Scan> {
  const probed = await probeFile(objects, ref);
  const { contentHash, etag } = probed;
  const base = { contentHash, ...(etag === undefined ? {} : { etag }), totals: { ...NO_TOTALS } };
  if (!key) return base;
  if (!probed.ok) return { ...base, rejection: probed.rejection };
  const source = new HashingSource(
    await objects.getStream(ref.bucket, ref.key, etag === undefined ? {} : { ifMatch: etag }),
  );
  const pass = await readRows(
    source,
    fileNameOf(ref.key),
    PAYROLL_COLUMNS,
    (table) => validatePayrollRows(table, key),
    () => undefined,
    probed.encoding,
  );
  if ((await source.finish()) !== contentHash)
    throw new TransientError(`payroll file ${ref.key} changed between passes; retrying`);
  const scanned = { ...base, encoding: probed.encoding };
  if (!pass.ok) return { ...scanned, rejection: pass.rejection };
  const totals = pass.result;
  const control = checkControlTotals(totals);
  if (control) return { ...scanned, totals, rejection: rejectionOf(control) };
  if (totals.dataRows === 0)
    return { ...scanned, totals, rejection: { reason: 'FILE_EMPTY', detail: 'no data rows' } };
  return { ...scanned, totals };
}
