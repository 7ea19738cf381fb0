import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DonorStatement } from '#domain/finance-answers.ts';
import { apportionMonth, MonthTally } from '#domain/month-shares.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { earmarkCell, maskStatement, statementTable, tableToCsv } from '#shared/csv/export.ts';
import { allocationsByAgency } from '#shared/use-cases/finance/allocations.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { donorStatement, wholePoolStatement } from '#shared/use-cases/finance/statement.ts';
import { runRecord } from '#test/support/run-records.ts';
import { fakeFinance, inMemoryShares } from './fakes.ts';

const AGENCIES = ['DINKES', 'DISDIK', 'SETDA'] as const;
const nipOf = (i: number) => `1986092620150510${String(i).padStart(2, '0')}`;
const nikOf = (i: number) => `15040141019000${String(i).padStart(2, '0')}`;

const rowArb = fc.record({
  donor: fc.integer({ min: 0, max: 14 }),
  agency: fc.constantFrom(...AGENCIES),
  amount: fc.integer({ min: 1, max: 500_000 }),
});
const correctionArb = fc.record({
  donor: fc.integer({ min: 0, max: 14 }),
  agency: fc.constantFrom(...AGENCIES),
  amount: fc.integer({ min: -300_000, max: 300_000 }),
});

describe('apportionMonth', () => {
  it('donor shares and agency shares each add up exactly to the payroll-funded rupiah and worker-months', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 60 }),
        fc.array(correctionArb, { maxLength: 10 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 16_800, max: 36_800 }),
        (rows, corrections, funded, rate) => {
          const tally = new MonthTally();
          for (const r of rows)
            tally.add({ nip: nipOf(r.donor), agency: r.agency, kind: 'DEDUCTION', amount: r.amount });
          for (const c of corrections)
            tally.add({ nip: nipOf(c.donor), agency: c.agency, kind: 'CORRECTION', amount: c.amount });
          const m = apportionMonth({
            pool: '15.04',
            period: '2026-01',
            allocated: funded * rate,
            funded,
            tally,
            earmarks: [],
            fundedNiks: new Map(),
            basis: { chunks: 1, netPayroll: 0, lastRecordedAt: '', runs: 1 },
            computedAt: '2026-01-10T00:00:00Z',
          });
          const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
          const { payrollFunded, payrollWorkerMonths100 } = m.head.funding;
          // Nobody weighs anything when every net is ≤ 0: then nothing is attributed at either level.
          const anyDonor = m.donors.some((d) => d.net > 0);
          const anyAgency = m.agencies.some((a) => a.net > 0);
          expect(sum(m.donors.map((d) => d.rupiah))).toBe(anyDonor ? payrollFunded : 0);
          expect(sum(m.donors.map((d) => d.workerMonths100))).toBe(anyDonor ? payrollWorkerMonths100 : 0);
          expect(sum(m.agencies.map((a) => a.rupiah))).toBe(anyAgency ? payrollFunded : 0);
          expect(sum(m.agencies.map((a) => a.workerMonths100))).toBe(anyAgency ? payrollWorkerMonths100 : 0);
          expect(payrollFunded).toBe(Math.min(funded * rate, Math.max(0, tally.netPayroll)));
        },
      ),
    );
  });
});

/** One random history: deductions of 3 periods, runs of the first two, corrections after allocation. */
const historyArb = fc.record({
  periods: fc.array(fc.array(rowArb, { minLength: 1, maxLength: 25 }), { minLength: 3, maxLength: 3 }),
  late: fc.array(fc.record({ period: fc.integer({ min: 0, max: 1 }), c: correctionArb }), { maxLength: 8 }),
  funded: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 2 }),
  marks: fc.array(
    fc.record({ donor: fc.integer({ min: 0, max: 14 }), worker: fc.integer({ min: 0, max: 20 }) }),
    {
      maxLength: 4,
    },
  ),
});
const PERIODS = ['2026-01', '2026-02', '2026-03'] as const;
const RATE = 16_800;

