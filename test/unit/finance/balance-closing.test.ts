import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closingCutoff, mergePeriodCredits } from '#domain/credit-closing.ts';
import type { DeductionChunk } from '#domain/model.ts';
import { addMonths, periodOf } from '#domain/period.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { makeWriteCreditClosing } from '#shared/use-cases/finance/credit-closing.ts';
import type { FinanceDeps } from '#shared/use-cases/finance/deps.ts';
import { poolBalance } from '#shared/use-cases/finance/reports.ts';
import { InMemoryCreditHistory } from '#test/support/in-memory-credit-history.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { runRecord } from '#test/support/run-records.ts';

/**
 * The balance as of a date read from a monthly closing plus the month's commits equals the full
 * definition (balanceAsOf over every credit recorded by then, docs/design.md "Statements") on random
 * histories: payroll chunks, corrections recorded after their month was allocated (negative too),
 * grants paid ahead, closings written on random days (or skipped), dates on month boundaries.
 */

const POOL = '15.04';
const START = Date.parse('2026-01-01T00:00:00+07:00');
const DAY = 86_400_000;

const eventArb = fc.record({
  kind: fc.constantFrom('DEDUCTION', 'CORRECTION', 'GRANT'),
  // The period relative to the recording month: earlier (late file, correction after allocation),
  // the same, or later (a grant paid ahead).
  periodOffset: fc.integer({ min: -3, max: 1 }),
  amount: fc.integer({ min: -200_000, max: 900_000 }),
  atMs: fc.integer({ min: 0, max: 200 * DAY }),
});

type Event = { kind: string; periodOffset: number; amount: number; atMs: number };

async function replay(events: readonly Event[], closingDays: readonly number[]) {
  const ledger = new InMemoryCreditLedger();
  const history = new InMemoryCreditHistory(ledger);
  let now = new Date(START);
  const writeClosing = makeWriteCreditClosing({ credits: ledger, history, clock: { now: () => now } });
  const timeline = [
    ...events.map((e, i) => ({ at: START + e.atMs, run: async () => record(ledger, e, i) })),
    ...closingDays.map((d) => ({ at: START + d * DAY, run: async () => void (await writeClosing(POOL)) })),
  ].sort((a, b) => a.at - b.at);
  for (const step of timeline) {
    now = new Date(step.at);
    await step.run();
  }
  return { ledger, history };
}

async function record(ledger: InMemoryCreditLedger, e: Event, i: number): Promise<void> {
  const at = new Date(START + e.atMs);
  const period = addMonths(periodOf(at), e.periodOffset);
  if (e.kind === 'GRANT') {
    await ledger.writeGrant(
      {
        pool: POOL,
        period,
        reference: `G-${i}`,
        source: 'BKBK',
        amount: Math.abs(e.amount) + 1,
        fileId: `g${i}`,
        line: 2,
      },
      at,
    );
    return;
  }
  const amount = e.kind === 'DEDUCTION' ? Math.abs(e.amount) + 1 : e.amount;
  const chunk: DeductionChunk = {
    chunkId: `c${i}`,
    fileId: `f${i}`,
    kind: e.kind === 'DEDUCTION' ? 'DEDUCTION' : 'CORRECTION',
    pool: POOL,
    period,
    agency: 'DINKES',
    entries: [{ nip: '198609262015051001', amount, line: 2 }],
  };
  await ledger.writeChunk(chunk, at);
}

/** Runs of the first six months, completed on the 10th, each allocating something. */
const runs: RunRecord[] = [0, 1, 2, 3, 4, 5].map((m) => {
  const month = addMonths('2026-01', m);
  const base = runRecord({ month, seq: 1 });
  return runRecord({
    month,
    seq: 1,
    completedAt: new Date(Date.parse(`${month}-10T06:00:00+07:00`)).toISOString(),
    cursor: { ...base.cursor, funded: 10 + m, allocated: (10 + m) * 16_800 },
  });
});

const depsOf = (ledger: InMemoryCreditLedger, history: InMemoryCreditHistory | undefined): FinanceDeps => ({
  allocations: {
    listRuns: async () => runs,
    allocationsFrom: async function* () {},
    allocationOf: async () => undefined,
  },
  ledger: {
    creditSummaries: async () => [],
    deductionRows: async function* () {},
    donorMemberships: async () => [],
    committedChunks: async () => new Set(),
  },
  credits: ledger,
  pools: { poolExists: async () => true },
  clock: { now: () => new Date(START + 400 * DAY) },
  ...(history === undefined ? {} : { history }),
});

describe('balance as of a date from a closing and the month since', () => {
  it('equals the full-scan definition on random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 230 * DAY }), { minLength: 1, maxLength: 6 }),
        async (events, closingDays, asOfs) => {
          const { ledger, history } = await replay(events, closingDays);
          for (const ms of asOfs) {
            const asOf = new Date(START + ms);
            const viaClosing = await poolBalance(depsOf(ledger, history), { pool: POOL, asOf });
            const fullScan = await poolBalance(depsOf(ledger, undefined), { pool: POOL, asOf });
            expect(viaClosing).toEqual(fullScan);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is exact on the boundary instants of a Jakarta month', async () => {
    const events: Event[] = [
      // 23:59:59.999 WIB on 31 January and 00:00 WIB on 1 February.
      { kind: 'DEDUCTION', periodOffset: 0, amount: 100_000, atMs: 31 * DAY - 1 },
      { kind: 'CORRECTION', periodOffset: -1, amount: -40_000, atMs: 31 * DAY },
    ];
    const { ledger, history } = await replay(events, [40]);
    expect([...history.closings.keys()]).toEqual([`${POOL}|2026-01`]);
    for (const asOf of [closingCutoff('2026-01'), new Date(START + 31 * DAY), new Date(START + 45 * DAY)]) {
      const viaClosing = await poolBalance(depsOf(ledger, history), { pool: POOL, asOf });
      const fullScan = await poolBalance(depsOf(ledger, undefined), { pool: POOL, asOf });
      expect(viaClosing).toEqual(fullScan);
    }
  });

  it('reads one closing and only the date’s own month when the previous month is closed', async () => {
    // prepare: a year of monthly chunks, a closing written on the 10th of every month
    const events: Event[] = Array.from({ length: 12 }, (_, m) => ({
      kind: 'DEDUCTION',
      periodOffset: 0,
      amount: 500_000 + m,
      atMs: (m * 30 + 2) * DAY,
    }));
    const { ledger, history } = await replay(
      events,
      Array.from({ length: 12 }, (_, m) => m * 30 + 10),
    );
    history.reads.length = 0;
    // act
    const asOf = new Date(START + (11 * 30 + 15) * DAY);
    const b = await poolBalance(depsOf(ledger, history), { pool: POOL, asOf });
    // assess
    expect(history.reads).toEqual([periodOf(asOf)]);
    expect(b.credits.total).toBe(events.reduce((s, e) => s + e.amount + 1, 0));
  });

  it('mergePeriodCredits adds per period and keeps period order', () => {
    const row = (period: string, d: number) => ({
      period,
      deductions: d,
      corrections: -1,
      grants: 2,
      deductionRows: 1,
    });
    expect(mergePeriodCredits([[row('2026-02', 5)], [row('2026-01', 1), row('2026-02', 7)]])).toEqual([
      row('2026-01', 1),
      { period: '2026-02', deductions: 12, corrections: -2, grants: 4, deductionRows: 2 },
    ]);
  });
});
