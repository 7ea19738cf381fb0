import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

const receiveBodies = async (url: string): Promise<unknown[]> => {
  const { clients } = cloud();
  const bodies: unknown[] = [];
  while (true) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body ?? 'null')));
  }
};

describe('schedules on a simulated clock', () => {
  it('a simulated January fires the monthly allocation once and the daily scan every day', async () => {
    const { names, scheduler } = cloud();
    // Midnight WIB on 1 January 2026 = 17:00 UTC on 31 December 2025.
    const clock = new SimulatedClock(new Date('2025-12-31T17:00:00Z'));

    // Every occurrence, as EventBridge sends them (advance would coalesce the sweeps of one jump).
    const fired = await scheduler.fireBetween(clock.now(), new Date('2026-01-31T17:00:00Z'));
    clock.advanceTo(new Date('2026-01-31T17:00:00Z'));

    expect(clock.now().toISOString()).toBe('2026-01-31T17:00:00.000Z');
    // Day 10, 06:00 WIB is 23:00 UTC on the 9th.
    const jobs = (await receiveBodies(names.queues.allocationJobs.url)) as { kind: string }[];
    expect(jobs.filter((j) => j.kind === 'FAN_OUT')).toEqual([
      { kind: 'FAN_OUT', scheduledTime: '2026-01-09T23:00:00.000Z' },
    ]);
    // The sweeper: hourly on the 10th-14th (5 × 24) and daily (31).
    expect(jobs.filter((j) => j.kind === 'SWEEP')).toHaveLength(5 * 24 + 31);
    const scans = await receiveBodies(names.queues.scanJobs.url);
    const expectedScans = Array.from({ length: 31 }, (_, i) => ({
      kind: 'FAN_OUT',
      // 07:00 WIB is 00:00 UTC the same day.
      scheduledTime: new Date(Date.UTC(2026, 0, i + 1)).toISOString(),
    }));
    expect(scans).toHaveLength(31);
    expect(scans).toEqual(expect.arrayContaining(expectedScans));
    expect(fired.map((f) => f.scheduledTime)).toEqual([...fired.map((f) => f.scheduledTime)].sort());
  });

  it('stepping the clock fires each occurrence exactly once', async () => {
    const { names, scheduler } = cloud();
    const clock = new SimulatedClock(new Date('2026-03-09T22:00:00Z'));

    const first = await scheduler.advance(clock, new Date('2026-03-09T23:00:00Z'));
    const second = await scheduler.advance(clock, new Date('2026-03-09T23:29:00Z'));

    // 05:30 WIB the daily and the first hourly sweep of the 10th, 06:00 WIB the monthly allocation;
    // nothing more before 06:30 WIB.
    expect(first.map((f) => f.schedule).sort()).toEqual([
      'allocationSweepDaily',
      'allocationSweepHourly',
      'monthlyAllocation',
    ]);
    expect(second).toEqual([]);
    expect(await receiveBodies(names.queues.allocationJobs.url)).toHaveLength(3);
  });

  it('a jump of simulated time sends only the latest sweep, and every other occurrence', async () => {
    const { names, scheduler } = cloud();
    const clock = new SimulatedClock(new Date('2026-03-09T22:00:00Z'));
    // act: from 05:00 WIB on the 10th to 07:00 WIB on the 12th in one jump
    const fired = await scheduler.advance(clock, new Date('2026-03-12T00:00:00Z'));
    // assess: 3 daily scans, 1 monthly allocation, and of the 43 hourly and 3 daily sweeps only the last
    const timesOf = (name: string) => fired.filter((f) => f.schedule === name).map((f) => f.scheduledTime);
    expect(timesOf('dailyScan')).toHaveLength(3);
    expect(timesOf('monthlyAllocation')).toHaveLength(1);
    expect(timesOf('allocationSweepHourly')).toEqual(['2026-03-11T23:30:00.000Z']);
    expect(timesOf('allocationSweepDaily')).toEqual(['2026-03-11T22:30:00.000Z']);
    expect(await receiveBodies(names.queues.allocationJobs.url)).toHaveLength(3);
  });

  it('real-time mode fires what comes due on the clock it watches', async () => {
    const { names, scheduler } = cloud();
    const clock = new SimulatedClock(new Date('2026-02-09T22:59:00Z'));
    const run = scheduler.startRealTime({ clock, tickMs: 10 });

    clock.advanceTo(new Date('2026-02-09T23:00:00Z'));
    let bodies: unknown[] = [];
    for (let i = 0; i < 200 && bodies.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      bodies = await receiveBodies(names.queues.allocationJobs.url);
    }
    await run.stop();

    expect(bodies).toEqual([{ kind: 'FAN_OUT', scheduledTime: '2026-02-09T23:00:00.000Z' }]);
  });
});
