import { randomUUID } from 'node:crypto';
import { walkChunk } from '#domain/allocation-policy.ts';
import { TransientError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { AllocatePoolDeps, AllocateStep } from './allocate-pool-deps.ts';
import { makeCoverCommittedChunk, removeUncommittedEntries } from './cover-committed-chunk.ts';
import { makeStartRun, walkContextOf } from './start-allocation-run.ts';

export type { AllocatePoolDeps, AllocateStep } from './allocate-pool-deps.ts';

/**
 * allocatePool: the monthly allocation and coverage renewal of one pool (docs/design.md#allocation-policy), one chunk per
 * call so a million-worker pool never needs one long invocation.
 *
 * First call for pool P and month M: read credits, runs, enrolments and coverage; order every fundable
 * worker once (the plan, stored in chunks); create the run record (conditional, so a schedule firing
 * twice creates one run). Every call then walks the next chunk from the run's cursor, writes allocations
 * (keyed pool+month+NIK: a worker is funded at most once a month), moves the cursor with a condition on
 * its position, and only then writes the chunk's coverage (cover-committed-chunk.ts: coverage says paid
 * only for what a committed chunk allocated, so it always matches the bill). A crash before the cursor
 * moves redoes the same chunk from the same cursor and plan, which yields the same decisions, so nothing
 * is funded or counted twice; a crash after it leaves the chunk marked uncovered for the next step.
 *
 * Balance is never a stored counter: available = Σ credits (period ≤ M) − Σ allocations of earlier runs.
 */

/**
 * Whether a request for an already-run month asks for a re-run: only a new schedule occurrence or a
 * new operator request does (docs/design.md#every-month-completes; a schedule's re-run also needs new money, checked
 * when the run would start). Continuations, sweeps, requests without a cause and any cause already
 * recorded on a run of the month (a duplicate delivery) never start another run.
 */
export const asksForRerun = (cause: string | undefined, runsOfMonth: readonly RunRecord[]): boolean =>
  cause !== undefined &&
  (cause.startsWith('schedule:') || cause.startsWith('operator:')) &&
  !runsOfMonth.some((r) => r.cause === cause);

/** What every step uses: the deps, and the helpers made from them once per use case. */
type Allocation = {
  readonly deps: AllocatePoolDeps;
  readonly newToken: () => string;
  readonly contextOf: ReturnType<typeof walkContextOf>;
  readonly startRun: ReturnType<typeof makeStartRun>;
  readonly cover: ReturnType<typeof makeCoverCommittedChunk>;
};

/**
 * allocatePool as its steps: allocatePool (below) picks the step a request needs; advance moves a
 * stored run (walkNext walks and commits its next chunk, stall marks it stuck, finish writes the
 * month-end outputs); tidyClosedRuns prepares a new run's start.
 */
export function makeAllocatePool(deps: AllocatePoolDeps) {
  const a: Allocation = {
    deps,
    newToken: deps.newToken ?? randomUUID,
    contextOf: walkContextOf(deps.rates),
    startRun: makeStartRun(deps),
    cover: makeCoverCommittedChunk(deps),
  };
  return (input: { readonly pool: PoolCode; readonly month: Period; readonly cause?: string }) =>
    allocatePool(a, input);
}

/**
 * Moves pool P's allocation of month M one step (docs/design.md#every-month-completes, docs/allocation-liveness.md):
 * continues the pool's open run (an earlier month's first, then asks again for M), writes the outputs
 * of a completed run that lacks them, starts the month's run, or re-runs a completed month when a new
 * schedule occurrence brings new money or an operator asks. Any duplicate request is a no-op.
 * Raises ValidationError (MONTH_ALREADY_CLOSED) for a month before one already run, NotFoundError for
 * an unregistered pool, TransientError when a retry will do.
 */
async function allocatePool(
  a: Allocation,
  input: {
    readonly pool: PoolCode;
    readonly month: Period;
    readonly cause?: string;
  },
): Promise<AllocateStep> {
  const runs = await a.deps.log.listRuns(input.pool);
  const open = runs.find((r) => r.status === 'RUNNING');
  if (open) {
    const step = await advance(a, open);
    // An earlier month's run was left unfinished: it moved first; come back for M.
    if (open.month !== input.month && step.state !== 'STALLED')
      await a.deps.jobs.send({ kind: 'ALLOCATE', ...input });
    return step;
  }
  const ofMonth = runs.filter((r) => r.month === input.month);
  const last = ofMonth.at(-1);
  if (last) {
    if (last.status === 'COMPLETED' && last.outputsAt === undefined) return finish(a, last);
    if (!asksForRerun(input.cause, ofMonth)) return { run: last, state: 'ALREADY_DONE' };
  }
  const rerunNeedsMoney = last?.status === 'COMPLETED' && input.cause?.startsWith('schedule:') === true;
  await tidyClosedRuns(a, runs, input.month);
  const run = await a.startRun(
    input.pool,
    input.month,
    runs,
    input.cause,
    rerunNeedsMoney ? last : undefined,
  );
  if (!run) return { run: last as RunRecord, state: 'ALREADY_DONE' };
  return advance(a, run);
}

/** Writes the month-end outputs of a completed run and records them on the run. */
async function finish(a: Allocation, completed: RunRecord): Promise<AllocateStep> {
  const run = await a.cover(completed);
  await a.deps.writeOutputs?.(run);
  const outputsAt = a.deps.clock.now().toISOString();
  await a.deps.log.markOutputs(run, outputsAt);
  return { run: { ...run, outputsAt }, state: 'COMPLETED' };
}

/** The next step of a stored run, whatever state it is in. */
async function advance(a: Allocation, run: RunRecord): Promise<AllocateStep> {
  if (run.status === 'RUNNING') return run.stalled ? { run, state: 'STALLED' } : walkNext(a, run);
  if (run.status === 'COMPLETED' && run.outputsAt === undefined) return finish(a, run);
  return { run: await a.cover(run), state: 'ALREADY_DONE' };
}

/**
 * Before a new run plans: every closed run's committed chunks have their coverage (a plan must never
 * take a committed worker for unfunded), and no aborted run of the month keeps entries of the chunk
 * it was aborted in. Both idempotent: this finishes an abort or a walker that died half way.
 */
async function tidyClosedRuns(a: Allocation, runs: readonly RunRecord[], month: Period): Promise<void> {
  for (const r of runs) {
    if (r.uncovered !== undefined) await a.cover(r);
    if (r.month === month) await removeUncommittedEntries(a.deps, r);
  }
}

async function walkNext(a: Allocation, stored: RunRecord): Promise<AllocateStep> {
  // The previous chunk's walker may have died between its commit and its coverage.
  const run = await a.cover(stored);
  const index = run.nextChunk;
  const entries = index < run.chunkCount ? await a.deps.plans.readChunk(run.planKey, index) : [];
  const { decisions, cursor } = walkChunk(entries, run.cursor, a.contextOf(run));
  const now = a.deps.clock.now().toISOString();
  const foreign = await writeAllocations(a, run, allocationsOf(run, decisions, now));
  if (foreign.length > 0) return stall(a, run, index, foreign);
  const nextChunk = index + 1;
  const done = nextChunk >= run.chunkCount;
  const commitToken = a.newToken();
  const next = {
    nextChunk,
    cursor,
    status: done ? ('COMPLETED' as const) : ('RUNNING' as const),
    ...(done ? { completedAt: now } : {}),
    updatedAt: now,
    commitToken,
    uncovered: { chunk: index, cursor: run.cursor },
  };
  if ((await a.deps.log.commitChunk(run, index, next)) === 'CONFLICT') {
    const other = await afterConflict(a, run, index, commitToken);
    if (other !== undefined) return other;
  }
  const moved = await a.cover({ ...run, ...next });
  if (done) return finish(a, moved);
  await a.deps.jobs.send({
    kind: 'ALLOCATE',
    pool: run.pool,
    month: run.month,
    cause: `continue:${run.runId}`,
  });
  return { run: moved, state: 'CONTINUING' };
}

/** The allocation entries of a chunk's funded decisions. */
function allocationsOf(
  run: RunRecord,
  decisions: ReturnType<typeof walkChunk>['decisions'],
  now: string,
): AllocationEntry[] {
  return decisions
    .filter((d) => d.funded)
    .map((d) => ({
      pool: run.pool,
      month: run.month,
      nik: d.entry.nik,
      tier: d.entry.tier,
      amount: d.amount,
      priority: d.entry.priority,
      runId: run.runId,
      name: d.entry.name ?? '',
      ...(d.entry.kpj ? { kpj: d.entry.kpj } : {}),
      allocatedAt: now,
    }));
}

/**
 * A chunk's commit met a condition that failed. Undefined when it was our own commit, applied with its
 * answer lost (the SDK retried it): the walk carries on as committed. Otherwise the step the stored run
 * now calls for.
 */
async function afterConflict(
  a: Allocation,
  run: RunRecord,
  index: number,
  commitToken: string,
): Promise<AllocateStep | undefined> {
  const stored = await a.deps.log.getRun(run.pool, run.month, run.seq);
  if (!stored) throw new TransientError(`Run ${run.runId} vanished after a failed commit; retry`);
  if (stored.commitToken === commitToken) return undefined;
  // Another walker moved the run: it sends the continuation (or, crashed, its message comes back;
  // lost, the sweeper resumes the idle run). Re-sending here would multiply walkers at every step.
  // A completed run whose outputs are missing is finished here, since that costs no message.
  // Aborted while this chunk was in flight: its entries are counted in no run's money.
  if (stored.status === 'ABORTED' && stored.nextChunk === index)
    await removeUncommittedEntries(a.deps, stored);
  return stored.status === 'RUNNING' ? { run: stored, state: 'ALREADY_DONE' } : advance(a, stored);
}

/**
 * Writes a chunk's allocations; returns the entries of other runs that stand in the way. An entry of an
 * ABORTED run of the same month is replaced: had its chunk been committed, its coverage would say
 * "funded for M" (tidyClosedRuns writes it before any plan) and the worker would not be in this plan,
 * so it is left over from the chunk the run was aborted in, counted in no run's money (docs/allocation-liveness.md, "Operator abort").
 */
async function writeAllocations(
  a: Allocation,
  run: RunRecord,
  entries: AllocationEntry[],
): Promise<AllocationEntry[]> {
  const { foreign } = await a.deps.log.writeAllocations(entries);
  if (foreign.length === 0) return foreign;
  const others = new Set(foreign.map((f) => f.runId));
  const aborted = (await a.deps.log.listRuns(run.pool))
    .filter((r) => r.month === run.month && r.status === 'ABORTED' && others.has(r.runId))
    .map((r) => r.runId);
  if (aborted.length === 0) return foreign;
  const left = new Set(foreign.filter((f) => aborted.includes(f.runId)).map((f) => f.nik));
  const retry = await a.deps.log.writeAllocations(
    entries.filter((e) => left.has(e.nik)),
    { replacing: aborted },
  );
  return [...foreign.filter((f) => !aborted.includes(f.runId)), ...retry.foreign];
}

/**
 * Allocations of another run already stand for workers of this chunk: only possible when two runs of
 * one month overlapped or the plan is no longer reproducible (e.g. rules changed mid-run). Unless the
 * run has moved on (then this invocation was a slow duplicate), mark it stalled with the cause, for
 * ops (ALLOCATION_STALLED alert) and an operator's abort; retrying cannot help.
 */
async function stall(
  a: Allocation,
  run: RunRecord,
  index: number,
  foreign: readonly AllocationEntry[],
): Promise<AllocateStep> {
  const stored = await a.deps.log.getRun(run.pool, run.month, run.seq);
  if (stored && (stored.status !== 'RUNNING' || stored.nextChunk !== index)) return advance(a, stored);
  const others = [...new Set(foreign.map((f) => f.runId))].sort().join(', ');
  const stalled = {
    at: a.deps.clock.now().toISOString(),
    reason: `chunk ${index + 1}/${run.chunkCount}: ${foreign.length} worker(s) already funded for ${run.month} by run ${others}`,
  };
  await a.deps.log.markStalled(run, stalled);
  return { run: { ...run, stalled }, state: 'STALLED' };
}
