import { beforeEach, describe, expect, it } from 'vitest';
import type { Tier } from '#domain/model.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { reconcileMonth } from '#domain/statements.ts';
import { makeAbortAllocation } from '#shared/use-cases/allocation/abort-allocation.ts';
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

const POOL = '15.04';
const RATE: Record<Tier, number> = { JKK_JKM: 16_800, JKK_JKM_JHT: 36_800 };

function setup(chunkSize = 2) {
  const fakes = {
    ledger: new InMemoryCredits(),
    log: new InMemoryAllocationLog(),
    coverage: new InMemoryCoverageStore(),
    plans: new InMemoryPlanStore(),
    workers: new InMemoryWorkers(),
    pools: new InMemoryPools(),
    jobs: new InMemoryJobs(),
  };
  fakes.pools.add(POOL);
  const completed: RunRecord[] = [];
  const allocate = makeAllocatePool({
    ...fakes,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    rates: defaultRateTable,
    chunkSize,
    writeOutputs: async (run) => {
      if (failOutputs.left > 0) {
        failOutputs.left--;
        throw new Error('S3 unavailable');
      }
      completed.push(run);
    },
  });
  const failOutputs = { left: 0 };
  /** Drives one month to completion as the job queue would: one step per message. */
  const runMonth = async (month: string, cause?: string): Promise<RunRecord> => {
    let step: AllocateStep = await allocate({ pool: POOL, month, ...(cause ? { cause } : {}) });
    while (step.state === 'CONTINUING')
      step = await allocate({ pool: POOL, month, cause: `continue:${step.run.runId}` });
    return step.run;
  };
  return { ...fakes, allocate, runMonth, completed, failOutputs };
}

const enrol = (s: ReturnType<typeof setup>, nik: string, tier: Tier = 'JKK_JKM', enrolledOn = '2026-01-01') =>
  s.workers.add(POOL, { nik, name: `Pekerja ${nik}`, tier, enrolledOn });

const fundedNiks = (s: ReturnType<typeof setup>, month: string) =>
  [...s.log.entries.values()]
    .filter((e) => e.month === month)
    .map((e) => e.nik)
    .sort();

