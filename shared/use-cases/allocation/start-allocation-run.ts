import {
  type Candidate,
  fundableIn,
  planRun,
  recurringCredit,
  startCursor,
  type WalkContext,
} from '#domain/allocation-policy.ts';
import { stateBefore } from '#domain/coverage.ts';
import { NotFoundError, TransientError, ValidationError } from '#domain/errors.ts';
import { unseenAfter } from '#domain/late-earmarks.ts';
import type { Period, PoolCode, Rupiah, Tier } from '#domain/model.ts';
import { monthsBetween, previousPeriod } from '#domain/period.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import type { EnrolledWorker } from '#domain/ports/allocation/enrollment-source.ts';
import {
  type CreditTotals,
  isClosed,
  type LateEarmarks,
  type RunRecord,
} from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger, PeriodCredits } from '#domain/ports/credit-ledger.ts';
import { type RateTable, rateFor } from '#domain/rates.ts';
import type { AllocatePoolDeps } from './allocate-pool-deps.ts';

/**
 * The start of a month's allocation run: plan every fundable worker of pool P once, in policy order, store
 * the plan in chunks and create the run record (conditional). Split from allocate-pool.ts, which walks
 * and finishes the runs this creates.
 */

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

/** The walk's context of a run: its month's rates, horizon and recurring credit. */
export const walkContextOf =
  (rates: RateTable) =>
  (run: Pick<RunRecord, 'month' | 'horizonMonths' | 'recurring'>): WalkContext => ({
    month: run.month,
    rateOf: (tier: Tier) => rateFor(rates, tier, run.month),
    horizonMonths: run.horizonMonths,
    recurring: run.recurring,
  });

export function makeStartRun(deps: Omit<AllocatePoolDeps, 'jobs' | 'writeOutputs' | 'newToken'>) {
  const contextOf = walkContextOf(deps.rates);
  /**
   * Plans and creates run seq+1 of pool P for month M. Returns undefined when `unlessNoNewMoneySince`
   * is given and no credit arrived since that run (a repeated schedule has nothing to fund).
   * A lost creation race returns the winner's run, to be continued in this same invocation.
   */
  return async function startRun(
    pool: PoolCode,
    month: Period,
    runs: readonly RunRecord[],
    cause: string | undefined,
    unlessNoNewMoneySince: RunRecord | undefined,
  ): Promise<RunRecord | undefined> {
    // Taken before the ledger is read: a credit recorded before `startedAt` is in this run, one committed
    // while this run plans is left to the next (docs/one-truth.md: which run counted a correction).
    const startedAt = deps.clock.now().toISOString();
    const settings = await deps.pools.get(pool);
    if (!settings) throw new NotFoundError(`Pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
    const done = runs.filter(isClosed);
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
    const payroll = payrollByPeriod(credits);
    const recurring = recurringCredit(payroll, month, previousPeriod);

    const { earmarked, late } = await honouredEarmarks(deps.ledger, pool, month, credits, done);
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
      ...(late.length === 0 ? {} : { lateEarmarks: late }),
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
  };
}

/**
 * The workers a run of M funds first (docs/design.md#earmarks-travel-with-the-money): those named by M's
 * deductions, and by deductions of earlier periods recorded since the last run that could have seen them
 * (late-earmarks.ts). Only periods with a chunk committed since then are read (`lastPayrollAt`), so a
 * month without late files costs one earmarks Query, as before.
 */
async function honouredEarmarks(
  ledger: Pick<CreditLedger, 'earmarks'>,
  pool: PoolCode,
  month: Period,
  credits: readonly PeriodCredits[],
  earlierRuns: readonly RunRecord[],
): Promise<{ earmarked: Set<string>; late: LateEarmarks[] }> {
  const earmarked = new Set((await ledger.earmarks(pool, month)).map((e) => e.nik));
  const late: LateEarmarks[] = [];
  for (const c of credits) {
    if (c.period >= month) continue;
    const after = unseenAfter(c.period, month, earlierRuns);
    if (after !== undefined && c.lastPayrollAt !== undefined && c.lastPayrollAt < after) continue;
    const carried = (await ledger.earmarks(pool, c.period)).filter(
      (e) => after === undefined || e.recordedAt >= after,
    );
    for (const e of carried) earmarked.add(e.nik);
    if (carried.length > 0) late.push({ period: c.period, earmarks: carried.length });
  }
  return { earmarked, late };
}

function toCandidate(
  w: EnrolledWorker,
  record: StoredCoverage | undefined,
  month: Period,
  earmarked: ReadonlySet<string>,
): Candidate | undefined {
  if (!fundableIn(w, month)) return undefined;
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

/**
 * Net payroll credit per period (deductions + corrections), for the admission rule's expected credit C
 * (allocation-policy.ts recurringCredit): only periods with payroll rows count, so a grant-only pool
 * expects nothing. The forecast's headline reads the same map (forecast-pool.ts).
 */
export const payrollByPeriod = (credits: readonly PeriodCredits[]): Map<Period, Rupiah> =>
  new Map(
    credits
      .filter((c) => c.deductionRows > 0 || c.deductions !== 0)
      .map((c) => [c.period, c.deductions + c.corrections]),
  );
