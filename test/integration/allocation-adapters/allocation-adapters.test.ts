import { describe, expect, it } from 'vitest';
import type { Tier } from '#domain/model.ts';
import type {
  AllocationEntry,
  AllocationLog,
  CoverageStore,
  RunRecord,
  StoredCoverage,
} from '#domain/ports/allocation.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { makeCapacityMeter } from '#shared/adapters/dynamodb-support.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocate-pool.ts';
import {
  InMemoryAllocationLog,
  InMemoryCoverageStore,
  InMemoryCredits,
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const POOL = '15.04';
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];
const cloud = useLocalCloud();

/** A small pool with a mix of tiers, an earmark, a lean month (lapses) and a re-run. */
function scenario() {
  const credits = new InMemoryCredits();
  const workers = new InMemoryWorkers();
  const pools = new InMemoryPools();
  pools.add(POOL, { horizonMonths: 3 });
  for (let i = 0; i < 14; i++) {
    const tier: Tier = i % 3 === 0 ? 'JKK_JKM_JHT' : 'JKK_JKM';
    workers.add(POOL, {
      nik: `15040141079000${String(i).padStart(2, '0')}`,
      name: `Pekerja ${i}`,
      ...(i % 2 === 0 ? { kpj: `2600000${String(i).padStart(4, '0')}` } : {}),
      tier,
      enrolledOn: `2025-12-${String(1 + i).padStart(2, '0')}`,
    });
  }
  credits.add(POOL, '2026-01', { deductions: 250_000, grants: 100_000 });
  credits.add(POOL, '2026-02', { deductions: 60_000 });
  credits.add(POOL, '2026-03', { deductions: 0, deductionRows: 1 });
  credits.add(POOL, '2026-04', { deductions: 260_000, corrections: -5_000 });
  credits.marks.push({ pool: POOL, period: '2026-03', nik: '1504014107900013', nip: 'x', agency: 'A' });
  return { credits, workers, pools };
}

async function drive(log: AllocationLog, coverage: CoverageStore) {
  const { credits, workers, pools } = scenario();
  const allocate = makeAllocatePool({
    ledger: credits,
    log,
    coverage,
    plans: new InMemoryPlanStore(),
    workers,
    pools,
    jobs: new InMemoryJobs(),
    clock: { now: () => new Date('2026-05-10T00:00:00Z') },
    rates: defaultRateTable,
    chunkSize: 4,
  });
  const runMonth = async (month: string) => {
    let step: AllocateStep;
    do step = await allocate({ pool: POOL, month });
    while (step.state === 'CONTINUING');
  };
  for (const month of MONTHS) await runMonth(month);
  // A re-run of the last month after more money arrived funds only who is still unfunded.
  credits.add(POOL, '2026-04', { grants: 60_000 });
  await runMonth('2026-04');

  const runs: RunRecord[] = await log.listRuns(POOL);
  const entries: AllocationEntry[] = [];
  for (const month of MONTHS) for await (const page of log.allocations(POOL, month)) entries.push(...page);
  const states: StoredCoverage[] = [];
  for await (const page of coverage.list(POOL)) states.push(...page);
  const byKey = <T extends { nik: string }>(xs: T[], key: (x: T) => string = (x) => x.nik) =>
    [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    runs,
    entries: byKey(entries, (e) => `${(e as AllocationEntry).month}#${e.nik}`),
    states: byKey(states),
  };
}

describe('DynamoDB allocation log and coverage store', () => {
  it('give allocatePool exactly the results of the in-memory fakes over a multi-month history', async () => {
    // prepare
    const { clients, names } = cloud();
    const meter = makeCapacityMeter();
    const log = new DynamoDbAllocationLog({
      ddb: clients.ddb,
      tableName: names.tables.ledger,
      meter,
      pageSize: 5,
    });
    const coverage = new DynamoDbCoverageStore({
      ddb: clients.ddb,
      tableName: names.tables.registry,
      meter,
      pageSize: 4,
    });
    // act
    const expected = await drive(new InMemoryAllocationLog(), new InMemoryCoverageStore());
    const actual = await drive(log, coverage);
    // assess
    expect(actual.runs).toEqual(expected.runs);
    expect(actual.entries).toEqual(expected.entries);
    expect(actual.states).toEqual(expected.states);
    expect(actual.runs.map((r) => r.runId)).toContain(`${POOL}/2026-04/002`);
    expect(actual.entries.length).toBeGreaterThan(10);
    expect(actual.runs.some((r) => r.cursor.unfunded > 0)).toBe(true);
    expect(actual.states.some((s) => s.prior.unpaidStreak > 0)).toBe(true);
    expect(meter.write).toBeGreaterThan(0);
    expect(meter.read).toBeGreaterThan(0);
  });

  it('writes an allocation once: same run again is a no-op, another run comes back as foreign', async () => {
    // prepare
    const { clients, names } = cloud();
    const log = new DynamoDbAllocationLog({ ddb: clients.ddb, tableName: names.tables.ledger });
    const entry: AllocationEntry = {
      pool: '15.01',
      month: '2026-01',
      nik: '1501014107900001',
      tier: 'JKK_JKM',
      amount: 16_800,
      priority: 'WAITLIST',
      runId: '15.01/2026-01/001',
      name: 'Siti',
      allocatedAt: '2026-01-10T00:00:00.000Z',
    };
    // act
    const first = await log.writeAllocations([entry]);
    const again = await log.writeAllocations([entry]);
    const other = await log.writeAllocations([{ ...entry, runId: '15.01/2026-01/002', amount: 1 }]);
    // assess
    expect(first).toEqual({ written: 1, foreign: [] });
    expect(again).toEqual({ written: 0, foreign: [] });
    expect(other.foreign).toEqual([entry]);
  });

  it('commits a chunk once: a second commit from the same position is a conflict', async () => {
    // prepare
    const { clients, names } = cloud();
    const log = new DynamoDbAllocationLog({ ddb: clients.ddb, tableName: names.tables.ledger });
    const memory = await drive(new InMemoryAllocationLog(), new InMemoryCoverageStore());
    const run = { ...(memory.runs[0] as RunRecord), pool: '15.02', nextChunk: 0, status: 'RUNNING' as const };
    const { completedAt: _, ...open } = run;
    // act
    const created = await log.createRun(open);
    const dup = await log.createRun(open);
    const next = { nextChunk: 1, cursor: run.cursor, status: 'RUNNING' as const };
    const c1 = await log.commitChunk(open, 0, next);
    const c2 = await log.commitChunk(open, 0, next);
    // assess
    expect([created, dup, c1, c2]).toEqual(['CREATED', 'EXISTS', 'COMMITTED', 'CONFLICT']);
    expect((await log.listRuns('15.02'))[0]?.nextChunk).toBe(1);
  });
});
