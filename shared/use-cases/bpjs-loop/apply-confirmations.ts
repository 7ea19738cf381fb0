/**
 * Applies BPJS's confirmation file of a pool's month (`incoming/bpjs/<pool>/<YYYY-MM>/…`,
 * docs/bpjs-loop.md#the-confirmation-file), through the same intake as worker and grant files
 * (runRowIntake: CSV or XLSX, a report with a reason per rejected row, recorded once per content).
 *
 * The lines of a file version are written under that version; once all are written, the month's
 * pointer moves to it unless a file received later already counts. So the same file again changes
 * nothing (DUPLICATE), and a corrected file from BPJS replaces the earlier answer whole, as a payroll
 * file supersedes its predecessor. A KPJ that BPJS assigned to a newly registered worker (`kpj_baru`)
 * is written to the worker registry as an UPDATED history entry (file id + line: a retry rewrites the
 * same entry), only for workers enrolled in the pool whose KPJ differs.
 */
import type { Period, PoolCode } from '#domain/model.ts';
import type { ConfirmationStore } from '#domain/ports/confirmation-store.ts';
import type { EnrollmentHistoryEntry, WorkerRegistry } from '#domain/ports/worker-registry.ts';
import { BPJS_COLUMNS, type BpjsLine, validateBpjsRows } from '#shared/intake/bpjs-rows.ts';
import { HashingSource } from '../intake/content-hash.ts';
import { fileIdOf, parseIntakeKey } from '../intake/intake-key.ts';
import type { IntakeOutcome } from '../intake/intake-outcome.ts';
import { type RowIntakeDeps, runRowIntake } from '../intake/row-intake.ts';

export type ApplyConfirmationsDeps = Omit<RowIntakeDeps, 'pools'> & {
  readonly confirmations: ConfirmationStore;
  readonly workers: Pick<WorkerRegistry, 'getEnrollments' | 'recordChanges'>;
};

export type ConfirmationOutcome = IntakeOutcome & {
  /** Whether this file is now the month's answer (false: a file received later counts). */
  readonly current: boolean;
  /** KPJs written to the registry by this call. */
  readonly kpjsAssigned: number;
};

export function makeApplyConfirmations(deps: ApplyConfirmationsDeps) {
  return async function applyConfirmations(ref: {
    readonly bucket: string;
    readonly key: string;
  }): Promise<ConfirmationOutcome> {
    const parsed = parseIntakeKey(ref.key);
    const month: Period | undefined =
      parsed.ok && parsed.value.kind === 'BPJS' ? parsed.value.period : undefined;
    // Seen before? The same bytes at the same key are the same file version (intake-key.ts).
    const hashing = new HashingSource(await deps.objects.getStream(ref.bucket, ref.key));
    const seenBefore = await deps.files.getFile(fileIdOf(ref.key, await hashing.finish()));
    const today = deps.clock.now();
    const outcome = await runRowIntake<BpjsLine>(deps, ref, {
      kind: 'BPJS',
      columns: BPJS_COLUMNS,
      validate: (table) => validateBpjsRows(table, { month: month ?? '', today }),
      amountOf: (l) => (l.status === 'DITERIMA' ? l.amount : 0),
      apply: async (line, ctx) => {
        await deps.confirmations.putLines(ctx.pool, month ?? '', ctx.fileId, [line]);
        return { ok: true };
      },
      applyGroup: async (lines, ctx) => {
        await deps.confirmations.putLines(ctx.pool, month ?? '', ctx.fileId, lines);
        return lines.map(() => ({ ok: true as const }));
      },
    });
    const done = seenBefore !== undefined && seenBefore.status !== 'PROCESSING';
    const base = done ? { ...outcome, status: 'DUPLICATE' as const } : outcome;
    if (month === undefined || outcome.status === 'REJECTED' || outcome.pool === '')
      return { ...base, current: false, kpjsAssigned: 0 };
    const file = await deps.files.getFile(outcome.fileId);
    // The same bytes under another name applied nothing: the first file stays the month's answer.
    if (file?.duplicateOf !== undefined) return { ...base, current: false, kpjsAssigned: 0 };
    // Counted from the file's record, not from this outcome: a repeat of the same upload shows 0 accepted
    // (nothing new), while the pointer (set again after a crash, idempotently) says what the file holds.
    const moved = await deps.confirmations.setCurrent(outcome.pool, month, {
      fileId: outcome.fileId,
      key: ref.key,
      receivedAt: file?.receivedAt ?? deps.clock.now().toISOString(),
      lines: file?.acceptedRows ?? outcome.counts.acceptedRows,
    });
    if (moved === 'KEPT') return { ...base, current: false, kpjsAssigned: 0 };
    const kpjsAssigned = await assignKpjs(deps, outcome.pool, month, outcome.fileId);
    return { ...base, current: true, kpjsAssigned };
  };
}

/** Writes each `kpj_baru` of the file to the registry where the enrolled worker's KPJ differs. */
async function assignKpjs(
  deps: ApplyConfirmationsDeps,
  pool: PoolCode,
  month: Period,
  fileId: string,
): Promise<number> {
  const assigned = (await deps.confirmations.lines(pool, month, fileId)).filter(
    (l) => l.newKpj !== undefined,
  );
  if (assigned.length === 0) return 0;
  const enrolled = await deps.workers.getEnrollments(
    pool,
    assigned.map((l) => l.nik),
  );
  const recordedAt = deps.clock.now().toISOString();
  const entries: EnrollmentHistoryEntry[] = assigned.flatMap((l) => {
    const before = enrolled.get(l.nik);
    if (before === undefined || before.kpj === l.newKpj || l.newKpj === undefined) return [];
    return [
      {
        pool,
        nik: l.nik,
        change: 'UPDATED' as const,
        before,
        after: { ...before, kpj: l.newKpj, updatedAt: recordedAt, fileId },
        recordedAt,
        fileId,
        line: l.line,
      },
    ];
  });
  if (entries.length === 0) return 0;
  const out = await deps.workers.recordChanges(entries);
  return out.filter((o) => o === 'RECORDED').length;
}
