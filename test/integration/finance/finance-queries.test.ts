import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { toAllocationEntry } from '#shared/adapters/dynamodb-allocation-items.ts';
import type { FinanceQueries } from '#shared/use-cases/finance/index.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { AGENCIES, buildHistory, type CreditRecord, MONTHS, nipOf, POOL } from './history.ts';

const cloud = useLocalCloud();

let queries: FinanceQueries;
let oracle: FinanceQueries;
let credits: CreditRecord[];
let closingBefore: (month: string) => Promise<{ month: string } | undefined>;
/** Independent view: every allocation item read with a raw Scan, not through the adapters' Query. */
let raw: AllocationEntry[];

beforeAll(async () => {
  const built = await buildHistory(cloud());
  queries = built.queries;
  oracle = built.oracle;
  credits = built.credits;
  closingBefore = (month) => built.deps.history?.closingBefore(POOL, month) ?? Promise.resolve(undefined);
  raw = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await cloud().clients.ddb.send(
      new ScanCommand({ TableName: cloud().names.tables.ledger, ExclusiveStartKey: startKey }),
    );
    for (const item of out.Items ?? [])
      if (String(item.pk).startsWith('ALLOC#')) raw.push(toAllocationEntry(item));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
}, 120_000);

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const ofMonth = (month: string) =>
  raw.filter((e) => e.month === month).sort((a, b) => (a.nik < b.nik ? -1 : 1));
const netPayroll = (month: string) =>
  sum(credits.filter((c) => c.period === month && c.kind !== 'GRANT').map((c) => c.amount));

