import { describe, expect, it } from 'vitest';
import { fundableIn } from '#domain/allocation-policy.ts';
import { earmarkMonth, honoursEarmark, type RunSeen } from '#domain/late-earmarks.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { defaultRateTable } from '#domain/rates.ts';
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

/**
 * The two policy edges of docs/design.md: the month a worker leaves is funded
 * (#the-month-a-worker-leaves), and a late file's earmarks travel with its money to the next run
 * (#earmarks-travel-with-the-money). On the pure policy, then through allocatePool with fakes.
 */

const POOL = '15.04';
const enrolled = { enrolledOn: '2025-06-01' };

describe('fundableIn: the month a worker leaves', () => {
  it.each([
    ['the 1st', '2026-03-01'],
    ['the 2nd', '2026-03-02'],
    ['mid-month', '2026-03-15'],
    ['the last day', '2026-03-31'],
  ])('funds the month that contains an exit on %s, and never a month after', (_, exitedOn) => {
    const w = { ...enrolled, exitedOn };
    expect(fundableIn(w, '2026-02')).toBe(true);
    expect(fundableIn(w, '2026-03')).toBe(true);
    expect(fundableIn(w, '2026-04')).toBe(false);
    expect(fundableIn(w, '2027-01')).toBe(false);
  });

  it('does not fund the month after an exit on the last day of the month before', () => {
    const w = { ...enrolled, exitedOn: '2026-02-28' };
    expect(fundableIn(w, '2026-02')).toBe(true);
    expect(fundableIn(w, '2026-03')).toBe(false);
  });

  it('funds from the month of enrolment, whatever its day, and without an exit for good', () => {
    expect(fundableIn({ enrolledOn: '2026-03-31' }, '2026-02')).toBe(false);
    expect(fundableIn({ enrolledOn: '2026-03-31' }, '2026-03')).toBe(true);
    expect(fundableIn({ enrolledOn: '2026-03-31' }, '2030-12')).toBe(true);
    // Enrolled and leaving in the same month: that one month.
    const brief = { enrolledOn: '2026-03-05', exitedOn: '2026-03-20' };
    expect(['2026-02', '2026-03', '2026-04'].filter((m) => fundableIn(brief, m))).toEqual(['2026-03']);
  });
});

const run = (month: string, startedAt: string, status: RunSeen['status'] = 'COMPLETED'): RunSeen => ({
  month,
  startedAt,
  status,
});
const JAN_RUN = run('2026-01', '2026-01-10T00:00:00.000Z');
const FEB_RUN = run('2026-02', '2026-02-09T23:00:00.000Z');

describe('late earmarks: which run honours an earmark', () => {
  const onTime = { period: '2026-01', recordedAt: '2026-01-03T01:00:00.000Z' };
  const late = { period: '2026-01', recordedAt: '2026-01-20T01:00:00.000Z' };

  it("honours an on-time earmark in its own month's runs only", () => {
    expect(honoursEarmark(onTime, '2026-01', [])).toBe(true);
    expect(honoursEarmark(onTime, '2026-01', [JAN_RUN])).toBe(true); // a re-run of January
    expect(honoursEarmark(onTime, '2026-02', [JAN_RUN])).toBe(false);
    expect(earmarkMonth(onTime, [JAN_RUN, FEB_RUN])).toBe('2026-01');
  });

  it("carries an earmark recorded after its month's run to the next run, once", () => {
    expect(honoursEarmark(late, '2026-02', [JAN_RUN])).toBe(true);
    expect(honoursEarmark(late, '2026-03', [JAN_RUN, FEB_RUN])).toBe(false);
    expect(earmarkMonth(late, [JAN_RUN])).toBeUndefined(); // no run has counted it yet
    expect(earmarkMonth(late, [JAN_RUN, FEB_RUN])).toBe('2026-02');
  });

  it('leaves it to a re-run of its own month when one starts after it, and ignores aborted runs', () => {
    const janRerun = run('2026-01', '2026-01-21T00:00:00.000Z');
    expect(earmarkMonth(late, [JAN_RUN, janRerun, FEB_RUN])).toBe('2026-01');
    expect(honoursEarmark(late, '2026-02', [JAN_RUN, janRerun])).toBe(false);
    // February's first run was aborted: the earmark is honoured by February's re-run, not lost.
    const aborted = run('2026-02', '2026-02-09T23:00:00.000Z', 'ABORTED');
    expect(honoursEarmark(late, '2026-02', [JAN_RUN, aborted])).toBe(true);
    expect(earmarkMonth(late, [JAN_RUN, aborted, run('2026-02', '2026-02-10T05:00:00.000Z')])).toBe(
      '2026-02',
    );
  });

  it("carries an early period's earmark to the first run that counts its money", () => {
    // The pool's first run is March; January's file was there before it.
    expect(honoursEarmark(onTime, '2026-03', [])).toBe(true);
    expect(earmarkMonth(onTime, [run('2026-03', '2026-03-10T00:00:00.000Z')])).toBe('2026-03');
    // A file of a later period is never an earmark of an earlier month.
    expect(honoursEarmark({ period: '2026-04', recordedAt: onTime.recordedAt }, '2026-03', [])).toBe(false);
  });

  it('agrees with earmarkMonth: exactly the runs of one month honour each earmark', () => {
    // Runs of Jan, Feb (aborted then re-run), Mar; earmarks recorded at every gap between them.
    const runs = [
      run('2026-01', '2026-01-10T00:00:00.000Z'),
      run('2026-02', '2026-02-10T00:00:00.000Z', 'ABORTED'),
      run('2026-02', '2026-02-11T00:00:00.000Z'),
      run('2026-03', '2026-03-10T00:00:00.000Z'),
      run('2026-03', '2026-03-12T00:00:00.000Z'),
    ];
    const times = [
      '2026-01-05',
      '2026-01-20',
      '2026-02-10T12:00:00',
      '2026-02-20',
      '2026-03-11',
      '2026-03-20',
    ];
    for (const period of ['2026-01', '2026-02', '2026-03'])
      for (const t of times) {
        const e = { period, recordedAt: new Date(`${t}Z`.replace('ZZ', 'Z')).toISOString() };
        const honouring = runs
          .map((r, i) => ({ r, i }))
          .filter(({ r, i }) => r.status !== 'ABORTED' && honoursEarmark(e, r.month, runs.slice(0, i)))
          .filter(({ r }) => r.startedAt > e.recordedAt)
          .map(({ r }) => r.month);
        const month = earmarkMonth(e, runs);
        if (month === undefined) expect(honouring).toEqual([]);
        else expect(new Set(honouring)).toEqual(new Set([month]));
      }
  });
});

