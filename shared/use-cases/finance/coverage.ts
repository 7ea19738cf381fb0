import { type BpjsAnswer, type BpjsCoverage, confirmedCoverageOf } from '#domain/confirmed-coverage.ts';
import type { Period, PoolCode, PriorityClass, Rupiah, Tier } from '#domain/model.ts';
import { type FinanceDeps, requirePool } from './deps.ts';

/** One month of a worker's coverage: allocated (on the bill) and confirmed by BPJS, side by side. */
export type CoverageMonth = {
  readonly month: Period;
  /** On the month's bill (allocated by the pool's run). */
  readonly funded: boolean;
  readonly tier?: Tier;
  readonly amount?: Rupiah;
  readonly priority?: PriorityClass;
  readonly bpjs: BpjsCoverage;
  readonly answer: BpjsAnswer;
  readonly receipted: Rupiah;
};

export type WorkerCoverage = {
  readonly pool: PoolCode;
  readonly nik: string;
  /** The name on the worker's latest allocation, if any. */
  readonly name?: string;
  /** Newest month first: every month the pool ran. */
  readonly months: readonly CoverageMonth[];
};

/**
 * A worker's coverage history (docs/bpjs-loop.md#coverage-says-what-is-confirmed): for every month the
 * pool ran, whether the worker was allocated and whether BPJS confirmed it, from the committed
 * allocation log and the confirmation file that counts for the month. Reads per month: the allocation
 * (GetItem), the month's answer pointer (GetItem) and, when there is one, the worker's line (GetItem).
 */
export async function coverageByNik(
  deps: FinanceDeps,
  q: { pool: PoolCode; nik: string },
): Promise<WorkerCoverage> {
  const confirmations = deps.confirmations;
  if (confirmations === undefined) throw new Error('coverage by worker needs the confirmation store');
  await requirePool(deps, q.pool);
  const months = [...new Set((await deps.allocations.listRuns(q.pool)).map((r) => r.month))].sort().reverse();
  const rows = await Promise.all(
    months.map(async (month) => {
      const [entry, answer] = await Promise.all([
        deps.allocations.allocationOf(q.pool, month, q.nik),
        confirmations.current(q.pool, month),
      ]);
      const line =
        answer === undefined ? undefined : await confirmations.line(q.pool, month, answer.fileId, q.nik);
      const c = confirmedCoverageOf(entry !== undefined, answer !== undefined, line);
      const row: CoverageMonth =
        entry === undefined
          ? { month, funded: false, ...c }
          : { month, funded: true, tier: entry.tier, amount: entry.amount, priority: entry.priority, ...c };
      return { row, name: entry?.name };
    }),
  );
  const name = rows.find((r) => r.name !== undefined)?.name;
  return {
    pool: q.pool,
    nik: q.nik,
    ...(name === undefined ? {} : { name }),
    months: rows.map((r) => r.row),
  };
}
