import { describe, expect, it } from 'vitest';
import { isInArea, levelOf, parentOf, settingsProblem } from '#domain/pools.ts';
import { makeFanOutAllocation } from '#shared/use-cases/allocation/fan-out-allocation.ts';
import { makeFanOutScans } from '#shared/use-cases/fan-out-scans.ts';
import { makePoolAdmin } from '#shared/use-cases/pool-admin.ts';
import { InMemoryScanJobs } from '#test/support/in-memory-alerts.ts';
import { InMemoryJobs, InMemoryPools } from '#test/support/in-memory-allocation.ts';

/** 2,503 village pools of one regency: 15.04.01.2001 ... */
const villages = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `15.04.${String((i % 8) + 1).padStart(2, '0')}.${2001 + Math.floor(i / 8)}`,
  );

describe('the paged fan-out', () => {
  it('sends one ALLOCATE per pool over a chain of short steps, each job once, with the schedule’s cause', async () => {
    // prepare
    const pools = new InMemoryPools();
    for (const p of villages(2_503)) pools.add(p);
    const jobs = new InMemoryJobs();
    const fanOut = makeFanOutAllocation({
      pools,
      jobs,
      clock: { now: () => new Date('2023-01-09T23:00:00Z') },
      pageSize: 1_000,
    });
    const cause = 'schedule:2023-01-09T23:00:00Z';
    // act: run the chain as the queue would, each continuation in its own invocation
    const steps = [await fanOut({ month: '2023-01', cause })];
    while (jobs.fanOuts.length > 0) {
      const next = jobs.fanOuts.shift();
      if (next?.kind !== 'FAN_OUT' || next.month === undefined) throw new Error('bad continuation');
      steps.push(
        await fanOut({
          month: next.month,
          ...(next.cause ? { cause: next.cause } : {}),
          ...(next.after ? { after: next.after } : {}),
        }),
      );
    }
    // assess
    expect(steps.map((s) => s.pools)).toEqual([1_000, 1_000, 503]);
    expect(steps.at(-1)?.next).toBeUndefined();
    expect(jobs.sent).toHaveLength(2_503);
    expect(new Set(jobs.sent.map((j) => j.pool)).size).toBe(2_503);
    expect(jobs.sent.every((j) => j.cause === cause && j.month === '2023-01')).toBe(true);
  });

  it('a page delivered twice sends the same jobs again (no-ops by their cause), nothing new', async () => {
    const pools = new InMemoryPools();
    for (const p of villages(30)) pools.add(p);
    const jobs = new InMemoryJobs();
    const fanOut = makeFanOutAllocation({
      pools,
      jobs,
      clock: { now: () => new Date('2023-01-09T23:00:00Z') },
      pageSize: 10,
    });
    const first = await fanOut({ month: '2023-02', cause: 'schedule:x' });
    const again = await fanOut({ month: '2023-02', cause: 'schedule:x' });
    expect(again).toEqual(first);
    expect(jobs.sent.slice(10)).toEqual(jobs.sent.slice(0, 10));
    expect(jobs.fanOuts).toEqual([
      { kind: 'FAN_OUT', month: '2023-02', cause: 'schedule:x', after: first.next },
      { kind: 'FAN_OUT', month: '2023-02', cause: 'schedule:x', after: first.next },
    ]);
  });

  it('the daily scan fan-out fixes the date on the first page and carries it down the chain', async () => {
    const pools = new InMemoryPools();
    for (const p of villages(25)) pools.add(p);
    const jobs = new InMemoryScanJobs();
    const fanOut = makeFanOutScans({
      pools,
      jobs,
      clock: { now: () => new Date('2030-01-01T00:00:00Z') },
      pageSize: 10,
    });
    const first = await fanOut({ scheduledTime: '2023-03-01T00:00:00Z' });
    const cont = jobs.fanOuts[0];
    if (cont?.kind !== 'FAN_OUT') throw new Error('no continuation');
    const second = await fanOut({
      ...(cont.date ? { date: cont.date } : {}),
      ...(cont.after ? { after: cont.after } : {}),
    });
    expect([first.date, second.date]).toEqual(['2023-03-01', '2023-03-01']);
    expect(jobs.sent.slice(0, 20).map((j) => j.pool)).toEqual(villages(25).sort().slice(0, 20));
  });
});

describe('pool codes and settings', () => {
  it('reads the level and parent from the code, and an area prefix exactly', () => {
    expect(['15', '15.04', '15.04.01', '15.04.01.2001'].map(levelOf)).toEqual([
      'PROVINCE',
      'REGENCY',
      'DISTRICT',
      'VILLAGE',
    ]);
    expect(parentOf('15.04.01.2001')).toBe('15.04.01');
    expect(parentOf('15')).toBeUndefined();
    expect(isInArea('15.04.01.2001', '15.04')).toBe(true);
    expect(isInArea('15.04', '15.04')).toBe(true);
    expect(isInArea('15.05.01', '15.0')).toBe(false);
    expect(isInArea('16.04', '15')).toBe(false);
  });

  it('refuses a level that is not the code’s and a parent that is not above it', () => {
    expect(settingsProblem('15.04.01.2001', { level: 'VILLAGE', parent: '15.04' })).toBeUndefined();
    expect(settingsProblem('15.04.01.2001', { level: 'DISTRICT' })).toContain('does not match');
    expect(settingsProblem('15.04', { parent: '15.04' })).toContain('not an area above');
    expect(settingsProblem('15.04', { parent: '16' })).toContain('not an area above');
  });

  it('pool admin: add keeps defaults for what is not given; set changes only what is given', async () => {
    const stored = new Map<string, import('#domain/pools.ts').PoolRecord>();
    const admin = makePoolAdmin({
      clock: { now: () => new Date('2023-01-02T03:00:00Z') },
      pools: {
        ensure: async () => 'EXISTS',
        create: async (r) => {
          if (stored.has(r.pool)) return 'EXISTS';
          stored.set(r.pool, r);
          return 'CREATED';
        },
        replace: async (r) => {
          stored.set(r.pool, r);
        },
        get: async (p) => stored.get(p),
        page: async () => ({ pools: [...stored.values()] }),
      },
    });
    const added = await admin.add('15.04.01.2001', { name: 'Desa A', horizonMonths: 6 });
    const set = await admin.set('15.04.01.2001', { fileCutoffDay: 7 });
    await expect(admin.add('15.04.01.2001', {})).rejects.toMatchObject({ code: 'POOL_EXISTS' });
    await expect(admin.set('15.04.01.2009', { fileCutoffDay: 7 })).rejects.toMatchObject({
      code: 'POOL_UNKNOWN',
    });
    expect(added).toMatchObject({
      level: 'VILLAGE',
      parent: '15.04.01',
      horizonMonths: 6,
      fileCutoffDay: 5,
      runwayAlertMonths: 2,
    });
    expect(set).toMatchObject({
      name: 'Desa A',
      horizonMonths: 6,
      fileCutoffDay: 7,
      updatedAt: '2023-01-02T03:00:00.000Z',
    });
  });
});
