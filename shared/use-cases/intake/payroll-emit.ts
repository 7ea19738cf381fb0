/**
 * Pass 2 of a payroll file: stream it again and, in one walk, write the rejection report, the
 * accepted-rows snapshot, and the chunks. A first version emits DEDUCTION chunks row by row (flat
 * memory at any size); a superseding version emits CORRECTION chunks against its base's snapshot
 * (see payroll-snapshot.ts for why Maps are fine there); a duplicate or wholly rejected file only
 * gets its report.
 */
import type { AgencyCode, Deduction, Period, PoolCode } from '#domain/model.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { PayrollMode } from '#domain/ports/file-registry.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import {
  PAYROLL_COLUMNS,
  type PayrollContext,
  type PayrollFileTotals,
  type PayrollReadOptions,
  validatePayrollRows,
} from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { ChunkEmitter, type ChunkHeader } from './chunk-emitter.ts';
import { HashingSource } from './content-hash.ts';
import { fileNameOf, type PassResult, readRows } from './intake-read.ts';
import { putReport, StreamedReport } from './intake-report.ts';
import {
  addDonor,
  corrections,
  type DonorTotal,
  parseSnapshot,
  SNAPSHOT_HEADER,
  snapshotLine,
} from './payroll-snapshot.ts';
import { openUpload } from './text-channel.ts';

export type EmitPlan =
  | { readonly mode: 'REPORT_ONLY' }
  | { readonly mode: 'DEDUCTIONS'; readonly header: ChunkHeader; readonly snapshotKey: string }
  | {
      readonly mode: 'CORRECTIONS';
      readonly header: ChunkHeader;
      readonly snapshotKey: string;
      /** Absent: nothing active before (a correction-only file for an empty month). */
      readonly baseSnapshotKey?: string;
      /** A correction-only file: its rows change only the donors they list; 0 removes one. */
      readonly merge?: boolean;
    }
  | {
      /** Takes the month's active version back: every row of the base reversed; the object is not read. */
      readonly mode: 'WITHDRAWAL';
      readonly header: ChunkHeader;
      readonly snapshotKey: string;
      readonly baseSnapshotKey: string;
    };

export type EmitDeps = {
  readonly objects: ObjectStore;
  readonly queue: DeductionQueue;
  readonly reportsBucket: string;
};

export type EmitInput = {
  readonly bucket: string;
  readonly key: string;
  readonly ctx: PayrollContext;
  readonly reportKey: string;
  readonly contentHash: string;
  /** ETag pass 1 read: pass 2 fails with OBJECT_CHANGED, before emitting anything, if it moved on. */
  readonly etag?: string;
  /** The agency's column mapping, as pass 1 read the file with it. */
  readonly read?: PayrollReadOptions;
  /** The whole-file encoding decision pass 1 used (docs/intake.md#encoding). */
  readonly encoding?: EncodingDecision;
};

/**
 * What this pass emitted, and the file's totals counted by this same pass (docs/intake.md#outcomes: the
 * outcome is computed from the rows committed, not from an earlier read). `delta`: Σ of the entries sent
 * (a first version: its total; a superseding one: the signed corrections).
 */
export type EmitResult = {
  readonly chunks: number;
  readonly entries: number;
  readonly delta: number;
  readonly totals: PayrollFileTotals;
  /** The agency month's total after this version (its snapshot's sum). */
  readonly monthTotal: number;
};

