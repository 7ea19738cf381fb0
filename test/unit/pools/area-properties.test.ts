import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolMonthSummaryOf } from '#domain/areas.ts';
import type { PoolCode } from '#domain/model.ts';
import { isInArea } from '#domain/pools.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { balanceAsOf, type Reconciliation, reconcileMonth } from '#domain/statements.ts';
import { makeAreaQueries, makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { InMemoryAreaSummaries } from '#test/support/in-memory-area-summaries.ts';
import { runRecord } from '#test/support/run-records.ts';

const MONTHS = ['2023-01', '2023-02', '2023-03', '2023-04'];

/** Pool codes of two provinces at every level: 15, 15.04, 15.04.01, 15.04.01.2001 ... */
const codeArb = fc
  .tuple(
    fc.constantFrom('15', '16'),
    fc.constantFrom('01', '04', '71'),
    fc.constantFrom('01', '02'),
    fc.constantFrom('2001', '2002', '1003'),
    fc.integer({ min: 1, max: 4 }),
  )
  .map(([p, r, d, v, depth]) => [p, r, d, v].slice(0, depth).join('.'));

/** One run per month step: credits that arrived (by kind), and what the run allocated of what it had. */
const stepArb = fc.record({
  deductions: fc.integer({ min: 0, max: 50_000_000 }),
  corrections: fc.integer({ min: -200_000, max: 200_000 }),
  grants: fc.constantFrom(0, 0, 10_000_000, 100_000_000),
  spend: fc.double({ min: 0, max: 1, noNaN: true }),
  funded: fc.integer({ min: 0, max: 5_000 }),
  unfunded: fc.integer({ min: 0, max: 50 }),
  lapsed: fc.integer({ min: 0, max: 50 }),
  rerun: fc.boolean(),
});

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** A pool's runs, consistent as allocate-pool writes them: available = previous closing + new credits. */
function runsOf(pool: PoolCode, steps: readonly Step[]): RunRecord[] {
  const runs: RunRecord[] = [];
  let credits = { deductions: 0, corrections: 0, grants: 0 };
  let closing = 0;
  for (const [i, s] of steps.entries()) {
    const month = MONTHS[i] as string;
    const seqs = s.rerun ? [1, 2] : [1];
    for (const seq of seqs) {
      // A re-run sees only the corrections that arrived since (the rest came with the first run).
      const add = seq === 1 ? s : { deductions: 0, corrections: Math.abs(s.corrections), grants: 0 };
      const before = credits;
      credits = {
        deductions: credits.deductions + add.deductions,
        corrections: credits.corrections + add.corrections,
        grants: credits.grants + add.grants,
      };
      const fresh = credits.deductions + credits.corrections + credits.grants;
      const available = closing + fresh - (before.deductions + before.corrections + before.grants);
      const allocated = Math.max(0, Math.floor(Math.max(0, available) * s.spend));
      runs.push(
        runRecord({
          pool,
          month,
          seq,
          credits,
          previousClosing: closing,
          available,
          cursor: {
            balance: available - allocated,
            need: 0,
            funded: s.funded,
            allocated,
            unfunded: s.unfunded,
            lapsed: s.lapsed,
            admitted: seq === 1 ? s.funded : 0,
            waitlistSkipped: 0,
          },
        }),
      );
      closing = available - allocated;
    }
  }
  return runs;
}

const worldArb = fc.uniqueArray(
  fc.record({ pool: codeArb, steps: fc.array(stepArb, { minLength: 1, maxLength: MONTHS.length }) }),
  { selector: (p) => p.pool, minLength: 1, maxLength: 25 },
);

const sumOf = (rs: readonly Reconciliation[], f: (r: Reconciliation) => number) =>
  rs.reduce((s, r) => s + f(r), 0);

describe('area views over random pool sets', () => {
  it('equal the sum of the pools’ reconciliations and balances to the rupiah', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.constantFrom('15', '16', '15.04', '15.04.01', '16.71.02', '15.01.01.2001'),
        fc.integer({ min: 0, max: MONTHS.length - 1 }),
        async (world, area, m) => {
          // prepare: each pool's runs, and its month summary written as allocate-pool writes it
          const month = MONTHS[m] as string;
          const summaries = new InMemoryAreaSummaries();
          const byPool = new Map(world.map((p) => [p.pool, runsOf(p.pool, p.steps)]));
          const write = makeWritePoolMonthSummary({
            log: { listRuns: async (pool) => byPool.get(pool) ?? [] },
            summaries,
            clock: { now: () => new Date('2023-06-01T00:00:00Z') },
          });
          for (const [pool, runs] of byPool) for (const r of runs) await write({ pool, month: r.month });
          const expected = [...byPool]
            .filter(([pool]) => isInArea(pool, area))
            .map(([, runs]) => reconcileMonth(runs, month))
            .filter((r): r is Reconciliation => r !== undefined);
          // act
          const queries = makeAreaQueries({ summaries });
          const got = await queries.month({ area, month }).catch((e: Error) => e);
          // assess
          if (expected.length === 0) {
            expect(got).toBeInstanceOf(Error);
            return;
          }
          if (got instanceof Error) throw got;
          expect(got.pools).toBe(expected.length);
          expect(got.opening).toBe(sumOf(expected, (r) => r.opening));
          expect(got.credits).toEqual({
            deductions: sumOf(expected, (r) => r.credits.deductions),
            corrections: sumOf(expected, (r) => r.credits.corrections),
            grants: sumOf(expected, (r) => r.credits.grants),
            total: sumOf(expected, (r) => r.credits.total),
          });
          expect(got.allocated).toBe(sumOf(expected, (r) => r.allocated));
          expect(got.closing).toBe(sumOf(expected, (r) => r.closing));
          expect(got.workers.funded).toBe(sumOf(expected, (r) => r.workers.funded));
          expect(got.workers.lapsed).toBe(sumOf(expected, (r) => r.workers.lapsed));
          expect(got.workers.unfunded).toBe(sumOf(expected, (r) => r.workers.unfunded));
          expect(got.opening + got.credits.total - got.allocated).toBe(got.closing);
          expect(got.balanced).toBe(true);
          // The area's closing is the sum of its pools' balances as of the month (each pool's credits
          // up to the month less everything allocated through it).
          const balances = [...byPool]
            .filter(([pool, runs]) => isInArea(pool, area) && runs.some((r) => r.month === month))
            .map(([, runs]) => {
              const upTo = runs.filter((r) => r.month <= month);
              const c = (upTo.at(-1) as RunRecord).credits;
              const credits = [{ period: month, ...c, deductionRows: 0 }];
              return balanceAsOf(credits, upTo, new Date('2100-01-01T00:00:00Z')).balance;
            });
          expect(got.closing).toBe(balances.reduce((s, b) => s + b, 0));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('are additive: a province is the sum of its regencies and its own pool', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const summaries = new InMemoryAreaSummaries();
        for (const p of world) {
          const r = reconcileMonth(runsOf(p.pool, p.steps), '2023-01');
          if (r) await summaries.putMonth(poolMonthSummaryOf(r, '2023-02-01T00:00:00.000Z'));
        }
        const q = makeAreaQueries({ summaries });
        const of = async (area: string) => q.month({ area, month: '2023-01' }).catch(() => undefined);
        const province = await of('15');
        const parts = await Promise.all(['15.01', '15.04', '15.71'].map(of));
        const own = world.some((p) => p.pool === '15')
          ? await summaries.monthItems.get('2023-01|15')
          : undefined;
        const closing = parts.reduce((s, a) => s + (a?.closing ?? 0), own?.closing ?? 0);
        const allocated = parts.reduce((s, a) => s + (a?.allocated ?? 0), own?.allocated ?? 0);
        expect(province?.closing ?? 0).toBe(closing);
        expect(province?.allocated ?? 0).toBe(allocated);
      }),
      { numRuns: 100 },
    );
  });
});
