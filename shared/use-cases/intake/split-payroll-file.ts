/**
 * Split a payroll deduction file (docs/design.md#payroll-deduction-file,
 * #corrections-not-edits, #nothing-lost-on-bad-input) into deduction chunks.
 *
 * Pass 0 (probeFile) hashes the object and decides its text encoding on every byte; pass 1 streams it
 * again with that decision: full validation + totals, emitting nothing, in flat memory. Then, in order
 * (docs/intake.md: outcomes, pending confirmation, correction-only files, periods, withdrawal):
 * - a version waiting for a person: EXPIRED past its time, applied once CONFIRMED, else as recorded;
 * - another upload of recorded bytes -> DUPLICATE (nothing recorded);
 * - a month outside the pool's window (PERIOD_*), unless late and older -> REJECTED;
 * - a whole-file problem (bad key, broken structure, control totals, no data rows, every row rejected,
 *   agency registered to another pool) -> REJECTED, report, nothing emitted;
 * - same content as the agency+period's active version -> DUPLICATE, report, nothing emitted;
 * - a superseding version (replace, koreksi or withdrawal) that removes or lowers a donor row ->
 *   PENDING_CONFIRMATION with its masked difference, nothing emitted, the head unmoved;
 * - otherwise the file records itself PROCESSING with its base (the active version it replaces), claims
 *   the head (conditional on the head version it read: two concurrent versions serialise, the loser
 *   retries through redelivery), and pass 2 emits DEDUCTION chunks (first version) or CORRECTION
 *   chunks (superseding version, diffed against the base's snapshot), writes the snapshot and report,
 *   marks the base SUPERSEDED and records the final status.
 * A crash anywhere is safe: the retry finds the PROCESSING item, keeps its recorded base, and emits the
 * same chunks under the same ids (ingest writes each chunk id once). A completed file is never redone.
 */
import { ConflictError, TransientError } from '#domain/errors.ts';
import { judgePeriod } from '#domain/intake-periods.ts';
import type { AgencyRegistry } from '#domain/ports/agency-registry.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { FileHead, FileRegistry, FileVersion, PayrollMode } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import {
  checkControlTotals,
  PAYROLL_COLUMNS,
  type PayrollContext,
  type PayrollFileTotals,
  type PayrollReadOptions,
  payrollColumns,
  validatePayrollRows,
} from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { HashingSource } from './content-hash.ts';
import { expire } from './held-versions.ts';
import { fileIdOf, type IntakeKey, parseIntakeKey } from './intake-key.ts';
import {
  duplicateOfRecorded,
  fileTotalsOf,
  type IntakeOutcome,
  isAnotherUpload,
  NO_TOTALS,
  nothingRecorded,
  outcomeOf,
  reportKeyOf,
  statusOfTotals,
} from './intake-outcome.ts';
import { type FileRejection, fileNameOf, readRows, rejectionOf, rejectionRow } from './intake-read.ts';
import { putReport } from './intake-report.ts';
import { type EmitPlan, emitPayroll, merged } from './payroll-emit.ts';
import {
  changeOf,
  PENDING_DAYS,
  pendingReportKey,
  putPendingReport,
  readDonorRows,
} from './payroll-pending.ts';
import { abandonReplaced, baseToSupersede, replacedAfterEmitting } from './payroll-replacement.ts';
import { parseSnapshot, snapshotKey } from './payroll-snapshot.ts';
import { probeFile } from './probe-file.ts';
import { readWithdrawalRequest, type WithdrawalRequest } from './withdrawal-request.ts';

export type SplitPayrollFileDeps = {
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly agencies: AgencyRegistry;
  readonly queue: DeductionQueue;
  readonly clock: Clock;
  readonly reportsBucket: string;
  /** Agencies' saved column mappings (docs/intake.md); without it every file is read by the built-in names. */
  readonly columnMappings?: ColumnMappings;
};

export type SplitOutcome = IntakeOutcome & { readonly chunks: number };

