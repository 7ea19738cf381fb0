import { randomUUID } from 'node:crypto';
import {
  type Candidate,
  planRun,
  recurringCredit,
  startCursor,
  type WalkContext,
  walkChunk,
} from '#domain/allocation-policy.ts';
import { sameState, stateBefore, stateOf } from '#domain/coverage.ts';
import { NotFoundError, TransientError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode, Rupiah, Tier } from '#domain/model.ts';
import { monthsBetween, previousPeriod } from '#domain/period.ts';
import type {
  AllocationEntry,
  AllocationJobQueue,
  AllocationLog,
  CoverageStore,
  CreditTotals,
  EnrolledWorker,
  EnrollmentSource,
  PlanStore,
  PoolSettingsSource,
  RunRecord,
  StoredCoverage,
} from '#domain/ports/allocation.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger, PeriodCredits } from '#domain/ports/credit-ledger.ts';
import { type RateTable, rateFor } from '#domain/rates.ts';

/**
 * allocatePool: the monthly allocation and coverage renewal of one pool (DESIGN.md §5), one chunk per
 * call so a million-worker pool never needs one long invocation.
 *
 * First call for pool P and month M: read credits, runs, enrolments and coverage; order every fundable
 * worker once (the plan, stored in chunks); create the run record (conditional, so a schedule firing
 * twice creates one run). Every call then walks the next chunk from the run's cursor, writes allocations
 * (keyed pool+month+NIK: a worker is funded at most once a month) and coverage, and moves the cursor
 * with a condition on its position. A crash before the cursor moves redoes the same chunk from the same
 * cursor and plan, which yields the same decisions, so nothing is funded or counted twice.
 *
 * Balance is never a stored counter: available = Σ credits (period ≤ M) − Σ allocations of earlier runs.
 */

export type AllocatePoolDeps = {
  readonly ledger: Pick<CreditLedger, 'creditsByPeriod' | 'earmarks'>;
  readonly log: AllocationLog;
  readonly coverage: CoverageStore;
  readonly plans: PlanStore;
  readonly workers: EnrollmentSource;
  readonly pools: Pick<PoolSettingsSource, 'get'>;
  readonly jobs: AllocationJobQueue;
  readonly clock: Clock;
  readonly rates: RateTable;
  /** Workers per invocation. */
  readonly chunkSize: number;
  /**
   * Writes the month-end outputs of a completed run (bill, reconciliation, the month's donor and agency
   * shares: docs/finance-queries.md); must be idempotent. Runs again after a re-run of the month.
   */
  readonly writeOutputs?: (run: RunRecord) => Promise<void>;
  /** A token unique to one commit attempt (default: a random UUID). */
  readonly newToken?: () => string;
};

/**
 * What one step did. COMPLETED: this step wrote the month-end outputs of a completed run (the month is
 * done). CONTINUING: a chunk was committed and the continuation sent. ALREADY_DONE: nothing to do (a
 * duplicate request, or another invocation did this step). STALLED: the run cannot continue on its own.
 */
export type AllocateStep = {
  readonly run: RunRecord;
  readonly state: 'CONTINUING' | 'COMPLETED' | 'ALREADY_DONE' | 'STALLED';
};

export const sumCredits = (credits: readonly PeriodCredits[], upTo: Period): CreditTotals =>
  credits
    .filter((c) => c.period <= upTo)
    .reduce(
      (t, c) => ({
        deductions: t.deductions + c.deductions,
        corrections: t.corrections + c.corrections,
        grants: t.grants + c.grants,
      }),
      { deductions: 0, corrections: 0, grants: 0 },
    );

export const creditTotal = (t: CreditTotals): Rupiah => t.deductions + t.corrections + t.grants;

/**
 * Whether a request for an already-run month asks for a re-run: only a new schedule occurrence or a
 * new operator request does (DESIGN.md §4 rule 6; a schedule's re-run also needs new money, checked
 * when the run would start). Continuations, sweeps, requests without a cause and any cause already
 * recorded on a run of the month (a duplicate delivery) never start another run.
 */