describe('finance queries over a four-month history on the local cloud', () => {
  it('pages through a month of allocations exactly as stored', async () => {
    for (const month of MONTHS) {
      const seen: AllocationEntry[] = [];
      let next: string | undefined;
      do {
        const page = await queries.allocationsByMonth({
          pool: POOL,
          month,
          limit: 7,
          ...(next ? { next } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items);
        next = page.next;
      } while (next !== undefined);
      expect(seen).toEqual(ofMonth(month));
    }
    expect(raw.length).toBeGreaterThan(40);
  });

  it('finds a worker across months, and a run by its id', async () => {
    const nik = raw[0]?.nik ?? '';
    const byNik = await queries.allocationsByNik({ pool: POOL, nik });
    expect(byNik.items).toEqual(
      raw.filter((e) => e.nik === nik).sort((a, b) => (a.month < b.month ? -1 : 1)),
    );
    const rerun = `${POOL}/2026-04/002`;
    const byRun = await queries.allocationsByRun({ pool: POOL, runId: rerun, limit: 1000 });
    expect(byRun.items).toEqual(ofMonth('2026-04').filter((e) => e.runId === rerun));
  });

  it('reconciles every month to the rupiah against the credits the test wrote', async () => {
    let closingBefore = 0;
    for (const month of MONTHS) {
      const r = await queries.reconciliation({ pool: POOL, month });
      const allocated = sum(ofMonth(month).map((e) => e.amount));
      expect(r.balanced).toBe(true);
      expect(r.allocated).toBe(allocated);
      expect(r.opening).toBe(closingBefore);
      expect(r.opening + r.credits.total - r.allocated).toBe(r.closing);
      expect(r.workers.funded).toBe(ofMonth(month).length);
      closingBefore = r.closing;
    }
    // Conservation over the whole history: every credit of periods ≤ April that reached a run.
    const allCredits = sum(credits.map((c) => c.amount));
    expect(closingBefore).toBe(allCredits - sum(raw.map((e) => e.amount)));
  });

  it('bills a month with totals equal to its lines', async () => {
    const b = await queries.bill({ pool: POOL, month: '2026-02', limit: 1000 });
    expect(b.total).toBe(sum(ofMonth('2026-02').map((e) => e.amount)));
    expect(b.workers).toBe(ofMonth('2026-02').length);
    expect(b.page.items).toEqual(ofMonth('2026-02'));
    expect(b.page.items.every((e) => e.kpj !== undefined)).toBe(true);
  });

  it('gives donor statements that sum to the payroll-funded allocations of each month', async () => {
    const donors = [...new Set(credits.flatMap((c) => (c.nip === undefined ? [] : [c.nip])))];
    const statements = await queries.statements(donors);
    expect(await queries.statement(nipOf(1))).toEqual(statements[donors.indexOf(nipOf(1))]);
    for (const month of MONTHS) {
      const allocated = sum(ofMonth(month).map((e) => e.amount));
      const payrollFunded = Math.min(allocated, netPayroll(month));
      const lines = statements.flatMap((s) => s.lines.filter((l) => l.period === month));
      expect(sum(lines.map((l) => l.rupiah))).toBe(payrollFunded);
      expect(sum(lines.map((l) => l.net))).toBe(netPayroll(month));
    }
    // Each donor's own figures come from its rows only (the uncommitted "ghost" row counts nowhere).
    const s1 = statements[donors.indexOf(nipOf(1))];
    const mine = credits.filter((c) => c.nip === nipOf(1));
    expect(s1?.totals.net).toBe(sum(mine.map((c) => c.amount)));
    const s11 = statements[donors.indexOf(nipOf(11))]?.lines.find((l) => l.period === '2026-02');
    expect(s11?.corrected).toBe(-5_000);
  });

  it('gives statements and agency shares from the stored month shares equal to the whole-pool definition', async () => {
    const donors = [...new Set(credits.filter((c) => c.kind !== 'GRANT').map((c) => c.nip ?? ''))].filter(
      (n) => n !== '',
    );
    expect(donors.length).toBeGreaterThan(20);
    for (const nip of donors) {
      const stored = await queries.statement(nip);
      const { lines, ...rest } = stored;
      expect({ ...rest, lines: lines.map(({ earmarks: _e, ...l }) => l) }).toEqual(
        await oracle.statement(nip),
      );
    }
    for (const month of MONTHS)
      for (const agency of AGENCIES)
        expect(await queries.allocationsByAgency({ pool: POOL, month, agency })).toEqual(
          await oracle.allocationsByAgency({ pool: POOL, month, agency }),
        );
  });

  it("apportions a month across agencies and shows an agency's earmarks", async () => {
    const shares = await Promise.all(
      AGENCIES.map((agency) => queries.allocationsByAgency({ pool: POOL, month: '2026-02', agency })),
    );
    const allocated = sum(ofMonth('2026-02').map((e) => e.amount));
    expect(sum(shares.map((s) => s.rupiah))).toBe(Math.min(allocated, netPayroll('2026-02')));
    for (const [i, agency] of AGENCIES.entries()) {
      const net = sum(
        credits.filter((c) => c.period === '2026-02' && c.agency === agency).map((c) => c.amount),
      );
      expect(shares[i]?.netDeduction).toBe(net);
    }
    expect(shares[0]?.earmarked.map((e) => e.priority)).toEqual(['EARMARK']);
  });

  it('shows the balance as it stood at past dates', async () => {
    for (const at of ['2026-02-15T00:00:00.000Z', '2026-04-11T00:00:00.000Z', '2026-04-19T00:00:00.000Z']) {
      const b = await queries.balance({ pool: POOL, asOf: new Date(at) });
      const inBy = sum(credits.filter((c) => c.recordedAt <= at).map((c) => c.amount));
      const outBy = sum(raw.filter((e) => e.allocatedAt <= at).map((e) => e.amount));
      expect(b.credits.total).toBe(inBy);
      expect(b.allocated).toBe(outBy);
      expect(b.balance).toBe(inBy - outBy);
    }
  });

  it('gives the balance from closings and the month since, equal to the full scan, at any date', async () => {
    const dates = [
      '2026-01-31T16:59:59.999Z', // the last instant of January in Jakarta
      '2026-01-31T17:00:00.000Z',
      '2026-02-15T00:00:00.000Z',
      '2026-03-01T18:00:00.000Z', // after a crashed first attempt's index item, before its chunk committed
      '2026-03-04T12:00:00.000Z', // after the ghost chunk's index item: it must not count
      '2026-03-05T12:00:00.000Z', // after a lost second attempt's index item: it must not count twice
      '2026-04-11T00:00:00.000Z',
      '2026-04-19T00:00:00.000Z',
    ];
    // The closings the month outputs wrote (the newest before a month is the month before it here).
    expect((await closingBefore('2026-02'))?.month).toBe('2026-01');
    expect((await closingBefore('2026-04'))?.month).toBe('2026-03');
    for (const at of dates) {
      const asOf = new Date(at);
      expect(await queries.balance({ pool: POOL, asOf })).toEqual(await oracle.balance({ pool: POOL, asOf }));
      const inBy = sum(credits.filter((c) => c.recordedAt <= at).map((c) => c.amount));
      expect((await queries.balance({ pool: POOL, asOf })).credits.total).toBe(inBy);
    }
  });

  it('refuses an unknown pool, a future month and an unknown donor with domain errors', async () => {
    await expect(queries.reconciliation({ pool: '15.99', month: '2026-01' })).rejects.toMatchObject({
      code: 'POOL_UNKNOWN',
    });
    await expect(queries.bill({ pool: POOL, month: '2026-07', limit: 10 })).rejects.toMatchObject({
      code: 'MONTH_IN_FUTURE',
    });
    await expect(queries.statement(nipOf(77))).rejects.toMatchObject({ code: 'DONOR_UNKNOWN' });
  });
});
