import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransientError, ValidationError } from '#domain/errors.ts';
import { makeHandler } from '#functions/allocate-pool/handler.ts';
import type { AllocateStep } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeFanOutAllocation } from '#shared/use-cases/allocation/fan-out-allocation.ts';
import { InMemoryJobs, InMemoryPools } from '#test/support/in-memory-allocation.ts';
import { ingestContext, makeSqsEvent } from '../ingest/sqs-event.ts';

const world = () => {
  const pools = new InMemoryPools();
  pools.add('15.04');
  pools.add('15.05');
  const jobs = new InMemoryJobs();
  const clock = { now: () => new Date('2026-04-10T00:00:00Z') };
  return { pools, jobs, clock, fanOut: makeFanOutAllocation({ pools, jobs, clock }) };
};

afterEach(() => vi.restoreAllMocks());

describe('allocation fan-out', () => {
  it('asks every pool for the Jakarta month of the schedule, under the occurrence as its cause', async () => {
    const w = world();

    // 23:00 UTC on 31 January is 06:00 WIB on 1 February: February's month.
    const result = await w.fanOut({ scheduledTime: '2026-01-31T23:00:00Z' });

    expect(result).toEqual({ pools: 2, month: '2026-02', cause: 'schedule:2026-01-31T23:00:00Z' });
    expect(w.jobs.sent).toEqual([
      { kind: 'ALLOCATE', pool: '15.04', month: '2026-02', cause: 'schedule:2026-01-31T23:00:00Z' },
      { kind: 'ALLOCATE', pool: '15.05', month: '2026-02', cause: 'schedule:2026-01-31T23:00:00Z' },
    ]);
  });

  it("keeps an operator's month and cause, and uses the clock's month when nothing is given", async () => {
    const w = world();

    const operator = await w.fanOut({ month: '2026-03', cause: 'operator:ops-1', scheduledTime: 'x' });
    const bare = await w.fanOut({});

    expect(operator).toEqual({ pools: 2, month: '2026-03', cause: 'operator:ops-1' });
    expect(bare).toEqual({ pools: 2, month: '2026-04' });
    expect(w.jobs.sent.slice(2)).toEqual([
      { kind: 'ALLOCATE', pool: '15.04', month: '2026-04' },
      { kind: 'ALLOCATE', pool: '15.05', month: '2026-04' },
    ]);
  });

  it('refuses a scheduledTime that is not an instant as poison, sending nothing', async () => {
    const w = world();

    await expect(w.fanOut({ scheduledTime: 'yesterday' })).rejects.toMatchObject({
      name: 'PoisonMessageError',
      code: 'SCHEMA',
    });
    expect(w.jobs.sent).toEqual([]);
  });
});

describe('allocate-pool handler error policy', () => {
  const quiet = () => {
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockReturnValue(true);
  };
  const allocateJob = (month: string) => JSON.stringify({ kind: 'ALLOCATE', pool: '15.04', month });

  it('drops a job that breaks a rule, retries one that failed for a passing reason', async () => {
    quiet();
    const w = world();
    const allocate = vi.fn(async (job: { month: string }): Promise<AllocateStep> => {
      throw job.month === '2026-01'
        ? new ValidationError('month 2026-01 is closed', { code: 'MONTH_CLOSED' })
        : new TransientError('throttled');
    });
    const lambda = makeHandler({ allocate, fanOut: w.fanOut, sweep: async () => [], clock: w.clock });

    const result = await lambda(
      makeSqsEvent([allocateJob('2026-01'), allocateJob('2026-02'), '{"kind":"ALLOCATE"}']),
      ingestContext(),
    );

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2']);
    expect(allocate).toHaveBeenCalledTimes(2);
  });

  it('fans a scheduled FAN_OUT out through the use case', async () => {
    quiet();
    const w = world();
    const lambda = makeHandler({
      allocate: vi.fn(),
      fanOut: w.fanOut,
      sweep: async () => [],
      clock: w.clock,
    });

    const result = await lambda(
      makeSqsEvent([JSON.stringify({ kind: 'FAN_OUT', scheduledTime: '2026-05-09T23:00:00.000Z' })]),
      ingestContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(w.jobs.sent.map((j) => [j.pool, j.month, j.cause])).toEqual([
      ['15.04', '2026-05', 'schedule:2026-05-09T23:00:00.000Z'],
      ['15.05', '2026-05', 'schedule:2026-05-09T23:00:00.000Z'],
    ]);
  });
});
