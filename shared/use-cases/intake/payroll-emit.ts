/**
 * Pass 2 of a payroll file: stream it again and, in one walk, write the rejection report, the
 * accepted-rows snapshot, and the chunks. A first version emits DEDUCTION chunks row by row (flat
 * memory at any size); a superseding version emits CORRECTION chunks against its base's snapshot
 * (see payroll-snapshot.ts for why Maps are fine there); a duplicate or wholly rejected file only
 * gets its report.
 */
import type { Deduction } from '#domain/model.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { PAYROLL_COLUMNS, type PayrollFileTotals, validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { ChunkEmitter, type ChunkHeader } from './chunk-emitter.ts';
import { HashingSource } from './content-hash.ts';
import { fileNameOf, type PassResult, readRows } from './intake-read.ts';
import { StreamedReport } from './intake-report.ts';
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
  readonly ctx: { readonly pool: string; readonly period: string; readonly agency: string };
  readonly reportKey: string;
  readonly contentHash: string;
  /** ETag pass 1 read: pass 2 fails with OBJECT_CHANGED, before emitting anything, if it moved on. */
  readonly etag?: string;
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
};

export async function emitPayroll(deps: EmitDeps, input: EmitInput, plan: EmitPlan): Promise<EmitResult> {
  const { objects, reportsBucket } = deps;
  // The base is read before anything is sent: a missing base fails the attempt with nothing emitted.
  const before =
    plan.mode === 'CORRECTIONS'
      ? parseSnapshot(await objects.getText(reportsBucket, plan.baseSnapshotKey))
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
      PAYROLL_COLUMNS,
      (table) => validatePayrollRows(table, input.ctx),
      async (outcome) => {
        if (!outcome.ok) {
          await report.add(outcome);
          return;
        }
        const row: Deduction = outcome.value;
        if (snapshot) await snapshot.channel.write(snapshotLine(row));
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
    if (before && emitter) for (const entry of corrections(before, after)) await emitter.add(entry);
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
    };
  } catch (error) {
    report.abort(error);
    snapshot?.channel.abort(error);
    throw error;
  }
}