type PayrollKey = Extract<IntakeKey, { kind: 'PAYROLL' }>;
type Scan = {
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

export const makeSplitPayrollFile =
  (deps: SplitPayrollFileDeps) =>
  async (ref: ObjectRef): Promise<SplitOutcome> => {
    const { files, agencies, clock } = deps;
    const parsed = parseIntakeKey(ref.key);
    const key: PayrollKey | undefined =
      parsed.ok && parsed.value.kind === 'PAYROLL' ? parsed.value : undefined;
    const mapping = key === undefined ? undefined : await deps.columnMappings?.get(key.pool, key.agency);
    const read: PayrollReadOptions | undefined =
      mapping === undefined
        ? undefined
        : { columns: payrollColumns(mapping), periodFromKey: mapping.periodFromKey };
    // One reading of the clock for the whole file: the rows' dates are judged against it too.
    const now = clock.now();
    const scan = await scanPayroll(deps.objects, ref, key, read, now);

    // Content already superseded (or declined, or expired) and now uploaded again at the same key is a
    // new version with a new id.
    let revision = 0;
    let fileId = fileIdOf(ref.key, scan.contentHash);
    let existing = await files.getFile(fileId);
    while (
      existing?.status === 'SUPERSEDED' ||
      ((existing?.status === 'WITHDRAWN' || existing?.status === 'EXPIRED') &&
        isAnotherUpload(existing, ref.upload))
    ) {
      revision += 1;
      fileId = fileIdOf(ref.key, scan.contentHash, revision);
      existing = await files.getFile(fileId);
    }
    let confirmed: FileVersion | undefined;
    if (existing?.status === 'PENDING_CONFIRMATION') {
      const pending = existing.pending;
      if (existing.decision === undefined && pending !== undefined && now.toISOString() > pending.expiresAt) {
        return { ...outcomeOf(await expire(files, existing, now, 'nobody confirmed it in time')), chunks: 0 };
      }
      if (existing.decision?.action !== 'CONFIRMED') return { ...outcomeOf(existing), chunks: 0 };
      confirmed = existing;
    } else if (existing?.status === 'PROCESSING' && existing.decision?.action === 'CONFIRMED') {
      // A confirmed version whose first pass died after recording PROCESSING is still the confirmed
      // one: the retry applies it (or expires it if the month moved), never holds it again.
      confirmed = existing;
    } else if (existing !== undefined && existing.status !== 'PROCESSING') {
      const recorded = isAnotherUpload(existing, ref.upload)
        ? duplicateOfRecorded(existing)
        : outcomeOf(existing);
      return { ...recorded, chunks: 0 };
    }

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
    if (confirmed === undefined && existing === undefined) {
      const pool = await agencies.getPool(key.pool);
      const window = judgePeriod(key.period, {
        ...(pool?.firstPeriod === undefined ? {} : { firstPeriod: pool.firstPeriod }),
        now,
        late: key.late,
      });
      if (!window.ok) return rejectWhole({ reason: window.reason, detail: window.detail });
    }

    const emitDeps = { objects: deps.objects, queue: deps.queue, reportsBucket: deps.reportsBucket };
    const emitInput = {
      bucket: ref.bucket,
      key: ref.key,
      ctx: rowContext(key, now),
      reportKey,
      contentHash: scan.contentHash,
      ...(read === undefined ? {} : { read }),
      ...(scan.encoding === undefined ? {} : { encoding: scan.encoding }),
    };
    const reportOnly = async (
      status: 'REJECTED' | 'DUPLICATE',
      agencyRegistered: boolean,
      firstOf?: FileVersion | undefined,
    ): Promise<SplitOutcome> => {
      // Any later upload of the month, even one that changes nothing, is what the treasurer now means:
      // a proposal still waiting is no longer the month's next version (docs/intake.md).
      if (confirmed === undefined) await expireOlderPending(files, key, fileId, now);
      const emitted = await emitPayroll(emitDeps, emitInput, { mode: 'REPORT_ONLY' });
      return finish({
        ...base,
        ...nothingRecorded(emitted.totals, status),
        status,
        agencyRegistered,
        reportKey,
        ...(firstOf === undefined
          ? {}
          : { duplicateOf: firstOf.fileId, firstReceivedAt: firstOf.receivedAt }),
        processedAt: now.toISOString(),
      });
    };
    // Every row rejected: the rows are reported one by one, and the file changes nothing.
    if (mode !== 'WITHDRAWAL' && statusOfTotals(scan.totals) === 'REJECTED')
      return reportOnly('REJECTED', false);

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
    if (existing?.status === 'PROCESSING' && head?.activeFileId === fileId) {
      // Retry after the head was claimed: keep the base recorded before anything was emitted.
      supersedes = existing.supersedes;
      baseHeadVersion = existing.baseHeadVersion;
    } else {
      if (head !== undefined && head.contentHash === scan.contentHash && mode !== 'WITHDRAWAL') {
        const active = await files.getFile(head.activeFileId);
        // The same bytes are the same month only in the same mode: a whole-month file equal to the file
        // koreksi that made the active version says something else, and is judged as a new version.
        if ((active?.mode ?? 'REPLACE') === mode) return reportOnly('DUPLICATE', agencyRegistered, active);
      }
      // A newer upload for the month is what the treasurer now means: older proposals are not applied.
      if (confirmed === undefined) await expireOlderPending(files, key, fileId, now);
      supersedes = await baseToSupersede(files, head?.activeFileId, ref.key, scan.contentHash, now);
      baseHeadVersion = head?.version;
      if (confirmed?.pending !== undefined) {
        // A confirmation is for the difference shown: if the month changed since, it no longer applies.
        if (
          supersedes !== confirmed.pending.baseFileId ||
          baseHeadVersion !== confirmed.pending.baseHeadVersion
        ) {
          return {
            ...outcomeOf(await expire(files, confirmed, now, 'the month changed before it was applied')),
            chunks: 0,
          };
        }
      }
      if (
        scan.withdrawal !== undefined &&
        (supersedes === undefined || supersedes !== scan.withdrawal.fileId)
      ) {
        return rejectWhole({
          reason: 'WITHDRAWAL_NOT_ACTIVE',
          detail: `file ${scan.withdrawal.fileId} is not the active version of ${key.agency} ${key.period}`,
        });
      }
      if (supersedes !== undefined && confirmed === undefined && head !== undefined) {
        const hold = await holdIfTakingAway(deps, {
          ref,
          key,
          scan,
          supersedes,
          head,
          fileId,
          reportKey,
          now,
          ...(read === undefined ? {} : { read }),
        });
        // Held: nothing is recorded yet, so nothing shows as accepted; `pending` says what would change.
        if (hold !== undefined)
          return finish({
            ...base,
            acceptedRows: 0,
            acceptedAmount: 0,
            agencyRegistered,
            ...hold,
            reportKey,
            status: 'PENDING_CONFIRMATION',
            processedAt: now.toISOString(),
          });
      }
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
    const baseSnapshot =
      supersedes === undefined ? undefined : (await files.getFile(supersedes))?.snapshotKey;
    if (supersedes !== undefined && baseSnapshot === undefined)
      throw new Error(`base version ${supersedes} has no snapshot`);
    const plan = emitPlanOf(mode, header, ownSnapshot, baseSnapshot);
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
    // A late file does not move the pool's first month: it stays a late correction.
    if (!key.late && mode !== 'WITHDRAWAL') await agencies.notePeriod(key.pool, key.period);
    // The outcome is what this last pass sent to the ledger, counted as it sent it.
    return finish(
      {
        ...base,
        ...fileTotalsOf(emitted.totals),
        status: mode === 'WITHDRAWAL' ? 'ACCEPTED' : statusOfTotals(emitted.totals),
        agencyRegistered,
        reportKey,
        snapshotKey: ownSnapshot,
        delta: emitted.delta,
        monthTotal: emitted.monthTotal,
        ...(supersedes === undefined ? {} : { supersedes }),
        ...(baseHeadVersion === undefined ? {} : { baseHeadVersion }),
        processedAt: now.toISOString(),
      },
      emitted.chunks,
    );
  };

/** The row context of a key: a correction-only file takes 0 (it removes a donor). */
const rowContext = (key: PayrollKey, today: Date): PayrollContext => ({
  pool: key.pool,
  today,
  period: key.period,
  agency: key.agency,
  ...(key.mode === 'CORRECTION' ? { allowZero: true } : {}),
});

function emitPlanOf(
  mode: PayrollMode,
  header: { fileId: string; pool: string; period: string; agency: string },
  ownSnapshot: string,
  baseSnapshot: string | undefined,
): EmitPlan {
  if (mode === 'WITHDRAWAL') {
    if (baseSnapshot === undefined) throw new Error('a withdrawal needs the version it withdraws');
    return {
      mode,
      header: { ...header, kind: 'CORRECTION' },
      snapshotKey: ownSnapshot,
      baseSnapshotKey: baseSnapshot,
    };
  }
  if (baseSnapshot === undefined && mode === 'REPLACE')
    return { mode: 'DEDUCTIONS', header: { ...header, kind: 'DEDUCTION' }, snapshotKey: ownSnapshot };
  return {
    mode: 'CORRECTIONS',
    header: { ...header, kind: 'CORRECTION' },
    snapshotKey: ownSnapshot,
    ...(baseSnapshot === undefined ? {} : { baseSnapshotKey: baseSnapshot }),
    ...(mode === 'CORRECTION' ? { merge: true } : {}),
  };
}

/** Every other version of the agency's month still waiting for a person is recorded EXPIRED. */
async function expireOlderPending(
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
async function holdIfTakingAway(
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

/**
 * Pass 0 (probeFile: hash and the whole-file encoding decision), then pass 1: validation and totals
 * with that decision, nothing kept per row, reading the very bytes pass 0 read.
 */
async function scanPayroll(
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
