import { describe, expect, it } from 'vitest';
import { apportionMonth, MonthTally } from '#domain/month-shares.ts';
import { defaultPoolRecord } from '#domain/pools.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';
import {
  type ApportionJob,
  makeSweepAllocations,
  staleMonths,
} from '#shared/use-cases/allocation/sweep-allocations.ts';
import { InMemoryJobs } from '#test/support/in-memory-allocation.ts';
import { inMemoryShares } from './fakes.ts';

const credit = (period: string, net: number, chunks: number, last: string): PeriodCredits => ({
  period,
  deductions: net,
  corrections: 0,
  grants: 0,
  deductionRows: chunks,
  payrollChunks: chunks,
  lastPayrollAt: last,
});

async function storedMonth(
  shares: ReturnType<typeof inMemoryShares>,
  period: string,
  net: number,
  last: string,
) {
  const tally = new MonthTally();
  tally.add({ nip: '198609262015051001', agency: 'DINKES', kind: 'DEDUCTION', amount: net });
  await shares.store.putMonth(
    apportionMonth({
      pool: '15.04',
      period,
      allocated: 16_800,
      funded: 1,
      tally,
      earmarks: [],
      fundedNiks: new Map(),
      basis: { chunks: 1, netPayroll: net, lastRecordedAt: last, runs: 1 },
      computedAt: `${period}-10T00:00:00.000Z`,
    }),
  );
}

describe('stale month shares', () => {
  it('finds the apportioned months whose payroll credits changed since, and the sweep asks for them again', async () => {
    const shares = inMemoryShares();
    await storedMonth(shares, '2026-01', 50_000, '2026-01-02T00:00:00.000Z');
    await storedMonth(shares, '2026-02', 60_000, '2026-02-02T00:00:00.000Z');
    const credits = [
      credit('2026-01', 50_000, 1, '2026-01-02T00:00:00.000Z'),
      // A correction of February after its run: one more chunk, a new net.
      credit('2026-02', 55_000, 2, '2026-02-20T00:00:00.000Z'),
    ];
    const deps = { credits: { creditsByPeriod: async () => credits }, shares: shares.store };
    expect(await staleMonths(deps, '15.04')).toEqual(['2026-02']);

    const sent: ApportionJob[] = [];
    const sweep = makeSweepAllocations({
      pools: { page: async () => ({ pools: [defaultPoolRecord('15.04', 'PAYROLL', new Date(0))] }) },
      continuation: { send: async () => {} },
      log: { listRuns: async () => [] },
      jobs: new InMemoryJobs(),
      allocationStart: { day: 10, hour: 6, minute: 0 },
      idleMs: 20 * 60_000,
      staleShares: { ...deps, jobs: { send: async (j) => void sent.push(j) } },
    });
    const findings = await sweep(new Date('2026-02-21T00:00:00Z'));
    expect(findings).toContainEqual({ pool: '15.04', month: '2026-02', what: 'SHARES_STALE' });
    expect(sent).toEqual([{ kind: 'APPORTION', pool: '15.04', month: '2026-02' }]);
  });

  it('sees a zero-sum correction (same net, one more chunk) as a change', async () => {
    const shares = inMemoryShares();
    await storedMonth(shares, '2026-01', 50_000, '2026-01-02T00:00:00.000Z');
    const credits = [credit('2026-01', 50_000, 2, '2026-01-03T00:00:00.000Z')];
    expect(
      await staleMonths({ credits: { creditsByPeriod: async () => credits }, shares: shares.store }, '15.04'),
    ).toEqual(['2026-01']);
  });
});
