/**
 * Register a worker enrollment file (`incoming/workers/<pool>/...`) into the worker registry
 * (docs/design.md#worker-file), idempotently, with the same validation and report as payroll.
 *
 * Every change is a history entry, never an overwrite: ENROLLED (new NIK), UPDATED (name, KPJ, tier,
 * occupation or enrollment date changed), EXITED (exit date + reason). A row identical to the current
 * enrollment changes nothing. History keys are `<receivedAt>#<fileId>#<line>`: a redelivered file
 * rewrites the same entries instead of adding new ones.
 * Rules: a NIK enrolled in another pool is rejected (WORKER_OTHER_POOL); an exited worker is never
 * re-enrolled silently: a row for an exited NIK without exit columns is rejected (WORKER_EXITED).
 */
import { maskNik } from '#domain/masking.ts';
import type { Tier } from '#domain/model.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';
import type {
  EnrollmentChange,
  EnrollmentHistoryEntry,
  WorkerEnrollment,
  WorkerRegistry,
} from '#domain/ports/worker-registry.ts';
import type { ReasonCode } from '#domain/reasons.ts';
import { validateWorkerRows, type WorkerRow, workerColumns } from '#shared/intake/worker-rows.ts';
import { parseIntakeKey } from './intake-key.ts';
import type { IntakeOutcome } from './intake-outcome.ts';
import { type ApplyContext, type ApplyResult, type RowIntakeDeps, runRowIntake } from './row-intake.ts';

export type RegisterWorkersDeps = {
  /** Registers the file's pool and gives its tier default (docs/pools-and-areas.md). */
  readonly pools?: NonNullable<RowIntakeDeps['pools']> & Pick<PoolRegistry, 'get'>;
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

/**
 * Applies a group of rows (distinct NIKs: the validator allows one row per NIK) with one read of the
 * current enrollments, one of the owners of the NIKs new to this pool, and one grouped write.
 */
async function applyWorkerRows(
  workers: WorkerRegistry,
  rows: readonly WorkerRow[],
  ctx: ApplyContext,
): Promise<ApplyResult[]> {
  const current = await workers.getEnrollments(
    ctx.pool,
    rows.map((r) => r.nik),
  );
  const unknown = rows.filter((r) => !current.has(r.nik)).map((r) => r.nik);
  const owners = unknown.length === 0 ? new Map() : await workers.findOwners(unknown);
  const results: ApplyResult[] = [];
  const changes: { index: number; entry: EnrollmentHistoryEntry }[] = [];
  for (const [index, row] of rows.entries()) {
    const before = current.get(row.nik);
    const owner = before === undefined ? owners.get(row.nik) : undefined;
    if (owner !== undefined && owner.pool !== ctx.pool) {
      results.push(reject(row, 'WORKER_OTHER_POOL'));
      continue;
    }
    if (before?.exitedOn !== undefined && row.exit === undefined) {
      results.push(reject(row, 'WORKER_EXITED'));
      continue;
    }
    results.push({ ok: true });
    const after = enrollmentOf(row, ctx);
    const change = changeOf(before, after);
    if (change === undefined) continue;
    changes.push({
      index,
      entry: {
        pool: ctx.pool,
        nik: row.nik,
        change,
        ...(before === undefined ? {} : { before }),
        after,
        recordedAt: ctx.recordedAt,
        fileId: ctx.fileId,
        line: row.line,
      },
    });
  }
  const outcomes = await workers.recordChanges(changes.map((c) => c.entry));
  for (const [i, { index }] of changes.entries()) {
    const row = rows[index];
    // Another pool enrolled the NIK between our read and our write.
    if (outcomes[i] === 'CONFLICT' && row !== undefined) results[index] = reject(row, 'WORKER_OTHER_POOL');
  }
  return results;
}

/** The tier default of the pool a workers key names, read once per file (undefined: `paket` required). */
async function tierDefaultFor(deps: RegisterWorkersDeps, key: string): Promise<Tier | undefined> {
  const parsed = parseIntakeKey(key);
  if (!parsed.ok || parsed.value.kind !== 'WORKERS' || deps.pools === undefined) return undefined;
  return (await deps.pools.get(parsed.value.pool))?.tierDefault;
}

export const makeRegisterWorkers =
  (deps: RegisterWorkersDeps) =>
  async (ref: ObjectRef): Promise<IntakeOutcome> => {
    const tierDefault = await tierDefaultFor(deps, ref.key);
    const today = deps.clock.now();
    return runRowIntake<WorkerRow>(deps, ref, {
      kind: 'WORKERS',
      columns: workerColumns(tierDefault),
      validate: (table, pool) =>
        validateWorkerRows(table, tierDefault === undefined ? { pool, today } : { pool, today, tierDefault }),
      applyGroup: (rows, ctx) => applyWorkerRows(deps.workers, rows, ctx),
      apply: async (row, ctx) => {
        const [result] = await applyWorkerRows(deps.workers, [row], ctx);
        return result ?? { ok: true };
      },
    });
  };