export const asksForRerun = (cause: string | undefined, runsOfMonth: readonly RunRecord[]): boolean =>
  cause !== undefined &&
  (cause.startsWith('schedule:') || cause.startsWith('operator:')) &&
  !runsOfMonth.some((r) => r.cause === cause);

export function makeAllocatePool(deps: AllocatePoolDeps) {
  const newToken = deps.newToken ?? randomUUID;
  const rateOf = (month: Period) => (tier: Tier) => rateFor(deps.rates, tier, month);
  const contextOf = (run: Pick<RunRecord, 'month' | 'horizonMonths' | 'recurring'>): WalkContext => ({
    month: run.month,
    rateOf: rateOf(run.month),
    horizonMonths: run.horizonMonths,
    recurring: run.recurring,
  });

  /**
   * Plans and creates run seq+1 of pool P for month M. Returns undefined when `unlessNoNewMoneySince`
   * is given and no credit arrived since that run (a repeated schedule has nothing to fund).
   * A lost creation race returns the winner's run, to be continued in this same invocation.
   */
  async function startRun(
    pool: PoolCode,
    month: Period,
    runs: readonly RunRecord[],
    cause: string | undefined,
    unlessNoNewMoneySince: RunRecord | undefined,
  ): Promise<RunRecord | undefined> {
    const settings = await deps.pools.get(pool);
    if (!settings) throw new NotFoundError(`Pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
    const done = runs.filter((r) => r.status === 'COMPLETED');
    const last = done.at(-1);
    if (last && last.month > month) {
      throw new ValidationError(
        `Pool ${pool} already ran ${last.month}; ${month} can no longer be allocated (months run in order)`,
        { code: 'MONTH_ALREADY_CLOSED' },
      );
    }
    const credits = await deps.ledger.creditsByPeriod(pool);
    const totals = sumCredits(credits, month);
    if (unlessNoNewMoneySince && creditTotal(totals) <= creditTotal(unlessNoNewMoneySince.credits)) {
      return undefined;
    }
    const allocatedBefore = done.reduce((s, r) => s + r.cursor.allocated, 0);
    const available = creditTotal(totals) - allocatedBefore;
    const payroll = new Map(
      credits
        .filter((c) => c.deductionRows > 0 || c.deductions !== 0)
        .map((c) => [c.period, c.deductions + c.corrections]),
    );
    const recurring = recurringCredit(payroll, month, previousPeriod);

    const earmarked = new Set((await deps.ledger.earmarks(pool, month)).map((e) => e.nik));
    const coverage = new Map<string, StoredCoverage>();
    for await (const page of deps.coverage.list(pool)) for (const c of page) coverage.set(c.nik, c);
    const candidates: Candidate[] = [];
    const matched = new Set<string>();
    for await (const page of deps.workers.listEnrollments(pool)) {
      for (const w of page) {
        if (earmarked.has(w.nik)) matched.add(w.nik);
        const candidate = toCandidate(w, coverage.get(w.nik), month, earmarked);
        if (candidate) candidates.push(candidate);
      }
    }
    const plan = planRun(candidates);
    const seq = (runs.filter((r) => r.month === month).at(-1)?.seq ?? 0) + 1;
    const runId = `${pool}/${month}/${String(seq).padStart(3, '0')}`;
    const chunks = [];
    for (let i = 0; i < plan.entries.length; i += deps.chunkSize)
      chunks.push(plan.entries.slice(i, i + deps.chunkSize));
    const planKey = await deps.plans.write(pool, month, runId, chunks);
    const startedAt = deps.clock.now().toISOString();
    const run: RunRecord = {
      pool,
      month,
      seq,
      runId,
      status: 'RUNNING',
      startedAt,
      updatedAt: startedAt,
      ...(cause === undefined ? {} : { cause }),
      planKey,
      chunkCount: chunks.length,
      nextChunk: 0,
      credits: totals,
      allocatedBefore,
      previousClosing: last ? last.available - last.cursor.allocated : 0,
      available,
      horizonMonths: settings.horizonMonths,
      recurring,
      workersPlanned: plan.entries.length,
      fundedEarlier: plan.fundedEarlier.length,
      earmarksUnmatched: earmarked.size - matched.size,
      cursor: startCursor(
        available,
        plan,
        contextOf({ month, horizonMonths: settings.horizonMonths, recurring }),
      ),
    };
    if ((await deps.log.createRun(run)) === 'CREATED') return run;
    // Another invocation created this run first (or ours did and its answer was lost): continue the
    // stored run, whose plan is the one every walker reads.
    const winner = await deps.log.getRun(pool, month, seq);
    if (!winner) throw new TransientError(`Run ${runId} exists but could not be read; retry`);
    return winner;
  }

  /** Writes the month-end outputs of a completed run and records them on the run. */
  async function finish(run: RunRecord): Promise<AllocateStep> {
    await deps.writeOutputs?.(run);
    const outputsAt = deps.clock.now().toISOString();
    await deps.log.markOutputs(run, outputsAt);
    return { run: { ...run, outputsAt }, state: 'COMPLETED' };
  }

  /** The next step of a stored run, whatever state it is in. */
  async function advance(run: RunRecord): Promise<AllocateStep> {
    if (run.status === 'RUNNING') return run.stalled ? { run, state: 'STALLED' } : walkNext(run);
    if (run.status === 'COMPLETED' && run.outputsAt === undefined) return finish(run);
    return { run, state: 'ALREADY_DONE' };
  }

  async function walkNext(run: RunRecord): Promise<AllocateStep> {
    const index = run.nextChunk;
    const entries = index < run.chunkCount ? await deps.plans.readChunk(run.planKey, index) : [];
    const ctx = contextOf(run);
    const { decisions, cursor } = walkChunk(entries, run.cursor, ctx);
    const now = deps.clock.now().toISOString();
    const allocations: AllocationEntry[] = decisions
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
    const { foreign } = await deps.log.writeAllocations(allocations);
    if (foreign.length > 0) return stall(run, index, foreign);
    const changed: StoredCoverage[] = decisions
      // Waitlisted workers who stay waitlisted cost no write.
      .filter((d) => d.funded || !sameState(d.after, d.entry.before))
      .map((d) => ({
        ...stateOf(d.after),
        nik: d.entry.nik,
        tier: d.entry.tier,
        month: run.month,
        prior: stateOf(d.entry.before),
      }));
    await deps.coverage.put(run.pool, changed, { month: run.month, seq: run.seq });
    const nextChunk = index + 1;
    const done = nextChunk >= run.chunkCount;
    const commitToken = newToken();
    const next = {
      nextChunk,
      cursor,
      status: done ? ('COMPLETED' as const) : ('RUNNING' as const),
      ...(done ? { completedAt: now } : {}),
      updatedAt: now,
      commitToken,
    };
    if ((await deps.log.commitChunk(run, index, next)) === 'CONFLICT') {
      const stored = await deps.log.getRun(run.pool, run.month, run.seq);
      if (!stored) throw new TransientError(`Run ${run.runId} vanished after a failed commit; retry`);
      // Another walker moved the run: it sends the continuation (or, crashed, its message comes back;
      // lost, the sweeper resumes the idle run). Re-sending here would multiply walkers at every step.
      // A completed run whose outputs are missing is finished here, since that costs no message.
      if (stored.commitToken !== commitToken)
        return stored.status === 'RUNNING' ? { run: stored, state: 'ALREADY_DONE' } : advance(stored);
      // Our own commit was applied and its answer lost (the SDK retried it): carry on as committed.
    }
    const moved: RunRecord = { ...run, ...next };
    if (done) return finish(moved);
    await deps.jobs.send({
      kind: 'ALLOCATE',
      pool: run.pool,
      month: run.month,
      cause: `continue:${run.runId}`,
    });
    return { run: moved, state: 'CONTINUING' };
  }

  /**
   * Allocations of another run already stand for workers of this chunk: only possible when two runs of
   * one month overlapped or the plan is no longer reproducible (e.g. rules changed mid-run). Unless the
   * run has moved on (then this invocation was a slow duplicate), mark it stalled with the cause, for
   * ops (ALLOCATION_STALLED alert) and an operator's abort; retrying cannot help.
   */
  async function stall(
    run: RunRecord,
    index: number,
    foreign: readonly AllocationEntry[],
  ): Promise<AllocateStep> {
    const stored = await deps.log.getRun(run.pool, run.month, run.seq);
    if (stored && (stored.status !== 'RUNNING' || stored.nextChunk !== index)) return advance(stored);
    const others = [...new Set(foreign.map((f) => f.runId))].sort().join(', ');
    const stalled = {
      at: deps.clock.now().toISOString(),
      reason: `chunk ${index + 1}/${run.chunkCount}: ${foreign.length} worker(s) already funded for ${run.month} by run ${others}`,
    };
    await deps.log.markStalled(run, stalled);
    return { run: { ...run, stalled }, state: 'STALLED' };
  }

  /**
   * Moves pool P's allocation of month M one step (DESIGN.md §4 rule 6, docs/allocation-liveness.md):
   * continues the pool's open run (an earlier month's first, then asks again for M), writes the outputs
   * of a completed run that lacks them, starts the month's run, or re-runs a completed month when a new
   * schedule occurrence brings new money or an operator asks. Any duplicate request is a no-op.
   * Raises ValidationError (MONTH_ALREADY_CLOSED) for a month before one already run, NotFoundError for
   * an unregistered pool, TransientError when a retry will do.
   */
  return async function allocatePool(input: {
    readonly pool: PoolCode;
    readonly month: Period;
    readonly cause?: string;
  }): Promise<AllocateStep> {
    const runs = await deps.log.listRuns(input.pool);
    const open = runs.find((r) => r.status === 'RUNNING');
    if (open) {
      const step = await advance(open);
      // An earlier month's run was left unfinished: it moved first; come back for M.
      if (open.month !== input.month && step.state !== 'STALLED')
        await deps.jobs.send({ kind: 'ALLOCATE', ...input });
      return step;
    }
    const ofMonth = runs.filter((r) => r.month === input.month);
    const last = ofMonth.at(-1);
    if (last) {
      if (last.status === 'COMPLETED' && last.outputsAt === undefined) return finish(last);
      if (!asksForRerun(input.cause, ofMonth)) return { run: last, state: 'ALREADY_DONE' };
    }
    const rerunNeedsMoney = last?.status === 'COMPLETED' && input.cause?.startsWith('schedule:') === true;
    const run = await startRun(
      input.pool,
      input.month,
      runs,
      input.cause,
      rerunNeedsMoney ? last : undefined,
    );
    if (!run) return { run: last as RunRecord, state: 'ALREADY_DONE' };
    return advance(run);
  };
}

function toCandidate(
  w: EnrolledWorker,
  record: StoredCoverage | undefined,
  month: Period,
  earmarked: ReadonlySet<string>,
): Candidate | undefined {
  if (w.exitedOn && w.exitedOn.slice(0, 7) <= month) return undefined;
  if (w.enrolledOn.slice(0, 7) > month) return undefined;
  return {
    nik: w.nik,
    tier: w.tier,
    enrolledOn: w.enrolledOn,
    name: w.name,
    ...(w.kpj ? { kpj: w.kpj } : {}),
    before: stateBefore(record, month, monthsBetween),
    earmarked: earmarked.has(w.nik),
    fundedEarlier: record?.month === month && record.paidThrough === month,
  };
}
