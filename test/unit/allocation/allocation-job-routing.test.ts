import { describe, expect, it } from 'vitest';
import type { AllocationJob } from '#domain/messages.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { AllocateStep } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeFinishAllocationMonth } from '#shared/use-cases/allocation/finish-allocation-month.ts';
import { makeRunAllocationJob } from '#shared/use-cases/allocation/run-allocation-job.ts';
import { runRecord } from '#test/support/run-records.ts';

const NOW = new Date('2026-04-12T03:00:00Z');

const routed = () => {
  const calls: unknown[][] = [];
  const run = runRecord({ month: '2026-04', seq: 1 });
  const step: AllocateStep = { run, state: 'CONTINUING' };
  const route = makeRunAllocationJob({
    allocate: async (job) => {
      calls.push(['allocate', job]);
      return step;
    },
    fanOut: async (request) => {
      calls.push(['fanOut', request]);
      return { pools: 2, month: '2026-04', next: '15.05' };
    },
    sweep: async (now, after) => {
      calls.push(['sweep', now.toISOString(), after]);
      return [{ pool: '15.04', month: '2026-04', what: 'RESUMED_IDLE_RUN' }];
    },
    apportion: async (q) => {
      calls.push(['apportion', q]);
    },
    clock: { now: () => NOW },
  });
  return { calls, route, step };
};

describe('runAllocationJob: one job to the use case its kind names', () => {
  it('fans out, carrying the page it started after', async () => {
    const { calls, route } = routed();
    const job = { kind: 'FAN_OUT', month: '2026-04', after: '15.03' } as AllocationJob;

    expect(await route(job)).toEqual({
      kind: 'FAN_OUT',
      result: { pools: 2, month: '2026-04', next: '15.05' },
      after: '15.03',
    });
    expect(calls).toEqual([['fanOut', job]]);
  });

  it('sweeps as of the occurrence when the schedule sent it, else as of the clock', async () => {
    const { calls, route } = routed();

    await route({ kind: 'SWEEP', scheduledTime: '2026-04-11T22:30:00Z' } as AllocationJob);
    const outcome = await route({ kind: 'SWEEP', after: '15.04' } as AllocationJob);

    expect(outcome).toEqual({
      kind: 'SWEEP',
      findings: [{ pool: '15.04', month: '2026-04', what: 'RESUMED_IDLE_RUN' }],
    });
    expect(calls).toEqual([
      ['sweep', '2026-04-11T22:30:00.000Z', undefined],
      ['sweep', NOW.toISOString(), '15.04'],
    ]);
  });

  it('apportions the named month, and steps a run with its cause only when it has one', async () => {
    const { calls, route, step } = routed();

    expect(await route({ kind: 'APPORTION', pool: '15.04', month: '2026-03' } as AllocationJob)).toEqual({
      kind: 'APPORTION',
      pool: '15.04',
      month: '2026-03',
    });
    expect(await route({ kind: 'ALLOCATE', pool: '15.04', month: '2026-04' } as AllocationJob)).toEqual({
      kind: 'ALLOCATE',
      step,
    });
    await route({ kind: 'ALLOCATE', pool: '15.04', month: '2026-04', cause: 'sweep:x' } as AllocationJob);

    expect(calls).toEqual([
      ['apportion', { pool: '15.04', month: '2026-03' }],
      ['allocate', { pool: '15.04', month: '2026-04' }],
      ['allocate', { pool: '15.04', month: '2026-04', cause: 'sweep:x' }],
    ]);
  });
});

describe('finishAllocationMonth: what a completed run leaves behind', () => {
  it('writes outputs, apportions the month and each late-earmarked month, then summary and closing', async () => {
    const calls: string[] = [];
    const finish = makeFinishAllocationMonth({
      listRuns: async () => [],
      writeMonthOutputs: async (run) => void calls.push(`outputs ${run.month}`),
      apportion: async (q) => void calls.push(`apportion ${q.pool} ${q.month}`),
      writeSummary: async (run) => void calls.push(`summary ${run.month}`),
      writeClosing: async (pool) => void calls.push(`closing ${pool}`),
    });
    const run: RunRecord = {
      ...runRecord({ month: '2026-04', seq: 1 }),
      lateEarmarks: [
        { period: '2026-02', earmarks: 3 },
        { period: '2026-03', earmarks: 1 },
      ],
    };

    await finish(run);

    expect(calls).toEqual([
      'outputs 2026-04',
      `apportion ${run.pool} 2026-04`,
      `apportion ${run.pool} 2026-02`,
      `apportion ${run.pool} 2026-03`,
      'summary 2026-04',
      `closing ${run.pool}`,
    ]);
  });

  it('reads the pool runs once and hands the same read to outputs, shares and summary', async () => {
    const run = runRecord({ month: '2026-04', seq: 1 });
    const stored = [runRecord({ month: '2026-03', seq: 1 }), run];
    const reads: string[] = [];
    const seen: (readonly RunRecord[] | undefined)[] = [];
    const finish = makeFinishAllocationMonth({
      listRuns: async (pool) => {
        reads.push(pool);
        return stored;
      },
      writeMonthOutputs: async (_run, runs) => void seen.push(runs),
      apportion: async (q) => void seen.push(q.runs),
      writeSummary: async (_run, runs) => void seen.push(runs),
      writeClosing: async () => {},
    });

    await finish(run);

    expect(reads).toEqual([run.pool]);
    expect(seen).toEqual([stored, stored, stored]);
  });

  it('stops at the first step that fails, so the run is finished again on its next delivery', async () => {
    const calls: string[] = [];
    const finish = makeFinishAllocationMonth({
      listRuns: async () => [],
      writeMonthOutputs: async () => void calls.push('outputs'),
      apportion: async () => {
        throw new Error('DynamoDB busy');
      },
      writeSummary: async () => void calls.push('summary'),
      writeClosing: async () => void calls.push('closing'),
    });

    await expect(finish(runRecord({ month: '2026-04', seq: 1 }))).rejects.toThrow('DynamoDB busy');
    expect(calls).toEqual(['outputs']);
  });
});
