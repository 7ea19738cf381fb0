import type { AgencyLine, DonorLine, MonthHead } from '#domain/month-shares.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';
import type { AllocationReader, CreditSummary, DeductionRow, LedgerReader } from '#domain/ports/finance.ts';
import type { ShareReader, ShareStore } from '#domain/ports/shares.ts';
import type { FinanceDeps } from '#shared/use-cases/finance/index.ts';

/** Finance ports over plain arrays, for use-case and handler tests. */
export function fakeFinance(now = new Date('2026-03-20T00:00:00Z')) {
  const runs: RunRecord[] = [];
  const entries: AllocationEntry[] = [];
  const summaries: (CreditSummary & { pool: string })[] = [];
  const rows: DeductionRow[] = [];
  const pools = new Set<string>(['15.04']);
  /** `recordedAt` defaults to the epoch: named before any run. */
  const earmarks: {
    pool: string;
    period: string;
    nip: string;
    nik: string;
    agency: string;
    recordedAt?: string;
  }[] = [];
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
    // firstPeriod as the ledger writes it: the period of the first row ingested for the pair.
    donorMemberships: async (nip) => [
      ...new Map(
        rows
          .filter((r) => r.nip === nip)
          .reverse()
          .map((r) => [`${r.pool}#${r.agency}`, { pool: r.pool, agency: r.agency, firstPeriod: r.period }]),
      ).values(),
    ],
    committedChunks: async (pool, period, agency, chunkIds) =>
      new Set(
        chunkIds.filter((id) =>
          summaries.some(
            (s) =>
              s.pool === pool &&
              s.period === period &&
              s.kind !== 'GRANT' &&
              s.agency === agency &&
              s.chunkId === id,
          ),
        ),
      ),
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
      earmarks: async (pool, period) =>
        earmarks
          .filter((e) => e.pool === pool && e.period === period)
          .map(({ nip, nik, agency, recordedAt }) => ({
            nip,
            nik,
            agency,
            recordedAt: recordedAt ?? new Date(0).toISOString(),
          })),
    },
    pools: { poolExists: async (pool) => pools.has(pool) },
    clock: { now: () => now },
  };
  return { deps, runs, entries, summaries, rows, pools, failing, earmarks };
}

/** Stored month shares in memory: the ShareStore and ShareReader ports over maps. */
export function inMemoryShares() {
  const donors = new Map<string, DonorLine>();
  const agencies = new Map<string, AgencyLine>();
  const heads = new Map<string, MonthHead>();
  const store: ShareStore & ShareReader = {
    putMonth: async (m) => {
      for (const d of m.donors) donors.set(`${d.nip}|${d.pool}|${d.period}`, d);
      for (const a of m.agencies) agencies.set(`${a.pool}|${a.period}|${a.agency}`, a);
      heads.set(`${m.head.pool}|${m.head.period}`, m.head);
    },
    donorLines: async (nip) =>
      [...donors.entries()]
        .filter(([k]) => k.startsWith(`${nip}|`))
        .map(([, v]) => v)
        .sort((a, b) => (`${a.pool}#${a.period}` < `${b.pool}#${b.period}` ? -1 : 1)),
    agencyLine: async (pool, period, agency) => agencies.get(`${pool}|${period}|${agency}`),
    monthHeads: async (pool) =>
      [...heads.values()].filter((h) => h.pool === pool).sort((a, b) => (a.period < b.period ? -1 : 1)),
  };
  return { store, donors, agencies, heads };
}