describe('allocatePool', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it('funds in policy order across chunks and closes the run with the reconciliation figures', async () => {
    // prepare: 5 waitlisted workers, payroll that sustains 3 of them
    for (const n of ['a', 'b', 'c', 'd', 'e']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { deductions: 3 * 16_800 });
    // act
    const run = await s.runMonth('2026-01');
    // assess: C = 50,400/month, H = 12 → admits while 11·C + balance − r ≥ 11·(need + r)
    expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c']);
    expect(run.status).toBe('COMPLETED');
    expect(run.chunkCount).toBe(3);
    expect(run.cursor).toMatchObject({ funded: 3, allocated: 50_400, balance: 0, admitted: 3 });
    expect(run.available).toBe(50_400);
    expect(s.completed).toHaveLength(1);
  });

  it('lapses an active worker at the 3rd unpaid month, re-queues them, and conserves money', async () => {
    // prepare: w1 was covered through December; no money arrives for three months
    enrol(s, 'w1', 'JKK_JKM_JHT', '2025-06-01');
    await s.coverage.put(
      POOL,
      [
        {
          nik: 'w1',
          tier: 'JKK_JKM_JHT',
          month: '2025-12',
          status: 'ACTIVE',
          paidThrough: '2025-12',
          unpaidStreak: 0,
          prior: { status: 'ACTIVE', paidThrough: '2025-11', unpaidStreak: 0 },
        },
      ],
      { month: '2025-12', seq: 1 },
    );
    const states: string[] = [];
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      const run = await s.runMonth(month);
      const r = s.coverage.records.get(`${POOL}|w1`);
      states.push(`${month}:${r?.status}:${r?.unpaidStreak}:${run.cursor.unfunded}:${run.cursor.lapsed}`);
    }
    // assess: two unfunded months in grace, lapse at the third
    expect(states).toEqual(['2026-01:ACTIVE:1:1:0', '2026-02:ACTIVE:2:1:0', '2026-03:LAPSED:3:1:1']);
    // April: a grant arrives; the lapsed worker is on the waitlist and is admitted (sustainable)
    s.ledger.add(POOL, '2026-04', { grants: 12 * 36_800 });
    const april = await s.runMonth('2026-04');
    expect(fundedNiks(s, '2026-04')).toEqual(['w1']);
    expect(april.cursor).toMatchObject({ admitted: 1, balance: 11 * 36_800 });
    expect(s.coverage.records.get(`${POOL}|w1`)).toMatchObject({ status: 'ACTIVE', unpaidStreak: 0 });
    // conservation: credits = allocations + closing balance
    const allocated = [...s.log.entries.values()].reduce((t, e) => t + e.amount, 0);
    expect(allocated + april.available - april.cursor.allocated).toBe(12 * 36_800);
  });

  it('is safe when the schedule fires twice and a re-run only spends new money', async () => {
    for (const n of ['a', 'b']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { grants: 12 * 16_800 });
    await s.runMonth('2026-01', 'schedule:2026-01-09T23:00:00Z');
    // the same occurrence delivered again, a later occurrence with no new money, a sweep: no new run
    await s.runMonth('2026-01', 'schedule:2026-01-09T23:00:00Z');
    await s.runMonth('2026-01', 'schedule:2026-01-10T23:00:00Z');
    await s.runMonth('2026-01', 'sweep:2026-01-11T01:30:00Z');
    expect(s.log.runs.size).toBe(1);
    expect(fundedNiks(s, '2026-01')).toEqual(['a']);
    // New money for January arrives: the next occurrence re-runs and funds b with it, a stays funded once.
    s.ledger.add(POOL, '2026-01', { grants: 24 * 16_800 });
    await s.runMonth('2026-01', 'continue:15.04/2026-01/001');
    expect(s.log.runs.size).toBe(1);
    const rerun = await s.runMonth('2026-01', 'schedule:2026-01-11T23:00:00Z');
    expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b']);
    expect(rerun.seq).toBe(2);
    expect(rerun.cause).toBe('schedule:2026-01-11T23:00:00Z');
    expect(rerun.cursor.funded).toBe(1);
    const total = [...s.log.entries.values()].reduce((t, e) => t + e.amount, 0);
    expect(total).toBe(2 * 16_800);
  });

  it('resumes after a crash in the middle of a chunk without funding anyone twice', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) enrol(s, n, n < 'c' ? 'JKK_JKM_JHT' : 'JKK_JKM');
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const clean = setup(2);
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) enrol(clean, n, n < 'c' ? 'JKK_JKM_JHT' : 'JKK_JKM');
    clean.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const expected = await clean.runMonth('2026-01');

    s.log.crashAfterWrites = 3;
    await expect(s.runMonth('2026-01')).rejects.toThrow('injected crash');
    const resumed = await s.runMonth('2026-01');
    expect(resumed.cursor).toEqual(expected.cursor);
    expect(fundedNiks(s, '2026-01')).toEqual(fundedNiks(clean, '2026-01'));
    expect(resumed.seq).toBe(1);
  });

  it('never funds an exited worker and refuses to go back to a closed month', async () => {
    enrol(s, 'a');
    s.workers.add(POOL, {
      nik: 'x',
      name: 'X',
      tier: 'JKK_JKM',
      enrolledOn: '2025-01-01',
      exitedOn: '2025-12-31',
    });
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    await s.runMonth('2026-01');
    await s.runMonth('2026-02');
    expect(fundedNiks(s, '2026-01')).toEqual(['a']);
    await expect(s.runMonth('2026-01', 'operator:req-1')).rejects.toThrow(/months run in order/);
    expect(RATE.JKK_JKM).toBe(16_800);
  });

  it('fails clearly for an unknown pool', async () => {
    await expect(s.allocate({ pool: '15.99', month: '2026-01' })).rejects.toThrow(
      /Pool 15.99 is not registered/,
    );
  });

  describe('recovery paths (liveness)', () => {
    const sixWorkers = () => {
      for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) enrol(s, n);
      s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    };

    it('a commit whose answer was lost (applied, the retry conflicts) still sends the continuation', async () => {
      // prepare
      sixWorkers();
      s.log.loseNextCommitAnswer = true;
      // act
      const first = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
      // assess
      expect(first.state).toBe('CONTINUING');
      expect(s.jobs.sent).toEqual([
        { kind: 'ALLOCATE', pool: POOL, month: '2026-01', cause: 'continue:15.04/2026-01/001' },
      ]);
      const run = await s.runMonth('2026-01', 'continue:15.04/2026-01/001');
      expect(run).toMatchObject({ status: 'COMPLETED', nextChunk: 3 });
      expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });

    it('a lost answer on the last chunk still writes the month-end outputs and records them', async () => {
      // prepare
      enrol(s, 'a');
      s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
      s.log.loseNextCommitAnswer = true;
      // act
      const step = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
      // assess
      expect(step.state).toBe('COMPLETED');
      expect(s.completed).toHaveLength(1);
      expect((await s.log.getRun(POOL, '2026-01', 1))?.outputsAt).toBeDefined();
    });

    it('a commit another walker made first is left to that walker: no second continuation', async () => {
      // prepare: a walker reads the run, another walker commits chunk 1 meanwhile
      sixWorkers();
      await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
      const stale = (await s.log.getRun(POOL, '2026-01', 1)) as RunRecord;
      await s.allocate({ pool: POOL, month: '2026-01', cause: 'continue:15.04/2026-01/001' });
      const sentBefore = s.jobs.sent.length;
      // act: the slow walker still sees chunk 1 as next (its read came before the other's commit)
      const listRuns = s.log.listRuns.bind(s.log);
      s.log.listRuns = async () => [stale];
      const step = await s.allocate({ pool: POOL, month: '2026-01', cause: 'continue:15.04/2026-01/001' });
      s.log.listRuns = listRuns;
      // assess
      expect(step.state).toBe('ALREADY_DONE');
      expect(s.jobs.sent.length).toBe(sentBefore);
      expect((await s.log.getRun(POOL, '2026-01', 1))?.nextChunk).toBe(2);
    });

    it('two invocations racing to start a run: the loser continues the winner’s run', async () => {
      // prepare
      sixWorkers();
      // act
      const steps = await Promise.all([
        s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' }),
        s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' }),
      ]);
      const run = await s.runMonth('2026-01', 'continue:15.04/2026-01/001');
      // assess: one run, nobody threw, everyone funded once
      expect(steps.map((x) => x.run.runId)).toEqual(['15.04/2026-01/001', '15.04/2026-01/001']);
      expect(s.log.runs.size).toBe(1);
      expect(run.status).toBe('COMPLETED');
      expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });

    it('a run completed without outputs (the writer failed) gets them from the next request of any kind', async () => {
      // prepare
      enrol(s, 'a');
      s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
      s.failOutputs.left = 1;
      await expect(s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' })).rejects.toThrow('S3');
      expect((await s.log.getRun(POOL, '2026-01', 1))?.status).toBe('COMPLETED');
      // act: a sweep's job
      const step = await s.allocate({ pool: POOL, month: '2026-01', cause: 'sweep:t2' });
      // assess
      expect(step.state).toBe('COMPLETED');
      expect(s.completed).toHaveLength(1);
      expect(s.log.runs.size).toBe(1);
    });

    it('an operator request re-runs a completed month; a foreign allocation stalls the run instead of looping', async () => {
      // prepare
      sixWorkers();
      await s.runMonth('2026-01', 'schedule:t1');
      s.ledger.add(POOL, '2026-01', { grants: 16_800 });
      // a worker of the coming re-run is already funded by some other run (e.g. rules changed mid-run)
      enrol(s, 'g');
      await s.log.writeAllocations([
        {
          pool: POOL,
          month: '2026-01',
          nik: 'g',
          tier: 'JKK_JKM',
          amount: 16_800,
          priority: 'WAITLIST',
          runId: '15.04/2026-01/999',
          name: 'G',
          allocatedAt: 'x',
        },
      ]);
      // act
      const step = await s.allocate({ pool: POOL, month: '2026-01', cause: 'operator:req-7' });
      const again = await s.allocate({ pool: POOL, month: '2026-01', cause: 'sweep:t3' });
      // assess
      expect(step.state).toBe('STALLED');
      expect(step.run.stalled?.reason).toMatch(/already funded for 2026-01 by run 15.04\/2026-01\/999/);
      expect(again.state).toBe('STALLED');
      expect((await s.log.getRun(POOL, '2026-01', 2))?.cause).toBe('operator:req-7');
    });
  });
});

