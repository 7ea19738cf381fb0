import type { Period, PoolCode } from '#domain/model.ts';
import { jakartaInstant, periodOf } from '#domain/period.ts';
import type {
  AllocationJobQueue,
  AllocationLog,
  PoolSettingsSource,
  RunRecord,
} from '#domain/ports/allocation.ts';

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

export type SweepDeps = {
  readonly pools: Pick<PoolSettingsSource, 'list'>;
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly jobs: AllocationJobQueue;
  /** When the monthly schedule starts month M's run: day of month, hour and minute, Asia/Jakarta. */
  readonly allocationStart: { readonly day: number; readonly hour: number; readonly minute: number };
  /** A run is idle after this long without a commit (above the allocation function's timeout). */
  readonly idleMs: number;
};

export type SweepFinding = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly what: 'RESUMED_IDLE_RUN' | 'OUTPUTS_MISSING' | 'STARTED_MISSING_RUN' | 'STALLED';
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

export const makeSweepAllocations =
  (deps: SweepDeps) =>
  async (now: Date): Promise<SweepFinding[]> => {
    const cause = `sweep:${now.toISOString()}`;
    const findings: SweepFinding[] = [];
    for (const p of await deps.pools.list()) {
      const found = sweepFindings(p.pool, await deps.log.listRuns(p.pool), now, deps);
      for (const f of found)
        if (f.what !== 'STALLED')
          await deps.jobs.send({ kind: 'ALLOCATE', pool: f.pool, month: f.month, cause });
      findings.push(...found);
    }
    return findings;
  };
