/**
 * The common shape of the worker and grant intakes: small files whose valid rows are applied one by
 * one to a store (worker registry, ledger) rather than emitted.
 *
 * Pass 1 streams the file: content hash (-> fileId) and full validation, applying nothing, so a file
 * that turns out to be broken half way changes nothing. A file already recorded as processed returns
 * its recorded outcome. Otherwise the file is recorded PROCESSING (fixing `receivedAt`, which makes
 * history keys deterministic), pass 2 applies the valid rows in small concurrent groups (rows of one
 * file are independent: validators allow one row per NIK / reference) and streams the report, and
 * the final status is recorded. Applying a row must be idempotent: a crash means pass 2 runs again.
 */
import type { FileKind, PoolCode, Rupiah } from '#domain/model.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';
import type { ColumnSpec } from '#shared/intake/columns.ts';
import type { RowOutcome } from '#shared/intake/row-kit.ts';
import type { Table } from '#shared/intake/table.ts';
import { HashingSource } from './content-hash.ts';
import { fileIdOf, parseIntakeKey } from './intake-key.ts';
import {
  duplicateOfRecorded,
  type IntakeOutcome,
  isAnotherUpload,
  outcomeOf,
  reportKeyOf,
  statusOfTotals,
} from './intake-outcome.ts';
import { type FileRejection, fileNameOf, readRows, rejectionRow } from './intake-read.ts';
import { putReport, type ReportRow, StreamedReport } from './intake-report.ts';
import { probeFile } from './probe-file.ts';

export type RowIntakeDeps = {
  /** Registers the file's pool (docs/pools-and-areas.md): a grant- or worker-only pool is a pool too. */
  readonly pools?: Pick<PoolRegistry, 'ensure'>;
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly clock: Clock;
  readonly reportsBucket: string;
};

export type ApplyContext = { readonly pool: PoolCode; readonly fileId: string; readonly recordedAt: string };

/** What applying one valid row did: accepted (changed or already so), or rejected by the store's rules. */
export type ApplyResult = { readonly ok: true } | { readonly ok: false; readonly rejection: ReportRow };

export type RowIntakeSpec<T> = {
  readonly kind: Exclude<FileKind, 'PAYROLL'>;
  /** The kind's columns (WORKER_COLUMNS, GRANT_COLUMNS): how the header row is found. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly validate: (table: Table, pool: PoolCode) => AsyncGenerator<RowOutcome<T>, unknown>;
  readonly apply: (row: T, ctx: ApplyContext) => Promise<ApplyResult>;
  /**
   * Applies a group of valid rows at once (results in row order), so a store can batch its round
   * trips; `apply` is used row by row when absent.
   */
  readonly applyGroup?: (rows: readonly T[], ctx: ApplyContext) => Promise<ApplyResult[]>;
  readonly amountOf?: (row: T) => Rupiah;
};

const GROUP_SIZE = 25;

/** Applies the valid rows of a group (as one group when the spec can), passing rejections through. */
async function applyOutcomes<T>(
  spec: RowIntakeSpec<T>,
  outcomes: readonly RowOutcome<T>[],
  ctx: ApplyContext,
): Promise<ApplyResult[]> {
  const { applyGroup } = spec;
  if (applyGroup === undefined) {
    return Promise.all(
      outcomes.map((o) =>
        o.ok ? spec.apply(o.value, ctx) : Promise.resolve<ApplyResult>({ ok: false, rejection: o }),
      ),
    );
  }
  const valid = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const results = valid.length === 0 ? [] : await applyGroup(valid, ctx);
  let next = 0;
  return outcomes.map((o) => {
    if (!o.ok) return { ok: false, rejection: o };
    const result = results[next++];
    if (result === undefined) throw new Error('applyGroup returned fewer results than rows');
    return result;
  });
}

