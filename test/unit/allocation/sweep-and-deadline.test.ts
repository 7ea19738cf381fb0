import { describe, expect, it } from 'vitest';
import { allocationAlerts } from '#domain/alerts.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import {
  makeSweepAllocations,
  SWEEP_CONCURRENCY,
  type SweepJob,
  sweepFindings,
} from '#shared/use-cases/allocation/sweep-allocations.ts';
import { InMemoryAllocationLog, InMemoryJobs, InMemoryPools } from '#test/support/in-memory-allocation.ts';
import { runRecord } from '#test/support/run-records.ts';

/** Run 1 of March 2026, RUNNING at chunk 2 of 4, last commit 06:05 WIB on the 10th. */
const run = (over: Partial<RunRecord>): RunRecord =>
  runRecord({
    month: '2026-03',
    seq: 1,
    status: 'RUNNING',
    startedAt: '2026-03-09T23:00:00.000Z',
    updatedAt: '2026-03-09T23:05:00.000Z',
    completedAt: undefined,
    chunkCount: 4,
    nextChunk: 2,
    ...over,
  });
const opts = { allocationStart: { day: 10, hour: 6, minute: 0 }, idleMs: 20 * 60_000 };
// 2026-03-10 07:30 WIB
const tenth = new Date('2026-03-10T00:30:00.000Z');

describe('sweepFindings', () => {
  it('resumes a RUNNING run idle past the threshold, and only then', () => {
    expect(sweepFindings('15.04', [run({})], tenth, opts)).toEqual([
      { pool: '15.04', month: '2026-03', what: 'RESUMED_IDLE_RUN' },
    ]);
    const busy = run({ updatedAt: '2026-03-10T00:20:00.000Z' });
    expect(sweepFindings('15.04', [busy], tenth, opts)).toEqual([]);
  });

  it('finishes a completed run whose outputs are missing, leaves a stalled run to ops', () => {
    const completed = run({ status: 'COMPLETED', completedAt: '2026-03-09T23:06:00.000Z' });
    expect(sweepFindings('15.04', [completed], tenth, opts).map((f) => f.what)).toEqual(['OUTPUTS_MISSING']);
    const done = { ...completed, outputsAt: '2026-03-09T23:07:00.000Z' };
    expect(sweepFindings('15.04', [done], tenth, opts)).toEqual([]);
    const stalled = run({ stalled: { at: 't', reason: 'r' } });
    expect(sweepFindings('15.04', [stalled], tenth, opts).map((f) => f.what)).toEqual(['STALLED']);
  });

  it('starts a missing run once the monthly schedule is past (its fan-out job was lost), never before', () => {
    const february = run({ month: '2026-02', status: 'COMPLETED', completedAt: 'x', outputsAt: 'y' });
    expect(sweepFindings('15.04', [february], tenth, opts)).toEqual([
      { pool: '15.04', month: '2026-03', what: 'STARTED_MISSING_RUN' },
    ]);
    const ninth = new Date('2026-03-09T03:00:00.000Z');
    expect(sweepFindings('15.04', [february], ninth, opts)).toEqual([]);
    // 05:30 WIB on the 10th: the schedule (06:00) has not fired yet, so the month is not late
    const beforeSchedule = new Date('2026-03-09T22:30:00.000Z');
    expect(sweepFindings('15.04', [february], beforeSchedule, opts)).toEqual([]);
    // 06:10 WIB: within the grace after the schedule
    expect(sweepFindings('15.04', [february], new Date('2026-03-09T23:10:00.000Z'), opts)).toEqual([]);
    expect(sweepFindings('15.04', [], tenth, opts).map((f) => f.what)).toEqual(['STARTED_MISSING_RUN']);
  });

  it('sends one job per finding with the sweep as its cause, over every registered pool', async () => {
    // prepare
    const pools = new InMemoryPools();
    pools.add('15.04');
    pools.add('15.04.01.2001');
    const log = new InMemoryAllocationLog();
    await log.createRun(run({}));
    const jobs = new InMemoryJobs();
    const continued: SweepJob[] = [];
    const continuation = { send: async (j: SweepJob) => void continued.push(j) };
    // act
    const findings = await makeSweepAllocations({ pools, continuation, log, jobs, ...opts })(tenth);
    // assess
    expect(findings).toHaveLength(2);
    expect(jobs.sent).toEqual([
      { kind: 'ALLOCATE', pool: '15.04', month: '2026-03', cause: `sweep:${tenth.toISOString()}` },
      { kind: 'ALLOCATE', pool: '15.04.01.2001', month: '2026-03', cause: `sweep:${tenth.toISOString()}` },
    ]);
    expect(continued).toEqual([]);
  });

  it('sweeps one page of pools per step and continues after its last code, as of the same instant', async () => {
    // prepare: five pools with no run, pages of two
    const pools = new InMemoryPools();
    for (const p of ['15.04', '15.04.01.2001', '15.04.01.2002', '15.05', '15.06']) pools.add(p);
    const jobs = new InMemoryJobs();
    const continued: SweepJob[] = [];
    const continuation = { send: async (j: SweepJob) => void continued.push(j) };
    const sweep = makeSweepAllocations({
      pools,
      continuation,
      log: new InMemoryAllocationLog(),
      jobs,
      pageSize: 2,
      ...opts,
    });
    // act: the first step, then each continuation as the queue would deliver it
    await sweep(tenth);
    for (let i = 0; i < continued.length; i++) {
      const next = continued[i] as SweepJob;
      await sweep(new Date(next.scheduledTime as string), next.after);
    }
    // assess: every pool swept once, in three steps, all judged as of the first step's instant
    expect(jobs.sent.map((j) => j.pool)).toEqual([
      '15.04',
      '15.04.01.2001',
      '15.04.01.2002',
      '15.05',
      '15.06',
    ]);
    expect(new Set(jobs.sent.map((j) => j.cause))).toEqual(new Set([`sweep:${tenth.toISOString()}`]));
    expect(continued).toEqual([
      { kind: 'SWEEP', scheduledTime: tenth.toISOString(), after: '15.04.01.2001' },
      { kind: 'SWEEP', scheduledTime: tenth.toISOString(), after: '15.05' },
    ]);
  });
});