/** allocatePool with fakes and a clock the test moves. */
function setup() {
  const now = { at: new Date('2026-01-10T00:00:00Z') };
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
  const clock = { now: () => now.at };
  const allocate = makeAllocatePool({
    ...fakes,
    clock,
    rates: defaultRateTable,
    chunkSize: 3,
    writeOutputs: async (r) => {
      completed.push(r);
    },
  });
  const runMonth = async (month: string, at: string, cause?: string): Promise<RunRecord> => {
    now.at = new Date(at);
    let step: AllocateStep = await allocate({ pool: POOL, month, ...(cause ? { cause } : {}) });
    while (step.state === 'CONTINUING')
      step = await allocate({ pool: POOL, month, cause: `continue:${step.run.runId}` });
    return step.run;
  };
  const funded = (month: string) =>
    [...fakes.log.entries.values()]
      .filter((e) => e.month === month)
      .map((e) => `${e.priority}:${e.nik}`)
      .sort();
  return { ...fakes, now, clock, runMonth, funded, completed };
}

describe('allocatePool: the month a worker leaves', () => {
  it('funds each leaver through the month of the exit date, then never again', async () => {
    // prepare: active workers leaving on 1, 2, 15 and 31 March, and on 28 February; money for all
    const s = setup();
    const exits = {
      'x-0228': '2026-02-28',
      'x-0301': '2026-03-01',
      'x-0302': '2026-03-02',
      'x-0315': '2026-03-15',
      'x-0331': '2026-03-31',
    };
    for (const [nik, exitedOn] of Object.entries(exits)) {
      s.workers.add(POOL, { nik, name: nik, tier: 'JKK_JKM', enrolledOn: '2025-06-01', exitedOn });
      const paid = { status: 'ACTIVE', paidThrough: '2026-01', unpaidStreak: 0 } as const;
      await s.coverage.put(POOL, [{ nik, tier: 'JKK_JKM', month: '2026-01', ...paid, prior: paid }], {
        month: '2026-01',
        seq: 1,
      });
    }
    for (const p of ['2026-02', '2026-03', '2026-04']) s.ledger.add(POOL, p, { grants: 10 * 16_800 });
    // act
    await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    const march = await s.runMonth('2026-03', '2026-03-10T00:00:00Z');
    await s.runMonth('2026-04', '2026-04-10T00:00:00Z');
    // assess: February funds all five active workers; March the four leaving in March; April nobody
    expect(s.funded('2026-02')).toHaveLength(5);
    expect(s.funded('2026-03')).toEqual(['ACTIVE:x-0301', 'ACTIVE:x-0302', 'ACTIVE:x-0315', 'ACTIVE:x-0331']);
    expect(march.cursor).toMatchObject({ funded: 4, allocated: 4 * 16_800, unfunded: 0 });
    expect(s.funded('2026-04')).toEqual([]);
  });
});

