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
import type { FileHead } from '#domain/ports/file-registry.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import { expire } from './held-versions.ts';
import { fileTotalsOf, outcomeOf, statusOfTotals } from './intake-outcome.ts';
import { judgeRecorded, receive, withBase } from './payroll-arrival.ts';
import { emitPayroll, emitPlanOf } from './payroll-emit.ts';
import { expireOlderPending, holdIfTakingAway } from './payroll-hold.ts';
import { abandonReplaced, baseToSupersede, replacedAfterEmitting } from './payroll-replacement.ts';
import { snapshotKey } from './payroll-snapshot.ts';
import {
  emitDepsOf,
  emitInputOf,
  finish,
  type Or,
  type Placed,
  rejectWhole,
  reportOnly,
  type Version,
} from './payroll-version.ts';
import type { SplitOutcome, SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

export type { SplitOutcome, SplitPayrollFileDeps } from './split-payroll-file-deps.ts';

/**
 * splitPayrollFile as its steps, in the order of the comment above: receive (passes 0 and 1, the
 * version's id), judgeRecorded (a version already recorded or waiting for a person), withBase (what the
 * version's record says whatever its fate), admit (key, structure, the pool's window), claimAgency,
 * placeVersion (duplicate, hold, or record PROCESSING and claim the head) and emitVersion (pass 2).
 */
export const makeSplitPayrollFile =
  (deps: SplitPayrollFileDeps) =>
  async (ref: ObjectRef): Promise<SplitOutcome> => {
    const arrival = await receive(deps, ref);
    const judged = await judgeRecorded(arrival);
    if ('outcome' in judged) return judged.outcome;
    const received = withBase(arrival, judged.confirmed);
    const { parsed, key } = received;
    if (!parsed.ok || key === undefined) {
      return rejectWhole(received, {
        reason: 'KEY_INVALID',
        detail: parsed.ok ? 'not a payroll key' : (parsed.detail ?? ''),
      });
    }
    const v: Version = { ...received, key };
    const refused = await admit(v);
    if (refused !== undefined) return refused;
    // Every row rejected: the rows are reported one by one, and the file changes nothing.
    if (v.mode !== 'WITHDRAWAL' && statusOfTotals(v.scan.totals) === 'REJECTED')
      return reportOnly(v, 'REJECTED', false);
    const claimed = await claimAgency(v);
    if ('outcome' in claimed) return claimed.outcome;
    const placed = await placeVersion(v, claimed.agencyRegistered);
    if ('outcome' in placed) return placed.outcome;
    return emitVersion(v, claimed.agencyRegistered, placed);
  };

/** The pool registered; a whole-file problem or a month outside the pool's window rejects the file. */
async function admit(v: Version): Promise<SplitOutcome | undefined> {
  const { deps, key, now } = v;
  await deps.agencies.ensurePool(key.pool, now);
  if (v.scan.rejection) return rejectWhole(v, v.scan.rejection);
  if (v.confirmed !== undefined || v.existing !== undefined) return undefined;
  const pool = await deps.agencies.getPool(key.pool);
  const window = judgePeriod(key.period, {
    ...(pool?.firstPeriod === undefined ? {} : { firstPeriod: pool.firstPeriod }),
    now,
    late: key.late,
  });
  return window.ok ? undefined : rejectWhole(v, { reason: window.reason, detail: window.detail });
}

/** The agency is the pool's (registered by its first file); another pool's agency rejects the file. */
async function claimAgency(v: Version): Promise<Or<{ readonly agencyRegistered: boolean }>> {
  const { key, fileId } = v;
  const claim = await v.deps.agencies.claimAgency(key.agency, key.pool, fileId, v.now);
  if (claim.pool === key.pool) return { agencyRegistered: claim.firstFileId === fileId };
  return {
    outcome: await rejectWhole(v, {
      reason: 'AGENCY_OTHER_POOL',
      detail: `agency ${key.agency} belongs to pool ${claim.pool}`,
    }),
  };
}

/**
 * Where the version goes: a retry after the head was claimed keeps the base recorded before anything
 * was emitted; otherwise placeNewVersion.
 */
async function placeVersion(v: Version, agencyRegistered: boolean): Promise<Or<Placed>> {
  const { key, existing } = v;
  const head = await v.deps.files.getHead(key.pool, key.period, key.agency);
  if (existing?.status === 'PROCESSING' && head?.activeFileId === v.fileId)
    return { supersedes: existing.supersedes, baseHeadVersion: existing.baseHeadVersion };
  return placeNewVersion(v, agencyRegistered, head);
}

/**
 * A new version of the month: a DUPLICATE of the active one, or its base found (older held versions
 * expire); a stale confirmation EXPIRED, a withdrawal of another version REJECTED, a version taking
 * money away held; otherwise recorded PROCESSING with its base and the head claimed.
 */
async function placeNewVersion(
  v: Version,
  agencyRegistered: boolean,
  head: FileHead | undefined,
): Promise<Or<Placed>> {
  const { deps, key, scan, mode, confirmed, fileId, now } = v;
  const { files } = deps;
  if (head !== undefined && head.contentHash === scan.contentHash && mode !== 'WITHDRAWAL') {
    const active = await files.getFile(head.activeFileId);
    // The same bytes are the same month only in the same mode: a whole-month file equal to the file
    // koreksi that made the active version says something else, and is judged as a new version.
    if ((active?.mode ?? 'REPLACE') === mode)
      return { outcome: await reportOnly(v, 'DUPLICATE', agencyRegistered, active) };
  }
  // A newer upload for the month is what the treasurer now means: older proposals are not applied.
  if (confirmed === undefined) await expireOlderPending(files, key, fileId, now);
  const supersedes = await baseToSupersede(files, head?.activeFileId, v.ref.key, scan.contentHash, now);
  const baseHeadVersion = head?.version;
  // A confirmation is for the difference shown: if the month changed since, it no longer applies.
  if (
    confirmed?.pending !== undefined &&
    (supersedes !== confirmed.pending.baseFileId || baseHeadVersion !== confirmed.pending.baseHeadVersion)
  ) {
    const expired = await expire(files, confirmed, now, 'the month changed before it was applied');
    return { outcome: { ...outcomeOf(expired), chunks: 0 } };
  }
  if (scan.withdrawal !== undefined && (supersedes === undefined || supersedes !== scan.withdrawal.fileId)) {
    const detail = `file ${scan.withdrawal.fileId} is not the active version of ${key.agency} ${key.period}`;
    return { outcome: await rejectWhole(v, { reason: 'WITHDRAWAL_NOT_ACTIVE', detail }) };
  }
  if (supersedes !== undefined && confirmed === undefined && head !== undefined) {
    const hold = await holdIfTakingAway(deps, {
      ref: v.ref,
      key,
      scan,
      supersedes,
      head,
      fileId,
      reportKey: v.reportKey,
      now,
      ...(v.read === undefined ? {} : { read: v.read }),
    });
    // Held: nothing is recorded yet, so nothing shows as accepted; `pending` says what would change.
    if (hold !== undefined) {
      const held = { ...v.base, acceptedRows: 0, acceptedAmount: 0, agencyRegistered, ...hold };
      return {
        outcome: await finish(files, {
          ...held,
          reportKey: v.reportKey,
          status: 'PENDING_CONFIRMATION',
          processedAt: now.toISOString(),
        }),
      };
    }
  }
  const placed = { supersedes, baseHeadVersion };
  await recordProcessing(v, agencyRegistered, placed, head);
  return placed;
}

/** Records the version PROCESSING with its base, then claims the head (conditional on the head read). */
async function recordProcessing(
  v: Version,
  agencyRegistered: boolean,
  { supersedes, baseHeadVersion }: Placed,
  head: FileHead | undefined,
): Promise<void> {
  const { files } = v.deps;
  const { key, scan } = v;
  await files.putFile({
    ...v.base,
    ...(scan.etag === undefined ? {} : { etag: scan.etag }),
    status: 'PROCESSING',
    agencyRegistered,
    reportKey: v.reportKey,
    ...(supersedes === undefined ? {} : { supersedes }),
    ...(baseHeadVersion === undefined ? {} : { baseHeadVersion }),
  });
  try {
    const { pool, period, agency } = key;
    const next = { pool, period, agency, activeFileId: v.fileId, contentHash: scan.contentHash };
    await files.advanceHead(next, head?.version);
  } catch (error) {
    throw new TransientError(`head of ${key.pool}/${key.period}/${key.agency} moved; retrying`, {
      cause: error,
    });
  }
}

/** Pass 2: the chunks (DEDUCTION or CORRECTION), the snapshot and the report, then the final status. */
async function emitVersion(v: Version, agencyRegistered: boolean, placed: Placed): Promise<SplitOutcome> {
  const { deps, key, fileId, now, mode } = v;
  const { files } = deps;
  const { supersedes, baseHeadVersion } = placed;
  const header = { fileId, pool: key.pool, period: key.period, agency: key.agency } as const;
  const ownSnapshot = snapshotKey(key.pool, key.period, key.agency, fileId);
  const baseSnapshot = supersedes === undefined ? undefined : (await files.getFile(supersedes))?.snapshotKey;
  if (supersedes !== undefined && baseSnapshot === undefined)
    throw new Error(`base version ${supersedes} has no snapshot`);
  const plan = emitPlanOf(mode, header, ownSnapshot, baseSnapshot);
  // From here chunks may reach the ledger under this id: say so first, so that a version whose
  // object is later replaced is never silently abandoned with half its rows counted.
  const processing = await files.getFile(fileId);
  if (processing === undefined) throw new TransientError(`file ${fileId} is not recorded yet; retrying`);
  const etag = processing.etag ?? v.scan.etag;
  if (processing.emitStarted !== true) await files.putFile({ ...processing, emitStarted: true });
  let emitted: Awaited<ReturnType<typeof emitPayroll>>;
  try {
    emitted = await emitPayroll(
      emitDepsOf(v),
      { ...emitInputOf(v), ...(etag === undefined ? {} : { etag }) },
      plan,
    );
  } catch (error) {
    if (!(error instanceof ConflictError && error.code === 'OBJECT_CHANGED')) throw error;
    if (processing.emitStarted === true) throw replacedAfterEmitting(fileId, v.ref.key);
    // Replaced before this version emitted anything: the newer object's own event takes over.
    return abandonReplaced(deps, { ...processing, emitStarted: true }, now);
  }
  if (supersedes !== undefined) await files.markSuperseded(supersedes, fileId, now);
  // A late file does not move the pool's first month: it stays a late correction.
  if (!key.late && mode !== 'WITHDRAWAL') await deps.agencies.notePeriod(key.pool, key.period);
  // The outcome is what this last pass sent to the ledger, counted as it sent it.
  return finish(
    files,
    {
      ...v.base,
      ...fileTotalsOf(emitted.totals),
      status: mode === 'WITHDRAWAL' ? 'ACCEPTED' : statusOfTotals(emitted.totals),
      agencyRegistered,
      reportKey: v.reportKey,
      snapshotKey: ownSnapshot,
      delta: emitted.delta,
      monthTotal: emitted.monthTotal,
      ...(supersedes === undefined ? {} : { supersedes }),
      ...(baseHeadVersion === undefined ? {} : { baseHeadVersion }),
      processedAt: now.toISOString(),
    },
    emitted.chunks,
  );
}
