import { describe, expect, it } from 'vitest';
import type { Tier } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore, StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { makeCapacityMeter } from '#shared/adapters/dynamodb-support.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
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
    newToken: () => `token-${++tokens}`,
  });
  let tokens = 0;
  const runMonth = async (month: string, cause: string) => {
    let step: AllocateStep = await allocate({ pool: POOL, month, cause });
    while (step.state === 'CONTINUING')
      step = await allocate({ pool: POOL, month, cause: `continue:${step.run.runId}` });
  };
  for (const month of MONTHS) await runMonth(month, `schedule:${month}-09T23:00:00.000Z`);
  // A re-run of the last month after more money arrived funds only who is still unfunded.
  credits.add(POOL, '2026-04', { grants: 60_000 });
  await runMonth('2026-04', 'schedule:2026-04-10T23:00:00.000Z');

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
    const next = {
      nextChunk: 1,
      cursor: run.cursor,
      status: 'RUNNING' as const,
      updatedAt: '2026-05-10T00:00:00.000Z',
      commitToken: 'first',
      uncovered: { chunk: 0, cursor: run.cursor },
    };
    const c1 = await log.commitChunk(open, 0, next);
    const c2 = await log.commitChunk(open, 0, { ...next, commitToken: 'second' });
    // assess
    expect([created, dup, c1, c2]).toEqual(['CREATED', 'EXISTS', 'COMMITTED', 'CONFLICT']);
    const stored = await log.getRun('15.02', open.month, open.seq);
    expect(stored).toMatchObject({ nextChunk: 1, commitToken: 'first' });
    expect(await log.getRun('15.02', open.month, open.seq + 1)).toBeUndefined();
  });

  it.each([
    ['in memory', () => new InMemoryAllocationLog()],
    [
      'DynamoDB',
      () => new DynamoDbAllocationLog({ ddb: cloud().clients.ddb, tableName: cloud().names.tables.ledger }),
    ],
  ] as const)('%s: a stalled run takes no commit; outputs are recorded once', async (_, make) => {
    // prepare
    const log: AllocationLog = make();
    const memory = await drive(new InMemoryAllocationLog(), new InMemoryCoverageStore());
    const base = memory.runs[0] as RunRecord;
    const {
      completedAt: _c,
      outputsAt: _o,
      ...open
    } = { ...base, pool: '15.03', nextChunk: 0, status: 'RUNNING' as const };
    await log.createRun(open);
    const commit = {
      nextChunk: 1,
      cursor: open.cursor,
      status: 'COMPLETED' as const,
      updatedAt: 't1',
      commitToken: 'a',
      completedAt: 't1',
      uncovered: { chunk: 0, cursor: open.cursor },
    };
    // act
    const stalled = await log.markStalled(open, { at: 't0', reason: 'foreign allocation' });
    const committed = await log.commitChunk(open, 0, commit);
    const stalledAgain = await log.markStalled({ ...open }, { at: 't2', reason: 'again' });
    await log.markOutputs(open, 't3');
    await log.markOutputs(open, 't4');
    // assess: the stall is recorded but does not stop a commit; a completed run cannot be stalled
    expect([stalled, committed, stalledAgain]).toEqual(['UPDATED', 'COMMITTED', 'CONFLICT']);
    expect(await log.getRun('15.03', open.month, open.seq)).toMatchObject({
      status: 'COMPLETED',
      outputsAt: 't3',
      stalled: { reason: 'foreign allocation' },
    });
  });

  it.each([
    ['in memory', () => new InMemoryAllocationLog()],
    [
      'DynamoDB',
      () => new DynamoDbAllocationLog({ ddb: cloud().clients.ddb, tableName: cloud().names.tables.ledger }),
    ],
  ] as const)(
    '%s: an abort closes only a running run; its leftovers are removed or replaced',
    async (_, make) => {
      // prepare
      const log: AllocationLog = make();
      const memory = await drive(new InMemoryAllocationLog(), new InMemoryCoverageStore());
      const base = memory.runs[0] as RunRecord;
      const {
        completedAt: _c,
        outputsAt: _o,
        ...open
      } = { ...base, pool: '15.06', runId: '15.06/2026-01/001', nextChunk: 0, status: 'RUNNING' as const };
      await log.createRun(open);
      const entry = (nik: string, runId: string): AllocationEntry => ({
        pool: '15.06',
        month: open.month,
        nik,
        tier: 'JKK_JKM',
        amount: 16_800,
        priority: 'WAITLIST',
        runId,
        name: 'Pekerja',
        allocatedAt: 't0',
      });
      await log.writeAllocations([entry('n1', open.runId), entry('n2', open.runId), entry('n3', 'other')]);
      // act
      const aborted = await log.abortRun(open, { at: 't5', by: 'ops.ani', reason: 'foreign allocation' });
      const again = await log.abortRun(open, { at: 't6', by: 'ops', reason: 'twice' });
      const removed = await log.removeAllocations('15.06', open.month, open.runId, ['n1', 'n3', 'n9']);
      const blocked = await log.writeAllocations([entry('n2', 'rerun'), entry('n3', 'rerun')]);
      const replaced = await log.writeAllocations([entry('n2', 'rerun'), entry('n3', 'rerun')], {
        replacing: [open.runId],
      });
      // assess: removal and replacement touch only the aborted run's entries
      expect([aborted, again, removed]).toEqual(['UPDATED', 'CONFLICT', 1]);
      expect(await log.getRun('15.06', open.month, open.seq)).toMatchObject({
        status: 'ABORTED',
        completedAt: 't5',
        aborted: { at: 't5', by: 'ops.ani', reason: 'foreign allocation' },
      });
      expect(blocked.foreign.map((f) => `${f.nik}:${f.runId}`).sort()).toEqual([
        `n2:${open.runId}`,
        'n3:other',
      ]);
      expect(replaced.written).toBe(1);
      expect(replaced.foreign.map((f) => `${f.nik}:${f.runId}`)).toEqual(['n3:other']);
      const left: string[] = [];
      for await (const page of log.allocations('15.06', open.month))
        for (const e of page) left.push(`${e.nik}:${e.runId}`);
      expect(left.sort()).toEqual(['n2:rerun', 'n3:other']);
    },
  );

  it.each([
    ['in memory', () => new InMemoryCoverageStore()],
    [
      'DynamoDB',
      () => new DynamoDbCoverageStore({ ddb: cloud().clients.ddb, tableName: cloud().names.tables.registry }),
    ],
  ] as const)(
    '%s: coverage is fenced by month and run: an older walker cannot overwrite',
    async (_, make) => {
      // prepare
      const store: CoverageStore = make();
      const record = (month: string, streak: number): StoredCoverage => ({
        nik: '1505014107900001',
        tier: 'JKK_JKM',
        month,
        status: 'ACTIVE',
        paidThrough: '2026-01',
        unpaidStreak: streak,
        prior: { status: 'ACTIVE', paidThrough: '2026-01', unpaidStreak: 0 },
      });
      // act
      const first = await store.put('15.05', [record('2026-02', 1)], { month: '2026-02', seq: 2 });
      const older = await store.put('15.05', [record('2026-02', 7)], { month: '2026-02', seq: 1 });
      const olderMonth = await store.put('15.05', [record('2026-01', 8)], { month: '2026-01', seq: 9 });
      const same = await store.put('15.05', [record('2026-02', 2)], { month: '2026-02', seq: 2 });
      const later = await store.put('15.05', [record('2026-03', 3)], { month: '2026-03', seq: 1 });
      // assess
      expect([first, older, olderMonth, same, later].map((o) => o.fenced)).toEqual([0, 1, 1, 0, 0]);
      const states: StoredCoverage[] = [];
      for await (const page of store.list('15.05')) states.push(...page);
      expect(states).toEqual([record('2026-03', 3)]);
    },
  );
});
