import { confirmedCoverageOf } from '#domain/confirmed-coverage.ts';
import type { CoverageMonth, WorkerCoverage } from '#domain/finance-answers.ts';
import type { PoolCode } from '#domain/model.ts';
import { type FinanceDeps, requirePool } from './deps.ts';

export type { CoverageMonth, WorkerCoverage } from '#domain/finance-answers.ts';

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
