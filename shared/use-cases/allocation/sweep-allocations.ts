import type { AllocationJob } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { jakartaInstant, periodOf } from '#domain/period.ts';
import type { AllocationJobQueue } from '#domain/ports/allocation/allocation-job-queue.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';
import type { ShareReader } from '#domain/ports/shares.ts';

/**
 * sweepAllocations: the allocation sweeper (docs/design.md#every-month-completes; docs/allocation-liveness.md). Runs on
 * its own schedule (hourly on the 10th-14th, Asia/Jakarta, and daily otherwise) and puts back in motion
 * what no live message carries any more:
 * - a RUNNING run idle longer than `idleMs` (its continuation failed its last receive, or was lost);
 * - a COMPLETED run without outputs (BPJS bill, reconciliation) for longer than `idleMs`;
 * - once the monthly schedule's time has passed by `idleMs`, a registered pool with no run for the
 *   month at all (its fan-out job was lost); never before, so the sweeper never starts a month early.
 * For each, it sends one ALLOCATE job with cause `sweep:<time>`: the job resumes the stored run or starts
 * the month's first run, and is a no-op if someone else got there first. Stalled runs are left to ops
 * (the daily scan raises ALLOCATION_STALLED). A sweep that fires twice or late does the same, harmlessly.
 */

/** Asks for a month's shares to be apportioned again (an APPORTION job on the allocation-jobs queue). */
export type ApportionJob = { readonly kind: 'APPORTION'; readonly pool: PoolCode; readonly month: Period };

/**
 * What the sweep needs to find month shares gone stale (a late file or a correction of an apportioned
 * month, docs/finance-queries.md): the pool's credits per period and its apportioned months' heads.
 */
export type StaleSharesDeps = {
  readonly credits: Pick<CreditLedger, 'creditsByPeriod'>;
  readonly shares: Pick<ShareReader, 'monthHeads'>;
  readonly jobs: { send(job: ApportionJob): Promise<void> };
};

/** A sweep step: the schedule occurrence it judges as of, and the pool code its page starts after. */
export type SweepJob = Extract<AllocationJob, { kind: 'SWEEP' }>;

/** Pools per sweep step: one directory page, a few thousand reads, well inside one invocation. */
export const SWEEP_PAGE_SIZE = 500;

/**
 * Pools of a page swept at once. Each pool is two or three small Queries; one at a time, a page of 500
 * waits on ~1,500 round trips in a row, so 80,000 pools (160 steps) would take most of the hour
 * between sweeps. Ten at a time stays far below DynamoDB's and SQS's per-connection limits.
 */
export const SWEEP_CONCURRENCY = 10;

export type SweepDeps = {
  /** The pool directory, read one page per step in code order. */
  readonly pools: Pick<PoolRegistry, 'page'>;
  /** Where the next page's step goes (the allocation-jobs queue). */
  readonly continuation: { send(job: SweepJob): Promise<void> };
  readonly pageSize?: number;
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly jobs: AllocationJobQueue;
  /** When the monthly schedule starts month M's run: day of month, hour and minute, Asia/Jakarta. */
  readonly allocationStart: { readonly day: number; readonly hour: number; readonly minute: number };
  /** A run is idle after this long without a commit (above the allocation function's timeout). */
  readonly idleMs: number;
  /** When given, apportioned months whose credits changed since are sent to be apportioned again. */
  readonly staleShares?: StaleSharesDeps;
};

export type SweepFinding = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly what: 'RESUMED_IDLE_RUN' | 'OUTPUTS_MISSING' | 'STARTED_MISSING_RUN' | 'STALLED' | 'SHARES_STALE';
};

const idleSince = (r: RunRecord): string =>
  (r.status === 'COMPLETED' ? r.completedAt : r.updatedAt) ?? r.startedAt;

