/**
 * Corrections shown where they count (docs/one-truth.md): a donor's January row goes Rp16.800 →
 * Rp36.800 after January was allocated. February's run counts the +Rp20.000; the donor statement,
 * January's agency share and February's reconciliation name it, and before February's run every balance
 * says it is pending.
 */
import { describe, expect, it } from 'vitest';
import type { CreditSummary, DeductionRow } from '#domain/ports/finance.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { runRecord } from '#test/support/run-records.ts';
import { fakeFinance, inMemoryShares } from './fakes.ts';

const NIP = '198609262015051001';
const OTHER = '198703142010011002';
const JAN_RUN = '2026-01-10T00:00:00.000Z';
const FIX_AT = '2026-01-20T03:00:00.000Z';
const FEB_RUN = '2026-02-10T00:00:00.000Z';

function scenario() {
  const f = fakeFinance(new Date('2026-02-20T00:00:00Z'));
  const shares = inMemoryShares();
  const deps = { ...f.deps, shares: shares.store };
  const summary = (chunkId: string, kind: 'DEDUCTION' | 'CORRECTION', total: number, at: string) =>
    f.summaries.push({
      pool: '15.04',
      kind,
      period: '2026-01',
      agency: 'DINKES',
      chunkId,
      total,
      rows: 1,
      recordedAt: at,
    } as CreditSummary & { pool: string });
  const row = (chunkId: string, nip: string, kind: DeductionRow['kind'], amount: number, at: string) =>
    f.rows.push({
      pool: '15.04',
      period: '2026-01',
      agency: 'DINKES',
      nip,
      fileId: chunkId,
      kind,
      amount,
      chunkId,
      recordedAt: at,
    });
  summary('c1', 'DEDUCTION', 33_600, '2026-01-02T00:00:00.000Z');
  row('c1', NIP, 'DEDUCTION', 16_800, '2026-01-02T00:00:00.000Z');
  row('c1', OTHER, 'DEDUCTION', 16_800, '2026-01-02T00:00:00.000Z');
  // January's run: two workers, every rupiah it had.
  f.runs.push(
    runRecord({
      month: '2026-01',
      seq: 1,
      startedAt: JAN_RUN,
      completedAt: '2026-01-10T00:05:00.000Z',
      credits: { deductions: 33_600, corrections: 0, grants: 0 },
      available: 33_600,
      cursor: { ...runRecord({ month: '2026-01', seq: 1 }).cursor, funded: 2, allocated: 33_600 },
    }),
  );
  return { f, deps, shares, summary, row };
}

describe('corrections shown where they count', () => {
  it('pending after the fix, then counted in February and named in every view', async () => {
    const { f, deps, summary, row } = scenario();
    const apportion = makeApportionMonth({
      ledger: f.deps.ledger,
      credits: f.deps.credits,
      allocations: f.deps.allocations,
      store: deps.shares,
      clock: f.deps.clock,
    });
    await apportion({ pool: '15.04', month: '2026-01' });
    const q = makeFinanceQueries(deps);

    // The treasurer's replacement raises the donor's row: +Rp20.000 for January, after its run.
    summary('c2', 'CORRECTION', 20_000, FIX_AT);
    row('c2', NIP, 'CORRECTION', 20_000, FIX_AT);

    const before = await q.balance({ pool: '15.04' });
    expect(before).toMatchObject({ balance: 20_000, lastClosing: 0, pendingCorrections: 20_000 });
    const janBefore = await q.reconciliation({ pool: '15.04', month: '2026-01' });
    expect(janBefore.corrections).toEqual({
      counted: [],
      countedTotal: 0,
      pending: [{ period: '2026-01', agency: 'DINKES', amount: 20_000, items: 1 }],
      pendingTotal: 20_000,
    });
    const stmtBefore = await q.statement(NIP);
    expect(stmtBefore.lines[0]).toMatchObject({
      period: '2026-01',
      deducted: 16_800,
      corrected: 20_000,
      net: 36_800,
      corrections: [{ amount: 20_000, recordedAt: FIX_AT }],
    });
    expect(stmtBefore.lines[0]?.corrections?.[0]?.countedIn).toBeUndefined();

    // February's run counts it.
    f.runs.push(
      runRecord({
        month: '2026-02',
        seq: 1,
        startedAt: FEB_RUN,
        completedAt: '2026-02-10T00:05:00.000Z',
        credits: { deductions: 33_600, corrections: 20_000, grants: 0 },
        allocatedBefore: 33_600,
        previousClosing: 0,
        available: 20_000,
        cursor: { ...runRecord({ month: '2026-02', seq: 1 }).cursor, funded: 1, allocated: 16_800 },
      }),
    );
    const countedIn = { month: '2026-02', runId: '15.04/2026-02/001' };
    const feb = await q.reconciliation({ pool: '15.04', month: '2026-02' });
    expect(feb.credits.corrections).toBe(20_000);
    expect(feb.corrections).toEqual({
      counted: [{ period: '2026-01', agency: 'DINKES', amount: 20_000, items: 1, countedIn }],
      countedTotal: 20_000,
      pending: [],
      pendingTotal: 0,
    });
    // The console's overview reads every month at once: the same answers.
    expect(await q.reconciliations({ pool: '15.04', months: ['2026-01', '2026-02', '2026-03'] })).toEqual([
      await q.reconciliation({ pool: '15.04', month: '2026-01' }),
      feb,
    ]);
    const stmt = await q.statement(NIP);
    expect(stmt.lines[0]).toMatchObject({
      period: '2026-01',
      corrected: 20_000,
      net: 36_800,
      corrections: [{ amount: 20_000, recordedAt: FIX_AT, countedIn }],
    });
    const agency = await q.allocationsByAgency({ pool: '15.04', month: '2026-01', agency: 'DINKES' });
    expect(agency.netDeduction).toBe(53_600);
    expect(agency.corrections).toEqual({
      countedHere: [],
      ofThisMonth: [{ period: '2026-01', agency: 'DINKES', amount: 20_000, items: 1, countedIn }],
    });
    const agencyFeb = await q
      .allocationsByAgency({ pool: '15.04', month: '2026-02', agency: 'DINKES' })
      .catch((e: unknown) => e);
    // February has no DINKES rows: the agency query says so rather than inventing a share.
    expect(agencyFeb).toBeInstanceOf(Error);
    const after = await q.balance({ pool: '15.04' });
    expect(after).toMatchObject({ balance: 3_200, lastClosing: 3_200, pendingCorrections: 0 });
  });

  it('a correction that removes money is pending until the next run, and the balance says so', async () => {
    const { f, deps, summary, row } = scenario();
    summary('c3', 'CORRECTION', -16_800, FIX_AT);
    row('c3', OTHER, 'CORRECTION', -16_800, FIX_AT);
    const q = makeFinanceQueries(deps);
    const b = await q.balance({ pool: '15.04' });
    // Finance's headline, January's closing and the pending correction agree, and say why.
    expect(b).toMatchObject({
      balance: -16_800,
      lastMonth: '2026-01',
      lastClosing: 0,
      pendingCorrections: -16_800,
    });
    expect(b.lastClosing + b.pendingCorrections + b.futureCredits).toBe(b.balance);
    const stmt = await q.statement(OTHER);
    expect(stmt.lines[0]).toMatchObject({ net: 0, corrections: [{ amount: -16_800 }] });
    expect(f.runs).toHaveLength(1);
  });
});
