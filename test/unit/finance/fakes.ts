import type { AllocationEntry, RunRecord } from '#domain/ports/allocation.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';
import type { AllocationReader, CreditSummary, DeductionRow, LedgerReader } from '#domain/ports/finance.ts';
import type { FinanceDeps } from '#shared/use-cases/finance/index.ts';

/** Finance ports over plain arrays, for use-case and handler tests. */
export function fakeFinance(now = new Date('2026-03-20T00:00:00Z')) {
  const runs: RunRecord[] = [];
  const entries: AllocationEntry[] = [];
  const summaries: (CreditSummary & { pool: string })[] = [];
  const rows: DeductionRow[] = [];
  const pools = new Set<string>(['15.04']);
  const failing = { error: undefined as Error | undefined };
  const guard = () => {
    if (failing.error) throw failing.error;
  };
  const allocations: AllocationReader = {
    listRuns: async (pool) => {
      guard();
      return runs.filter((r) => r.pool === pool);
    },
    async *allocationsFrom(pool, month, opts = {}) {
      guard();
      const all = entries
        .filter(
          (e) => e.pool === pool && e.month === month && (opts.after === undefined || e.nik > opts.after),
        )
        .sort((a, b) => (a.nik < b.nik ? -1 : 1));
      const size = opts.pageSize ?? 1000;
      for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
    },
    allocationOf: async (pool, month, nik) =>
      entries.find((e) => e.pool === pool && e.month === month && e.nik === nik),
  };
  const ledger: LedgerReader = {
    creditSummaries: async (pool, period) =>
      summaries.filter((s) => s.pool === pool && (period === undefined || s.period === period)),
    async *deductionRows(pool, period, agency, nip) {
      yield rows.filter(
        (r) =>
          r.pool === pool &&
          r.period === period &&
          r.agency === agency &&
          (nip === undefined || r.nip === nip),
      );
    },
    donorMemberships: async (nip) => [
      ...new Map(
        rows
          .filter((r) => r.nip === nip)
          .map((r) => [`${r.pool}#${r.agency}`, { pool: r.pool, agency: r.agency }]),
      ).values(),
    ],
  };
  const deps: FinanceDeps = {
    allocations,
    ledger,
    credits: {
      creditsByPeriod: async (pool): Promise<PeriodCredits[]> => {
        const byPeriod = new Map<string, PeriodCredits>();
        for (const s of summaries.filter((x) => x.pool === pool)) {
          const c = byPeriod.get(s.period) ?? {
            period: s.period,
            deductions: 0,
            corrections: 0,
            grants: 0,
            deductionRows: 0,
          };
          byPeriod.set(s.period, {
            ...c,
            deductions: c.deductions + (s.kind === 'DEDUCTION' ? s.total : 0),
            corrections: c.corrections + (s.kind === 'CORRECTION' ? s.total : 0),
            grants: c.grants + (s.kind === 'GRANT' ? s.amount : 0),
          });
        }
        return [...byPeriod.values()];
      },
      earmarks: async () => [],
    },
    pools: { poolExists: async (pool) => pools.has(pool) },
    clock: { now: () => now },
  };
  return { deps, runs, entries, summaries, rows, pools, failing };
}
