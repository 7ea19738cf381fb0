import {
  type Candidate,
  planRun,
  recurringCredit,
  startCursor,
  type WalkContext,
  walkChunk,
} from '#domain/allocation-policy.ts';
import { sameState, stateBefore, stateOf } from '#domain/coverage.ts';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '#domain/errors.ts';
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
  /** Called once a run completes (bill, reconciliation, metrics). */
  readonly onCompleted?: (run: RunRecord) => Promise<void>;
};

export type AllocateStep = {
  readonly run: RunRecord;
  readonly state: 'CONTINUING' | 'COMPLETED' | 'ALREADY_DONE';
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

export function makeAllocatePool(deps: AllocatePoolDeps) {
  const rateOf = (month: Period) => (tier: Tier) => rateFor(deps.rates, tier, month);
  const contextOf = (run: Pick<RunRecord, 'month' | 'horizonMonths' | 'recurring'>): WalkContext => ({
    month: run.month,
    rateOf: rateOf(run.month),
    horizonMonths: run.horizonMonths,
    recurring: run.recurring,
  });

  async function startRun(pool: PoolCode, month: Period, runs: readonly RunRecord[]): Promise<RunRecord> {
    const settings = await deps.pools.get(pool);
    if (!settings) throw new NotFoundError(`Pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
    const completed = runs.filter((r) => r.status === 'COMPLETED');
    const last = completed.at(-1);
    if (last && last.month > month) {
      throw new ValidationError(
        `Pool ${pool} already ran ${last.month}; ${month} can no longer be allocated (months run in order)`,
        { code: 'MONTH_ALREADY_CLOSED' },
      );
    }
    const credits = await deps.ledger.creditsByPeriod(pool);
    const totals = sumCredits(credits, month);
    const allocatedBefore = completed.reduce((s, r) => s + r.cursor.allocated, 0);
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
    const run: RunRecord = {
      pool,
      month,
      seq,
      runId,
      status: 'RUNNING',
      startedAt: deps.clock.now().toISOString(),
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
    if ((await deps.log.createRun(run)) === 'EXISTS') {
      // Another invocation started the same run first: continue with its record and plan.
      throw new TransientError(`Run ${runId} was started concurrently; retry to continue it`);
    }
    return run;
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
    if (foreign.length > 0) {
      // Only possible if two runs of one month overlapped: stop before anything is counted twice.
      throw new ConflictError(`Run ${run.runId}: ${foreign.length} workers already funded by another run`);
    }
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
    await deps.coverage.put(run.pool, changed);
    const nextChunk = index + 1;
    const done = nextChunk >= run.chunkCount;
    const next = {
      nextChunk,
      cursor,
      status: done ? ('COMPLETED' as const) : ('RUNNING' as const),
      ...(done ? { completedAt: now } : {}),
    };
    const committed = await deps.log.commitChunk(run, index, next);
    const moved: RunRecord = { ...run, ...next };
    if (committed === 'CONFLICT') return { run: moved, state: 'ALREADY_DONE' };
    if (done) {
      await deps.onCompleted?.(moved);
      return { run: moved, state: 'COMPLETED' };
    }
    await deps.jobs.send({ kind: 'ALLOCATE', pool: run.pool, month: run.month });
    return { run: moved, state: 'CONTINUING' };
  }

  /** Runs the next step of pool P's run for month M: starts it, resumes it, or re-runs a completed month. */
  return async function allocatePool(input: { pool: PoolCode; month: Period }): Promise<AllocateStep> {
    const runs = await deps.log.listRuns(input.pool);
    const open = runs.find((r) => r.status === 'RUNNING');
    if (open && open.month !== input.month) {
      // An earlier month's run was left unfinished (a lost continuation): finish it first, then come back.
      const step = await walkNext(open);
      await deps.jobs.send({ kind: 'ALLOCATE', ...input });
      return step;
    }
    return walkNext(open ?? (await startRun(input.pool, input.month, runs)));
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