describe('allocatePool: earmarks travel with the money', () => {
  /** January: w-a active; the run funds it. Then a late January file names w-named. */
  async function lateJanuary() {
    const s = setup();
    for (const nik of ['w-a', 'w-b', 'w-named'])
      s.workers.add(POOL, { nik, name: nik, tier: 'JKK_JKM', enrolledOn: `2025-0${nik.length}-01` });
    s.ledger.add(POOL, '2026-01', { deductions: 16_800 });
    await s.runMonth('2026-01', '2026-01-10T00:00:00Z');
    // The late file of January: its money and an earmark for w-named, recorded on the 20th.
    s.ledger.add(POOL, '2026-01', { deductions: 16_800 });
    s.ledger.marks.push({
      pool: POOL,
      period: '2026-01',
      nik: 'w-named',
      nip: '198609262015051001',
      agency: 'DINKES',
      recordedAt: '2026-01-20T03:00:00.000Z',
    });
    s.ledger.add(POOL, '2026-02', { deductions: 16_800 });
    return s;
  }

  it("funds the late file's named worker first in the next run, and records where the earmark came from", async () => {
    const s = await lateJanuary();
    // act
    const feb = await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    // assess: w-named is priority 1 (before the active w-a); money for both
    expect(s.funded('2026-01')).toEqual(['WAITLIST:w-a']);
    expect(s.funded('2026-02')).toEqual(['ACTIVE:w-a', 'EARMARK:w-named']);
    expect(feb.lateEarmarks).toEqual([{ period: '2026-01', earmarks: 1 }]);
    expect(s.completed.at(-1)?.lateEarmarks).toEqual([{ period: '2026-01', earmarks: 1 }]);
  });

  it('honours it once: the month after, the named worker is an active worker like any other', async () => {
    const s = await lateJanuary();
    await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    s.ledger.add(POOL, '2026-03', { deductions: 16_800 });
    // act
    const march = await s.runMonth('2026-03', '2026-03-10T00:00:00Z');
    // assess: March has money for one; w-a and w-named are active (w-a first: enrolled earlier)
    expect(march.lateEarmarks).toBeUndefined();
    expect(s.funded('2026-03')).toEqual(['ACTIVE:w-a']);
  });

  it('puts the named worker before an active one when money is short', async () => {
    // prepare: February brings no new payroll: the late January money pays one worker only
    const s = setup();
    for (const nik of ['w-a', 'w-named'])
      s.workers.add(POOL, { nik, name: nik, tier: 'JKK_JKM', enrolledOn: '2025-06-01' });
    s.ledger.add(POOL, '2026-01', { deductions: 16_800 });
    await s.runMonth('2026-01', '2026-01-10T00:00:00Z');
    s.ledger.add(POOL, '2026-01', { deductions: 16_800 });
    s.ledger.marks.push({
      pool: POOL,
      period: '2026-01',
      nik: 'w-named',
      nip: '198609262015051001',
      agency: 'DINKES',
      recordedAt: '2026-01-25T00:00:00.000Z',
    });
    // act
    const feb = await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    // assess: before this rule the active w-a was funded and the donor's worker was not
    expect(s.funded('2026-02')).toEqual(['EARMARK:w-named']);
    expect(feb.cursor).toMatchObject({ funded: 1, unfunded: 1 });
  });

  it('leaves the earmark to a re-run of January when one starts after the file, not to February', async () => {
    const s = await lateJanuary();
    // act: an operator re-runs January after the late file (new money), then February runs
    const rerun = await s.runMonth('2026-01', '2026-01-21T00:00:00Z', 'operator:ops-1');
    const feb = await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    // assess
    expect(rerun.seq).toBe(2);
    expect(s.funded('2026-01')).toEqual(['EARMARK:w-named', 'WAITLIST:w-a']);
    expect(feb.lateEarmarks).toBeUndefined();
  });

  it('still carries it to February when the re-run of January that followed the file was aborted', async () => {
    const s = await lateJanuary();
    // prepare: an operator's re-run of January starts after the late file and is aborted before its
    // first chunk commits
    s.now.at = new Date('2026-01-21T00:00:00Z');
    await createOnly(s, '2026-01', 'operator:ops-1');
    // an abort closes only a stalled run: nothing committed for more than the sweeper's idle time
    s.now.at = new Date('2026-01-21T01:00:00Z');
    const abort = makeAbortAllocation({
      log: s.log,
      jobs: s.jobs,
      plans: s.plans,
      coverage: s.coverage,
      rates: defaultRateTable,
      clock: s.clock,
    });
    const { aborted } = await abort({
      pool: POOL,
      month: '2026-01',
      by: 'ops-1',
      reason: 'test',
      rerun: false,
    });
    // act
    const feb = await s.runMonth('2026-02', '2026-02-10T00:00:00Z');
    // assess: the aborted run saw nothing; February honours the earmark
    expect(aborted).toMatchObject({ seq: 2, status: 'ABORTED', nextChunk: 0 });
    expect(feb.lateEarmarks).toEqual([{ period: '2026-01', earmarks: 1 }]);
    expect(s.funded('2026-02')).toContain('EARMARK:w-named');
  });
});

/** Creates a run and stops before its first chunk (its plan cannot be read by this walker). */
async function createOnly(s: ReturnType<typeof setup>, month: string, cause: string): Promise<void> {
  const unreadable = {
    write: s.plans.write.bind(s.plans),
    readChunk: async () => {
      throw new Error('plan store unavailable');
    },
  };
  const allocate = makeAllocatePool({ ...s, plans: unreadable, rates: defaultRateTable, chunkSize: 1 });
  await expect(allocate({ pool: POOL, month, cause })).rejects.toThrow('plan store unavailable');
}