const withoutEarmarks = (s: DonorStatement) => ({
  ...s,
  lines: s.lines.map(({ earmarks: _e, ...l }) => l),
});

describe('stored statements equal the whole-pool definition', () => {
  it('on random histories, including corrections after allocation (re-apportioned), for every donor', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const fake = fakeFinance(new Date('2026-03-20T00:00:00Z'));
        const shares = inMemoryShares();
        let chunk = 0;
        let clock = 0;
        const post = (
          period: string,
          agency: string,
          kind: 'DEDUCTION' | 'CORRECTION',
          nip: string,
          amount: number,
        ) => {
          const chunkId = `c${chunk++}`;
          const recordedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString();
          fake.rows.push({
            pool: '15.04',
            period,
            agency,
            nip,
            fileId: chunkId,
            kind,
            amount,
            chunkId,
            recordedAt,
          });
          fake.summaries.push({
            pool: '15.04',
            kind,
            period,
            agency,
            chunkId,
            total: amount,
            rows: 1,
            recordedAt,
          });
        };
        h.periods.forEach((rows, p) => {
          for (const r of rows) post(PERIODS[p] as string, r.agency, 'DEDUCTION', nipOf(r.donor), r.amount);
        });
        // An uncommitted row (no summary) must never count.
        fake.rows.push({
          pool: '15.04',
          period: '2026-01',
          agency: 'DINKES',
          nip: nipOf(0),
          fileId: 'x',
          kind: 'DEDUCTION',
          amount: 999_999,
          chunkId: 'uncommitted',
          recordedAt: '2026-01-01T00:00:00.000Z',
        });
        const apportion = makeApportionMonth({
          ledger: fake.deps.ledger,
          credits: fake.deps.credits,
          allocations: fake.deps.allocations,
          store: shares.store,
          clock: fake.deps.clock,
        });
        for (const [i, month] of PERIODS.slice(0, 2).entries()) {
          const funded = h.funded[i] ?? 0;
          for (const m of h.marks) {
            const donorRows = h.periods[i]?.filter((r) => r.donor === m.donor) ?? [];
            const agency = donorRows[0]?.agency;
            if (agency !== undefined)
              fake.earmarks.push({
                pool: '15.04',
                period: month,
                nip: nipOf(m.donor),
                nik: nikOf(m.worker),
                agency,
              });
          }
          for (let w = 0; w < funded; w++) {
            const entry: AllocationEntry = {
              pool: '15.04',
              month,
              nik: nikOf(w),
              tier: 'JKK_JKM',
              amount: RATE,
              priority: 'EARMARK',
              runId: `15.04/${month}/001`,
              name: 'Siti Wahyuni',
              allocatedAt: `${month}-10T00:00:00Z`,
            };
            fake.entries.push(entry);
          }
          fake.runs.push(
            runRecord({
              month,
              seq: 1,
              cursor: {
                balance: 0,
                need: 0,
                funded,
                allocated: funded * RATE,
                unfunded: 0,
                lapsed: 0,
                admitted: 0,
                waitlistSkipped: 0,
              },
            }),
          );
          await apportion({ pool: '15.04', month });
        }
        // Corrections after allocation change the months' attribution; the month is apportioned again.
        for (const l of h.late)
          post(PERIODS[l.period] as string, l.c.agency, 'CORRECTION', nipOf(l.c.donor), l.c.amount);
        for (const month of new Set(h.late.map((l) => PERIODS[l.period] as string)))
          await apportion({ pool: '15.04', month });

        const withShares = { ...fake.deps, shares: shares.store };
        const nips = [...new Set(fake.rows.map((r) => r.nip))];
        for (const nip of nips) {
          const stored = await donorStatement(withShares, nip);
          const oracle = await wholePoolStatement(fake.deps, nip);
          expect(withoutEarmarks(stored)).toEqual(oracle);
        }
        // The agency query reads its stored line and matches the live apportionment.
        for (const month of PERIODS.slice(0, 2)) {
          for (const agency of new Set(
            fake.rows.filter((r) => r.period === month && r.chunkId !== 'uncommitted').map((r) => r.agency),
          )) {
            const stored = await allocationsByAgency(withShares, { pool: '15.04', month, agency });
            const live = await allocationsByAgency(fake.deps, { pool: '15.04', month, agency });
            expect(stored).toEqual(live);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('shows a donor the worker it earmarked and whether that month funded the worker', async () => {
    const fake = fakeFinance(new Date('2026-02-20T00:00:00Z'));
    const shares = inMemoryShares();
    const nip = nipOf(1);
    const at = '2026-01-02T00:00:00.000Z';
    for (const [nik, chunkId] of [
      [nikOf(1), 'c1'],
      [nikOf(2), 'c2'],
    ] as const) {
      fake.rows.push({
        pool: '15.04',
        period: '2026-01',
        agency: 'DINKES',
        nip,
        fileId: 'f',
        kind: 'DEDUCTION',
        amount: 50_000,
        chunkId,
        workerNik: nik,
        recordedAt: at,
      });
      fake.summaries.push({
        pool: '15.04',
        kind: 'DEDUCTION',
        period: '2026-01',
        agency: 'DINKES',
        chunkId,
        total: 50_000,
        rows: 1,
        recordedAt: at,
      });
      fake.earmarks.push({ pool: '15.04', period: '2026-01', nip, nik, agency: 'DINKES' });
    }
    fake.entries.push({
      pool: '15.04',
      month: '2026-01',
      nik: nikOf(1),
      tier: 'JKK_JKM',
      amount: RATE,
      priority: 'EARMARK',
      runId: '15.04/2026-01/001',
      name: 'Siti Wahyuni',
      allocatedAt: '2026-01-10T00:00:00Z',
    });
    fake.runs.push(
      runRecord({
        month: '2026-01',
        seq: 1,
        cursor: {
          balance: 0,
          need: 0,
          funded: 1,
          allocated: RATE,
          unfunded: 1,
          lapsed: 0,
          admitted: 0,
          waitlistSkipped: 0,
        },
      }),
    );
    await makeApportionMonth({
      ledger: fake.deps.ledger,
      credits: fake.deps.credits,
      allocations: fake.deps.allocations,
      clock: fake.deps.clock,
      store: shares.store,
    })({ pool: '15.04', month: '2026-01' });
    const s = await donorStatement({ ...fake.deps, shares: shares.store }, nip);
    expect(s.lines[0]?.earmarks).toEqual([
      { nik: nikOf(1), funded: true, name: 'Siti Wahyuni' },
      { nik: nikOf(2), funded: false },
    ]);
    expect(s.lines[0]?.rupiah).toBe(RATE);
  });
});

describe("a late file's earmark in the month shares", () => {
  it("is pending until a run counts it, then says which month's run honoured it", async () => {
    // prepare: January ran on the 10th; a file of January naming nikOf(5) was recorded on the 20th
    const fake = fakeFinance(new Date('2026-02-20T00:00:00Z'));
    const shares = inMemoryShares();
    const nip = nipOf(3);
    const at = '2026-01-20T02:00:00.000Z';
    fake.rows.push({
      pool: '15.04',
      period: '2026-01',
      agency: 'BAPPEDA',
      nip,
      fileId: 'late',
      kind: 'DEDUCTION',
      amount: 16_800,
      chunkId: 'late#0',
      workerNik: nikOf(5),
      recordedAt: at,
    });
    fake.summaries.push({
      pool: '15.04',
      kind: 'DEDUCTION',
      period: '2026-01',
      agency: 'BAPPEDA',
      chunkId: 'late#0',
      total: 16_800,
      rows: 1,
      recordedAt: at,
    });
    fake.earmarks.push({
      pool: '15.04',
      period: '2026-01',
      nip,
      nik: nikOf(5),
      agency: 'BAPPEDA',
      recordedAt: at,
    });
    fake.runs.push(runRecord({ month: '2026-01', seq: 1 }));
    const apportion = makeApportionMonth({
      ledger: fake.deps.ledger,
      credits: fake.deps.credits,
      allocations: fake.deps.allocations,
      clock: fake.deps.clock,
      store: shares.store,
    });
    const earmarksOf = async () =>
      (await donorStatement({ ...fake.deps, shares: shares.store }, nip)).lines.find(
        (l) => l.period === '2026-01',
      )?.earmarks;
    // act + assess: re-apportioned after the late file (the sweeper), before February's run
    await apportion({ pool: '15.04', month: '2026-01' });
    expect(await earmarksOf()).toEqual([{ nik: nikOf(5), funded: false, pending: true }]);
    expect(earmarkCell('2026-01', { nik: 'N', funded: false, pending: true })).toBe(
      'N MENUNGGU (earmark dari file 2026-01 dihitung di run berikutnya)',
    );
    // February's run funds the worker as its earmark; its month-end apportions January again
    fake.runs.push(
      runRecord({ month: '2026-02', seq: 1, lateEarmarks: [{ period: '2026-01', earmarks: 1 }] }),
    );
    fake.entries.push({
      pool: '15.04',
      month: '2026-02',
      nik: nikOf(5),
      tier: 'JKK_JKM',
      amount: 16_800,
      priority: 'EARMARK',
      runId: '15.04/2026-02/001',
      name: 'Rahmat',
      allocatedAt: '2026-02-10T00:00:00Z',
    });
    await apportion({ pool: '15.04', month: '2026-01' });
    const marks = await earmarksOf();
    expect(marks).toEqual([{ nik: nikOf(5), funded: true, name: 'Rahmat', month: '2026-02' }]);
    const line = (await donorStatement({ ...fake.deps, shares: shares.store }, nip)).lines[0];
    const csv = tableToCsv(
      statementTable(
        maskStatement(
          { nip, lines: line ? [line] : [], totals: { net: 0, rupiah: 0, workerMonths: '0.00' } },
          { unmasked: false },
        ),
      ),
    );
    expect(csv).toContain('DIDANAI 2026-02 (earmark dari file 2026-01 dihitung di run 2026-02)');
    // The agency's view finds the allocation in February, where the earmark was honoured.
    const agency = await allocationsByAgency(
      { ...fake.deps, shares: shares.store },
      {
        pool: '15.04',
        month: '2026-01',
        agency: 'BAPPEDA',
      },
    );
    expect(agency.earmarked.map((e) => `${e.month}:${e.nik}`)).toEqual([`2026-02:${nikOf(5)}`]);
  });
});

describe('earmarks as a donor sees them', () => {
  it('masks the earmarked worker even when the donor asks for its own NIP unmasked', () => {
    const statement = {
      nip: nipOf(1),
      totals: { net: 0, rupiah: 0, workerMonths: '0.00' },
      lines: [
        {
          pool: '15.04',
          period: '2026-01',
          agencies: ['DINKES'],
          deducted: 50_000,
          corrected: 0,
          net: 50_000,
          poolNetPayroll: 50_000,
          poolAllocated: 16_800,
          poolPayrollFunded: 16_800,
          rupiah: 16_800,
          workerMonths: '1.00',
          status: 'ALLOCATED' as const,
          earmarks: [{ nik: nikOf(1), funded: true, name: 'Siti Wahyuni' }],
        },
      ],
    };
    for (const unmasked of [true, false]) {
      const shown = maskStatement(statement, { unmasked });
      expect(shown.nip === nipOf(1)).toBe(unmasked);
      const mark = shown.lines[0]?.earmarks?.[0];
      expect(mark?.nik).not.toBe(nikOf(1));
      expect(mark?.nik.slice(0, 4)).toBe('1504');
      expect(mark?.name).not.toContain('Siti');
      expect(mark?.funded).toBe(true);
      const csv = tableToCsv(statementTable(shown));
      expect(csv).not.toContain(nikOf(1));
      expect(csv).toContain('DIDANAI');
    }
  });
});