describe('operator abort of a stalled run', () => {
  let s: ReturnType<typeof setup>;
  const FOREIGN = '15.04/2026-01/999';
  const entry = (nik: string, runId: string): AllocationEntry => ({
    pool: POOL,
    month: '2026-01',
    nik,
    tier: 'JKK_JKM',
    amount: 16_800,
    priority: 'WAITLIST',
    runId,
    name: 'X',
    allocatedAt: 'x',
  });
  const abortOf = (x: ReturnType<typeof setup>) =>
    makeAbortAllocation({
      log: x.log,
      jobs: x.jobs,
      plans: x.plans,
      coverage: x.coverage,
      rates: defaultRateTable,
      clock: { now: () => new Date('2026-03-11T02:00:00Z') },
    });
  /** Six funded-for-sure workers in three chunks; chunk 2's first worker already holds another run's entry. */
  async function stalledInChunkTwo(): Promise<{ run: RunRecord; blocked: string; orphan: string }> {
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const first = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
    expect(first.state).toBe('CONTINUING');
    const chunk = await s.plans.readChunk(first.run.planKey, 1);
    const [blocked, orphan] = chunk.map((e) => e.nik) as [string, string];
    await s.log.writeAllocations([entry(blocked, FOREIGN)]);
    const step = await s.allocate({ pool: POOL, month: '2026-01', cause: `continue:${first.run.runId}` });
    expect(step.state).toBe('STALLED');
    return { run: step.run, blocked, orphan };
  }

  beforeEach(() => {
    s = setup();
  });

  it('records who and why, removes the uncommitted chunk, and the re-run completes a balanced month', async () => {
    // prepare
    const { run, blocked, orphan } = await stalledInChunkTwo();
    expect(s.log.entries.get(`${POOL}|2026-01|${orphan}`)?.runId).toBe(run.runId);
    // act
    const out = await abortOf(s)({
      pool: POOL,
      month: '2026-01',
      reason: 'entri asing dari migrasi',
      by: 'ops.ani',
      rerun: true,
    });
    // assess: the abort
    const stored = await s.log.getRun(POOL, '2026-01', 1);
    expect(stored).toMatchObject({
      status: 'ABORTED',
      aborted: { by: 'ops.ani', reason: 'entri asing dari migrasi', at: '2026-03-11T02:00:00.000Z' },
      completedAt: '2026-03-11T02:00:00.000Z',
    });
    expect(out.removed).toBe(1);
    expect(s.log.entries.has(`${POOL}|2026-01|${orphan}`)).toBe(false);
    expect(s.jobs.sent.at(-1)).toEqual({
      kind: 'ALLOCATE',
      pool: POOL,
      month: '2026-01',
      cause: `operator:ops.ani:rerun-after-${run.runId}`,
    });
    // act: the operator removes the cause (the foreign entry) and the re-run job arrives
    s.log.entries.delete(`${POOL}|2026-01|${blocked}`);
    const rerun = await s.runMonth('2026-01', out.rerunCause);
    // assess: the re-run funds only the four left, with the money the aborted run left
    expect(rerun).toMatchObject({ seq: 2, status: 'COMPLETED', allocatedBefore: 2 * 16_800 });
    expect(rerun.cursor.funded).toBe(4);
    expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const runs = await s.log.listRuns(POOL);
    const billed = [...s.log.entries.values()].reduce((t, e) => t + e.amount, 0);
    const rec = reconcileMonth(runs, '2026-01');
    expect(rec).toMatchObject({ status: 'COMPLETED', allocated: billed, balanced: true });
    expect(billed).toBe(6 * 16_800);
    expect(s.completed.map((r) => r.seq)).toEqual([2]);
  });

  it('a re-run replaces an entry an aborted run wrote after the abort, instead of stalling on it', async () => {
    // prepare: aborted without re-run; then the aborted run's slow walker writes its chunk anyway
    const { run, blocked, orphan } = await stalledInChunkTwo();
    await abortOf(s)({ pool: POOL, month: '2026-01', reason: 'r', by: 'ops', rerun: false });
    s.log.entries.delete(`${POOL}|2026-01|${blocked}`);
    await s.log.writeAllocations([entry(orphan, run.runId)]);
    expect(s.jobs.sent.some((j) => j.cause?.startsWith('operator:'))).toBe(false);
    // act
    const rerun = await s.runMonth('2026-01', 'operator:req-9');
    // assess
    expect(rerun.status).toBe('COMPLETED');
    expect(s.log.entries.get(`${POOL}|2026-01|${orphan}`)?.runId).toBe(rerun.runId);
    expect(reconcileMonth(await s.log.listRuns(POOL), '2026-01')?.balanced).toBe(true);
  });

  it("a walker whose chunk commit meets the abort removes that chunk's entries", async () => {
    // prepare: the abort lands between the walker's allocation writes and its commit
    for (const n of ['a', 'b', 'c', 'd']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const first = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
    const commit = s.log.commitChunk.bind(s.log);
    s.log.commitChunk = async (run, from, next) => {
      await abortOf(s)({ pool: POOL, month: '2026-01', reason: 'r', by: 'ops', rerun: false });
      return commit(run, from, next);
    };
    // act
    const step = await s.allocate({ pool: POOL, month: '2026-01', cause: `continue:${first.run.runId}` });
    // assess: only chunk 1's two workers keep entries, exactly what the aborted run's money counts
    expect(step.state).toBe('ALREADY_DONE');
    expect(step.run.status).toBe('ABORTED');
    expect(fundedNiks(s, '2026-01')).toHaveLength(2);
    expect(step.run.cursor.allocated).toBe(2 * 16_800);
  });

  it('refuses without a reason, and when nothing is running', async () => {
    await expect(
      abortOf(s)({ pool: POOL, month: '2026-01', reason: '  ', by: 'ops', rerun: true }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await expect(
      abortOf(s)({ pool: POOL, month: '2026-01', reason: 'x', by: 'ops', rerun: true }),
    ).rejects.toMatchObject({ code: 'NO_RUNNING_RUN' });
    await expect(
      abortOf(s)({ pool: POOL, month: '2026-01', reason: 'x', by: 'an operator', rerun: true }),
    ).rejects.toMatchObject({ code: 'OPERATOR_ID_INVALID' });
  });

  it('refuses to abort a run that is moving, so no walker is cut half way through a chunk', async () => {
    // prepare: four workers in two chunks; chunk 1 committed a minute ago
    for (const n of ['a', 'b', 'c', 'd']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const first = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
    const soon = makeAbortAllocation({
      log: s.log,
      jobs: s.jobs,
      plans: s.plans,
      coverage: s.coverage,
      rates: defaultRateTable,
      clock: { now: () => new Date(Date.parse(first.run.updatedAt ?? '') + 60_000) },
    });
    // act
    const refused = soon({ pool: POOL, month: '2026-01', reason: 'r', by: 'ops', rerun: true });
    // assess: refused, the run untouched, and it completes with all four on the bill and in coverage
    await expect(refused).rejects.toMatchObject({ code: 'RUN_NOT_STALLED' });
    const run = await s.runMonth('2026-01', `continue:${first.run.runId}`);
    expect(run.status).toBe('COMPLETED');
    expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c', 'd']);
    const paid = [...s.coverage.records.values()]
      .filter((r) => r.paidThrough === '2026-01')
      .map((r) => r.nik);
    expect(paid.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it("a walker that died after its chunk commit: the abort writes that chunk's coverage, the re-run bills the rest", async () => {
    // prepare: chunk 1 committed; chunk 2's walker dies between its commit and its coverage; an hour passes
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) enrol(s, n);
    s.ledger.add(POOL, '2026-01', { grants: 10_000_000 });
    const first = await s.allocate({ pool: POOL, month: '2026-01', cause: 'schedule:t1' });
    const put = s.coverage.put.bind(s.coverage);
    s.coverage.put = async () => {
      s.coverage.put = put;
      throw new Error('Lambda timed out');
    };
    await expect(
      s.allocate({ pool: POOL, month: '2026-01', cause: `continue:${first.run.runId}` }),
    ).rejects.toThrow('Lambda timed out');
    expect((await s.log.getRun(POOL, '2026-01', 1))?.uncovered?.chunk).toBe(1);
    // act: ops abort the idle run (the abort's clock is a day later) and the re-run job arrives
    const out = await abortOf(s)({ pool: POOL, month: '2026-01', reason: 'r', by: 'ops', rerun: true });
    const rerun = await s.runMonth('2026-01', out.rerunCause);
    // assess: coverage paid for exactly the billed workers; the re-run funded only the last chunk
    expect(rerun).toMatchObject({ status: 'COMPLETED', seq: 2 });
    expect(rerun.cursor.funded).toBe(2);
    expect(fundedNiks(s, '2026-01')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const paid = [...s.coverage.records.values()]
      .filter((r) => r.paidThrough === '2026-01')
      .map((r) => r.nik);
    expect(paid.sort()).toEqual(fundedNiks(s, '2026-01'));
  });
});