/** What the sweep should do for one pool's runs at instant `now` (pure). */
export function sweepFindings(
  pool: PoolCode,
  runs: readonly RunRecord[],
  now: Date,
  opts: Pick<SweepDeps, 'allocationStart' | 'idleMs'>,
): SweepFinding[] {
  const out: SweepFinding[] = [];
  const idle = (r: RunRecord) => now.getTime() - Date.parse(idleSince(r)) > opts.idleMs;
  for (const r of runs) {
    if (r.status === 'RUNNING' && r.stalled) out.push({ pool, month: r.month, what: 'STALLED' });
    else if (r.status === 'RUNNING' && idle(r)) out.push({ pool, month: r.month, what: 'RESUMED_IDLE_RUN' });
    else if (r.status === 'COMPLETED' && r.outputsAt === undefined && idle(r))
      out.push({ pool, month: r.month, what: 'OUTPUTS_MISSING' });
  }
  const month = periodOf(now);
  const { day, hour, minute } = opts.allocationStart;
  const due =
    jakartaInstant(`${month}-${String(day).padStart(2, '0')}`, hour, minute).getTime() + opts.idleMs;
  const later = runs.some((r) => r.month >= month);
  if (now.getTime() >= due && !later && !runs.some((r) => r.status === 'RUNNING'))
    out.push({ pool, month, what: 'STARTED_MISSING_RUN' });
  return out;
}

/**
 * One sweep step over one page of the pool directory (docs/allocation-liveness.md): the findings of
 * each pool on it, with their jobs sent; when more pools follow, a SWEEP continuation for the same
 * instant `now` starting after the page's last code, so 80,000 pools are 160 short steps, never one
 * long invocation. A step delivered twice sends its jobs twice, which the jobs shrug off (each
 * carries the same `sweep:` cause). Raises TransientError when a queue or table is unavailable.
 */
export const makeSweepAllocations =
  (deps: SweepDeps) =>
  async (now: Date, after?: PoolCode): Promise<SweepFinding[]> => {
    const cause = `sweep:${now.toISOString()}`;
    const page = await deps.pools.page({
      limit: deps.pageSize ?? SWEEP_PAGE_SIZE,
      ...(after === undefined ? {} : { after }),
    });
    const sweepPool = async (pool: PoolCode): Promise<SweepFinding[]> => {
      const { staleShares } = deps;
      // The pool's runs and its stale shares are independent reads: in flight together.
      const [runs, stale] = await Promise.all([
        deps.log.listRuns(pool),
        staleShares === undefined ? [] : staleMonths(staleShares, pool),
      ]);
      const found = sweepFindings(pool, runs, now, deps);
      for (const f of found)
        if (f.what !== 'STALLED')
          await deps.jobs.send({ kind: 'ALLOCATE', pool: f.pool, month: f.month, cause });
      for (const month of stale) await staleShares?.jobs.send({ kind: 'APPORTION', pool, month });
      return [...found, ...stale.map((month) => ({ pool, month, what: 'SHARES_STALE' as const }))];
    };
    // Pools are independent: a few at a time, so a page's reads overlap (findings stay in code order).
    const findings: SweepFinding[] = [];
    const codes = page.pools.map((p) => p.pool);
    for (let i = 0; i < codes.length; i += SWEEP_CONCURRENCY)
      for (const found of await Promise.all(codes.slice(i, i + SWEEP_CONCURRENCY).map(sweepPool)))
        findings.push(...found);
    if (page.next !== undefined)
      await deps.continuation.send({ kind: 'SWEEP', scheduledTime: now.toISOString(), after: page.next });
    return findings;
  };

/**
 * Apportioned months of a pool whose payroll credits changed since their shares were computed: the
 * count, net or newest recording time of the period's committed chunks differs from the stored basis.
 * One Query of the pool's credit summaries and one of its month heads.
 */
export async function staleMonths(deps: Omit<StaleSharesDeps, 'jobs'>, pool: PoolCode): Promise<Period[]> {
  const [heads, credits] = await Promise.all([
    deps.shares.monthHeads(pool),
    deps.credits.creditsByPeriod(pool),
  ]);
  const byPeriod = new Map(credits.map((c) => [c.period, c]));
  return heads
    .filter((h) => {
      const c = byPeriod.get(h.period);
      const chunks = c?.payrollChunks ?? 0;
      const net = (c?.deductions ?? 0) + (c?.corrections ?? 0);
      return (
        chunks !== h.basis.chunks ||
        net !== h.basis.netPayroll ||
        (c?.lastPayrollAt ?? '') !== h.basis.lastRecordedAt
      );
    })
    .map((h) => h.period);
}