export async function emitPayroll(deps: EmitDeps, input: EmitInput, plan: EmitPlan): Promise<EmitResult> {
  const { objects, reportsBucket } = deps;
  if (plan.mode === 'WITHDRAWAL') return emitWithdrawal(deps, input, plan);
  // The base is read before anything is sent: a missing base fails the attempt with nothing emitted.
  const before =
    plan.mode === 'CORRECTIONS'
      ? plan.baseSnapshotKey === undefined
        ? new Map<string, DonorTotal>()
        : parseSnapshot(await objects.getText(reportsBucket, plan.baseSnapshotKey))
      : undefined;
  const after = new Map<string, DonorTotal>();
  const emitter = plan.mode === 'REPORT_ONLY' ? undefined : new ChunkEmitter(plan.header, deps.queue);
  const report = new StreamedReport(objects, reportsBucket, input.reportKey);
  const snapshot =
    plan.mode === 'REPORT_ONLY'
      ? undefined
      : openUpload((chunks) =>
          objects.putStream(reportsBucket, plan.snapshotKey, chunks, 'text/csv; charset=utf-8'),
        );

  try {
    await snapshot?.channel.write(SNAPSHOT_HEADER);
    const source = new HashingSource(
      await objects.getStream(
        input.bucket,
        input.key,
        input.etag === undefined ? {} : { ifMatch: input.etag },
      ),
    );
    const pass: PassResult<PayrollFileTotals> = await readRows(
      source,
      fileNameOf(input.key),
      input.read?.columns ?? PAYROLL_COLUMNS,
      (table) => validatePayrollRows(table, input.ctx, input.read),
      async (outcome) => {
        if (!outcome.ok) {
          await report.add(outcome);
          return;
        }
        const row: Deduction = outcome.value;
        // A superseding version's snapshot is written from its map once the file is read (merged for a koreksi).
        if (snapshot && plan.mode === 'DEDUCTIONS') await snapshot.channel.write(snapshotLine(row));
        if (plan.mode === 'DEDUCTIONS') {
          await emitter?.add(
            row.workerNik === undefined
              ? { nip: row.nip, amount: row.amount, line: row.line }
              : { nip: row.nip, amount: row.amount, workerNik: row.workerNik, line: row.line },
          );
        } else if (plan.mode === 'CORRECTIONS') {
          addDonor(after, row.nip, row.amount, row.workerNik ?? '', row.line);
        }
      },
      input.encoding,
    );
    // Pass 1 accepted this content; anything else now means the object changed under us.
    if (!pass.ok || (await source.finish()) !== input.contentHash) {
      throw new Error('payroll file changed between passes; retrying');
    }
    const month =
      plan.mode === 'CORRECTIONS' && plan.merge === true && before ? merged(before, after) : after;
    if (before && emitter) for (const entry of corrections(before, month)) await emitter.add(entry);
    if (before && snapshot)
      for (const row of month.values()) await snapshot.channel.write(snapshotLine(rowOf(row)));
    await emitter?.flush();
    // A first version sends its accepted rows as they are: anything else is a bug, never an outcome.
    if (
      plan.mode === 'DEDUCTIONS' &&
      (emitter?.amountEmitted !== pass.result.acceptedAmount ||
        emitter.entriesEmitted !== pass.result.acceptedRows)
    ) {
      throw new Error('payroll emit: the rows sent differ from the rows counted');
    }
    snapshot?.channel.close();
    await snapshot?.done;
    await report.close();
    return {
      chunks: emitter?.chunksEmitted ?? 0,
      entries: emitter?.entriesEmitted ?? 0,
      delta: emitter?.amountEmitted ?? 0,
      totals: pass.result,
      monthTotal: before ? sumOf(month) : pass.result.acceptedAmount,
    };
  } catch (error) {
    report.abort(error);
    snapshot?.channel.abort(error);
    throw error;
  }
}

const sumOf = (rows: Map<string, DonorTotal>): number => [...rows.values()].reduce((t, r) => t + r.amount, 0);

const rowOf = (r: DonorTotal) => (r.workerNik === '' ? { nip: r.nip, amount: r.amount } : r);

/**
 * A correction-only file applied to the month (docs/intake.md#correction-only-files): the listed donor
 * rows (NIP + worker) take their new amount, a listed 0 removes the row, unlisted rows stay as they were.
 */
export function merged(
  before: Map<string, DonorTotal>,
  listed: Map<string, DonorTotal>,
): Map<string, DonorTotal> {
  const month = new Map(before);
  for (const [slot, row] of listed) {
    if (row.amount === 0) month.delete(slot);
    else month.set(slot, row);
  }
  return month;
}

/** A withdrawal: the base's rows reversed, an empty snapshot, an empty report; the object is not read. */
async function emitWithdrawal(
  deps: EmitDeps,
  input: EmitInput,
  plan: Extract<EmitPlan, { mode: 'WITHDRAWAL' }>,
): Promise<EmitResult> {
  const before = parseSnapshot(await deps.objects.getText(deps.reportsBucket, plan.baseSnapshotKey));
  const emitter = new ChunkEmitter(plan.header, deps.queue);
  for (const entry of corrections(before, new Map())) await emitter.add(entry);
  await emitter.flush();
  await deps.objects.put(deps.reportsBucket, plan.snapshotKey, SNAPSHOT_HEADER, 'text/csv; charset=utf-8');
  await putReport(deps.objects, deps.reportsBucket, input.reportKey, []);
  return {
    chunks: emitter.chunksEmitted,
    entries: emitter.entriesEmitted,
    delta: emitter.amountEmitted,
    totals: { dataRows: 0, acceptedRows: 0, acceptedAmount: 0, rejectedRows: 0, rejectedAmount: 0 },
    monthTotal: 0,
  };
}

/** What pass 2 of a version does, by its mode and whether it has a base version to diff against. */
export function emitPlanOf(
  mode: PayrollMode,
  header: { fileId: string; pool: PoolCode; period: Period; agency: AgencyCode },
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
