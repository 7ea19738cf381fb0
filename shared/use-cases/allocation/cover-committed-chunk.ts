import { walkChunk } from '#domain/allocation-policy.ts';
import { sameState, stateOf } from '#domain/coverage.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore, StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { RateTable } from '#domain/rates.ts';
import { walkContextOf } from './start-allocation-run.ts';

/**
 * Coverage = bill (docs/design.md#rules-that-always-hold, docs/allocation-liveness.md "Coverage = bill"):
 * a worker-month counts as paid in coverage only once the chunk that allocated it is committed, so an
 * abort, a crash or a re-run can never leave a worker paid in coverage and missing from the bill.
 *
 * A chunk commit records the chunk as `uncovered` (its index and starting cursor). Its coverage is then
 * written by the walker that committed it, or, if that walker died, by whoever touches the run next: the
 * next chunk's walker, the step that writes the month-end outputs, an operator's abort, or the start of
 * the pool's next run. The decisions are derived again from the stored plan and cursor (the walk is
 * pure), and the coverage puts are fenced by month+seq, so writing them twice is harmless.
 */
export function makeCoverCommittedChunk(deps: {
  readonly log: Pick<AllocationLog, 'markCovered'>;
  readonly coverage: CoverageStore;
  readonly plans: Pick<PlanStore, 'readChunk'>;
  readonly rates: RateTable;
}) {
  const contextOf = walkContextOf(deps.rates);
  /** Writes the coverage of the run's uncovered chunk, if any; returns the run without the marker. */
  return async function coverCommittedChunk(run: RunRecord): Promise<RunRecord> {
    const pending = run.uncovered;
    if (pending === undefined) return run;
    // A run with an empty plan commits one empty step: nothing to cover.
    const entries =
      pending.chunk < run.chunkCount ? await deps.plans.readChunk(run.planKey, pending.chunk) : [];
    const { decisions } = walkChunk(entries, pending.cursor, contextOf(run));
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
    await deps.log.markCovered(run, pending.chunk);
    const { uncovered: _, ...covered } = run;
    return covered;
  };
}

/**
 * Removes what an ABORTED run wrote for the chunk it was aborted in: those entries were never committed,
 * so no run's money counts them and no coverage says paid for them. Conditional on the run id (another
 * run's entries stay); idempotent, so an abort that died half way is finished by the next run's start.
 * Returns how many entries were removed.
 */
export async function removeUncommittedEntries(
  deps: {
    readonly log: Pick<AllocationLog, 'removeAllocations'>;
    readonly plans: Pick<PlanStore, 'readChunk'>;
  },
  run: RunRecord,
): Promise<number> {
  if (run.status !== 'ABORTED' || run.nextChunk >= run.chunkCount) return 0;
  const open = await deps.plans.readChunk(run.planKey, run.nextChunk);
  return deps.log.removeAllocations(
    run.pool,
    run.month,
    run.runId,
    open.map((e) => e.nik),
  );
}