export async function runRowIntake<T>(
  deps: RowIntakeDeps,
  ref: ObjectRef,
  spec: RowIntakeSpec<T>,
): Promise<IntakeOutcome> {
  const { objects, files, clock } = deps;
  const parsed = parseIntakeKey(ref.key);
  const pool = parsed.ok && parsed.value.kind === spec.kind ? parsed.value.pool : undefined;
  const fileName = fileNameOf(ref.key);

  // Pass 0: hash + the whole-file encoding decision; pass 1: validation with it, nothing applied.
  const probed = await probeFile(objects, ref);
  const { contentHash, etag } = probed;
  const pinned = etag === undefined ? {} : { ifMatch: etag };
  const encoding = probed.ok ? probed.encoding : undefined;
  let rejection: FileRejection | undefined;
  let read: { sheet?: string; footerLine?: number; footerRows?: number } = {};
  if (pool === undefined) {
    rejection = {
      reason: 'KEY_INVALID',
      detail: parsed.ok ? `not a ${spec.kind.toLowerCase()} key` : (parsed.detail ?? ''),
    };
  } else if (!probed.ok) {
    rejection = probed.rejection;
  } else {
    const source = new HashingSource(await objects.getStream(ref.bucket, ref.key, pinned));
    const pass = await readRows(
      source,
      fileName,
      spec.columns,
      (table) => spec.validate(table, pool),
      () => undefined,
      encoding,
    );
    if ((await source.finish()) !== contentHash)
      throw new Error('intake file changed between passes; retrying');
    if (!pass.ok) rejection = pass.rejection;
    else read = whatWasRead(pass.sheet, pass.result);
  }
  const fileId = fileIdOf(ref.key, contentHash);
  const existing = await files.getFile(fileId);
  if (existing !== undefined && existing.status !== 'PROCESSING') {
    return isAnotherUpload(existing, ref.upload) ? duplicateOfRecorded(existing) : outcomeOf(existing);
  }

  const now = clock.now();
  // As a payroll file does: any file whose key names a pool registers it, before its rows are judged.
  // BPJS's answer is about a pool that exists already: it never registers one.
  if (pool !== undefined && spec.kind !== 'BPJS') await deps.pools?.ensure(pool, spec.kind, now);
  const receivedAt = existing?.receivedAt ?? now.toISOString();
  const base = {
    fileId,
    kind: spec.kind,
    key: ref.key,
    pool: pool ?? '',
    contentHash,
    receivedAt,
    ...read,
    ...(ref.upload === undefined ? {} : { upload: ref.upload }),
  } as const;
  const reportKey = reportKeyOf(base, fileId);
  const totals = { dataRows: 0, acceptedRows: 0, acceptedAmount: 0, rejectedRows: 0, rejectedAmount: 0 };
  const record = async (file: FileVersion): Promise<IntakeOutcome> => {
    await files.putFile(file);
    return outcomeOf(file);
  };

  if (rejection !== undefined || pool === undefined) {
    const row = rejectionRow(rejection ?? { reason: 'KEY_INVALID', detail: '' });
    await putReport(objects, deps.reportsBucket, reportKey, [row]);
    return record({
      ...base,
      ...totals,
      status: 'REJECTED',
      rejectReason: row.reason,
      reportKey,
      processedAt: now.toISOString(),
    });
  }

  // The same bytes under another name (`hibah (1).csv`): a DUPLICATE of the first, nothing applied.
  const owner = await files.claimContent(pool, spec.kind, contentHash, { fileId, receivedAt });
  if (owner.fileId !== fileId) {
    await putReport(objects, deps.reportsBucket, reportKey, []);
    return record({
      ...base,
      ...totals,
      status: 'DUPLICATE',
      duplicateOf: owner.fileId,
      firstReceivedAt: owner.receivedAt,
      reportKey,
      processedAt: now.toISOString(),
    });
  }
  await files.putFile({ ...base, ...totals, status: 'PROCESSING', reportKey });
  const ctx: ApplyContext = { pool, fileId, recordedAt: receivedAt };
  const report = new StreamedReport(objects, deps.reportsBucket, reportKey);
  let group: RowOutcome<T>[] = [];
  const flush = async (): Promise<void> => {
    const outcomes = group;
    group = [];
    const applied = await applyOutcomes(spec, outcomes, ctx);
    for (const [i, result] of applied.entries()) {
      const outcome = outcomes[i];
      const amount = outcome?.ok && spec.amountOf ? spec.amountOf(outcome.value) : 0;
      totals.dataRows += 1;
      if (result.ok) {
        totals.acceptedRows += 1;
        totals.acceptedAmount += amount;
      } else {
        totals.rejectedRows += 1;
        totals.rejectedAmount += amount;
        await report.add(result.rejection);
      }
    }
  };

  try {
    const pass2 = new HashingSource(await objects.getStream(ref.bucket, ref.key, pinned));
    const pass = await readRows(
      pass2,
      fileName,
      spec.columns,
      (table) => spec.validate(table, pool),
      async (outcome) => {
        group.push(outcome);
        if (group.length >= GROUP_SIZE) await flush();
      },
      encoding,
    );
    await flush();
    if (!pass.ok || (await pass2.finish()) !== contentHash)
      throw new Error('intake file changed between passes; retrying');
    await report.close();
  } catch (error) {
    report.abort(error);
    throw error;
  }
  return record({
    ...base,
    ...totals,
    status: statusOfTotals(totals),
    reportKey,
    processedAt: now.toISOString(),
  });
}

/** The sheet read and the footer ignored, as the file version records them. */
function whatWasRead(
  sheet: string | undefined,
  result: unknown,
): { sheet?: string; footerLine?: number; footerRows?: number } {
  const footer = (result as { footer?: { line: number; rows: number } } | undefined)?.footer;
  return {
    ...(sheet === undefined ? {} : { sheet }),
    ...(footer === undefined ? {} : { footerLine: footer.line, footerRows: footer.rows }),
  };
}