describe('sweep step concurrency', () => {
  it(`reads up to ${SWEEP_CONCURRENCY} pools at once, never more, and keeps findings in code order`, async () => {
    // prepare: 25 pools with no run; a log that counts reads in flight
    const pools = new InMemoryPools();
    const codes = Array.from({ length: 25 }, (_, i) => `15.04.01.${2001 + i}`);
    for (const p of codes) pools.add(p);
    const inner = new InMemoryAllocationLog();
    let inFlight = 0;
    let most = 0;
    const log = {
      listRuns: async (pool: string) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return inner.listRuns(pool);
      },
    };
    const jobs = new InMemoryJobs();
    const continuation = { send: async () => undefined };
    // act
    const findings = await makeSweepAllocations({ pools, continuation, log, jobs, ...opts })(tenth);
    // assess
    expect(most).toBe(SWEEP_CONCURRENCY);
    expect(findings.map((f) => f.pool)).toEqual(codes);
    expect(jobs.sent.map((j) => j.pool).sort()).toEqual(codes);
  });
});

describe('allocationAlerts', () => {
  it('raises ALLOCATION_LATE from the last working day before the due date when the month is not done', () => {
    // 15 March 2026 is a Sunday: BPJS's due date is Monday the 16th, the deadline Friday the 13th.
    const running = run({});
    expect(allocationAlerts('15.04', [running], '2026-03-12')).toEqual([]);
    const late = allocationAlerts('15.04', [running], '2026-03-13');
    expect(late).toMatchObject([
      {
        kind: 'ALLOCATION_LATE',
        id: 'ALLOCATION_LATE#15.04#15.04#2026-03',
        severity: 'CRITICAL',
        daysUntilDue: 3,
        details: { state: 'running at chunk 2/4', run: '15.04/2026-03/001' },
      },
    ]);
    const noOutputs = run({ status: 'COMPLETED', completedAt: 'x' });
    expect(allocationAlerts('15.04', [noOutputs], '2026-03-14')[0]?.details.state).toMatch(/not written/);
    expect(allocationAlerts('15.04', [], '2026-03-14')[0]?.details.state).toBe('no run');
    expect(allocationAlerts('15.04', [{ ...noOutputs, outputsAt: 'y' }], '2026-03-14')).toEqual([]);
  });

  it('raises ALLOCATION_STALLED with the cause, whatever the date', () => {
    const stalled = run({
      stalled: { at: '2026-03-10T00:00:00.000Z', reason: 'chunk 3/4: 2 worker(s) already funded' },
    });
    expect(allocationAlerts('15.04', [stalled], '2026-03-10')).toMatchObject([
      { kind: 'ALLOCATION_STALLED', details: { reason: 'chunk 3/4: 2 worker(s) already funded' } },
    ]);
  });
});
