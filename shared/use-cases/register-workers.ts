/**
 * Register a worker enrollment file (`incoming/workers/<pool>/...`) into the worker registry
 * (DESIGN.md §2, issue 3 item 4), idempotently, with the same validation and report as payroll.
 *
 * Every change is a history entry, never an overwrite: ENROLLED (new NIK), UPDATED (name, KPJ, tier,
 * occupation or enrollment date changed), EXITED (exit date + reason). A row identical to the current
 * enrollment changes nothing. History keys are `<receivedAt>#<fileId>#<line>`: a redelivered file
 * rewrites the same entries instead of adding new ones.
 * Rules: a NIK enrolled in another pool is rejected (WORKER_OTHER_POOL); an exited worker is never
 * re-enrolled silently: a row for an exited NIK without exit columns is rejected (WORKER_EXITED).
 */
import { ConflictError } from '#domain/errors.ts';
import { maskNik } from '#domain/masking.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import type { EnrollmentChange, WorkerEnrollment, WorkerRegistry } from '#domain/ports/worker-registry.ts';
import type { ReasonCode } from '#domain/reasons.ts';
import { validateWorkerRows, type WorkerRow } from '#shared/intake/worker-rows.ts';
import type { IntakeOutcome } from './intake-outcome.ts';
import { type ApplyContext, type ApplyResult, runRowIntake } from './row-intake.ts';

export type RegisterWorkersDeps = {
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly workers: WorkerRegistry;
  readonly clock: Clock;
  readonly reportsBucket: string;
};

const reject = (row: WorkerRow, reason: ReasonCode): ApplyResult => ({
  ok: false,
  rejection: { line: row.line, field: 'nik', value: maskNik(row.nik), reason },
});

export function enrollmentOf(row: WorkerRow, ctx: ApplyContext): WorkerEnrollment {
  return {
    pool: ctx.pool,
    nik: row.nik,
    name: row.name,
    ...(row.kpj === undefined ? {} : { kpj: row.kpj }),
    tier: row.tier,
    occupation: row.occupation,
    enrolledOn: row.enrolledOn,
    ...(row.exit === undefined ? {} : { exitedOn: row.exit.on, exitReason: row.exit.reason }),
    updatedAt: ctx.recordedAt,
    fileId: ctx.fileId,
  };
}

const FIELDS = ['name', 'kpj', 'tier', 'occupation', 'enrolledOn', 'exitedOn', 'exitReason'] as const;

/** The change a row makes to the current enrollment, or undefined when it changes nothing. */
export function changeOf(
  before: WorkerEnrollment | undefined,
  after: WorkerEnrollment,
): EnrollmentChange | undefined {
  if (before === undefined) return after.exitedOn === undefined ? 'ENROLLED' : 'EXITED';
  if (FIELDS.every((f) => before[f] === after[f])) return undefined;
  return before.exitedOn === undefined && after.exitedOn !== undefined ? 'EXITED' : 'UPDATED';
}

export const makeRegisterWorkers =
  (deps: RegisterWorkersDeps) =>
  (ref: { readonly bucket: string; readonly key: string }): Promise<IntakeOutcome> =>
    runRowIntake<WorkerRow>(deps, ref, {
      kind: 'WORKERS',
      validate: (table, pool) => validateWorkerRows(table, { pool }),
      apply: async (row, ctx) => {
        const { workers } = deps;
        const current = await workers.getEnrollment(ctx.pool, row.nik);
        if (current === undefined) {
          const owner = await workers.findOwner(row.nik);
          if (owner !== undefined && owner.pool !== ctx.pool) return reject(row, 'WORKER_OTHER_POOL');
        }
        if (current?.exitedOn !== undefined && row.exit === undefined) return reject(row, 'WORKER_EXITED');
        const after = enrollmentOf(row, ctx);
        const change = changeOf(current, after);
        if (change === undefined) return { ok: true };
        try {
          await workers.recordChange({
            pool: ctx.pool,
            nik: row.nik,
            change,
            ...(current === undefined ? {} : { before: current }),
            after,
            recordedAt: ctx.recordedAt,
            fileId: ctx.fileId,
            line: row.line,
          });
        } catch (error) {
          // Another pool enrolled the NIK between our read and our write.
          if (error instanceof ConflictError) return reject(row, 'WORKER_OTHER_POOL');
          throw error;
        }
        return { ok: true };
      },
    });
