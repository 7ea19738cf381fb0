import { describe, expect, it } from 'vitest';
import { makeFanOutScans } from '#shared/use-cases/fan-out-scans.ts';
import { InjectedCrashError } from '#test/support/injected-crash.ts';
import { nik, POOL, type ScanWorld, scanWorld } from './scan-fixture.ts';

/**
 * The timeline: 10 workers at Rp16,800; agencies A (60 donors) and B (40 donors) pay exactly
 * 10 workers in January; in February 4 of B's donors leave; in March B sends nothing; a Rp1,000,000
 * grant for March arrives late (the 12th, after the run of the 10th). One scan a day at 07:00 WIB,
 * the monthly run at 06:00 on the 10th.
 */
async function timeline(w: ScanWorld, until = '2026-03-13') {
  for (let n = 1; n <= 10; n++) w.enrol(n);
  w.payroll('A', '2026-01', 100_800, 60);
  w.payroll('B', '2026-01', 67_200, 40);
  w.at('2026-01-10', 6);
  await w.runMonth('2026-01');
  w.payroll('A', '2026-02', 100_800, 60);
  w.payroll('B', '2026-02', 60_480, 36);
  w.at('2026-02-10', 6);
  await w.runMonth('2026-02');
  const sent: Record<string, string[]> = {};
  const digestDays: string[] = [];
  for (let day = new Date('2026-02-10'); ; day = new Date(day.getTime() + 86_400_000)) {
    const date = day.toISOString().slice(0, 10);
    if (date > until) break;
    if (date === '2026-03-02') w.payroll('A', '2026-03', 100_800, 60);
    if (date === '2026-03-10') {
      w.at(date, 6);
      await w.runMonth('2026-03');
    }
    if (date === '2026-03-12') w.grant('2026-03', 1_000_000);
    const before = w.publisher.messages.length;
    await w.scanDay(date);
    if (w.publisher.messages.length > before) digestDays.push(date);
    const fresh = w.newOn(date);
    if (fresh.length > 0) sent[date] = fresh;
  }
  return { sent, digestDays };
}

const ids = (kind: string, month: string, ns: number[]) =>
  ns.map((n) => `${kind}#${POOL}#${nik(n)}#${month}`);

describe('scanLapses timeline', () => {
  it('raises exactly the expected alerts on each day, each once, and a digest only when something changed', async () => {
    const w = scanWorld();
    const { sent, digestDays } = await timeline(w);
    expect(sent).toEqual({
      // Feb run: 161,280 pays 9 of 10 (w10 last by enrolment/NIK). The forecast expects the admission
      // rule's C, the mean of January and February (164,640 a month): 9 or 10 funded, runway not low.
      '2026-02-10': [...ids('UNFUNDED', '2026-02', [10])],
      // March cutoff (day 5): B is missing and no longer expected, so 10,080 + 100,800 pays 6:
      // w10 (1 unpaid month) first, then w1-w5; w6-w9 are at risk, 11 days before the due date (the 16th), and the
      // balance after March covers less than the pool's 2 months.
      '2026-03-05': [
        ...ids('AT_RISK', '2026-03', [6, 7, 8, 9]),
        `FILE_MISSING#${POOL}#B#2026-03`,
        `RUNWAY_LOW#${POOL}#2026-03`,
      ].sort(),
      // The run did what the forecast said; April's forecast at C = mean(Jan, Feb, Mar) = 143,360 pays 9.
      '2026-03-10': [
        ...ids('AT_RISK', '2026-04', [10]),
        `RUNWAY_LOW#${POOL}#2026-04`,
        ...ids('UNFUNDED', '2026-03', [6, 7, 8, 9]),
      ].sort(),
    });
    // 12 March: the late grant resolves April's risk: nothing new, but the digest reports the change.
    expect(digestDays).toEqual(['2026-02-10', '2026-03-05', '2026-03-10', '2026-03-12']);
    const all = Object.values(sent).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(w.alerts.alerts.size);
    const march12 = w.publisher.messages.at(-1);
    expect(march12?.body).toContain(
      'AT_RISK (berisiko tidak terdanai bulan depan): 0 terbuka, 0 baru, -1 dari kemarin',
    );
    expect(march12?.attributes).toEqual({
      pool: POOL,
      kinds: ['UNFUNDED', 'FILE_MISSING'],
      severity: 'WARNING',
      digestId: `digest-${POOL}-2026-03-12`,
    });
  });

  it('turns CRITICAL when the run is late and at-risk workers have 5 days or less, masking people', async () => {
    const w = scanWorld();
    await timeline(w, '2026-03-09');
    expect(w.publisher.messages.at(-1)?.attributes.severity).toBe('WARNING');
    // The March run has not happened by the 11th: same alerts, now 5 days before the due date
    // (15 March 2026 is a Sunday: BPJS's due date is Monday the 16th).
    w.payroll('A', '2026-03', -16_800, 0); // a correction: one worker fewer can be paid
    await w.scanDay('2026-03-11');
    const digest = w.publisher.messages.at(-1);
    expect(w.newOn('2026-03-11')).toEqual([`AT_RISK#${POOL}#${nik(5)}#2026-03`]);
    expect(digest?.attributes).toEqual({
      pool: POOL,
      kinds: ['AT_RISK', 'UNFUNDED', 'FILE_MISSING', 'RUNWAY_LOW'],
      severity: 'CRITICAL',
      digestId: `digest-${POOL}-2026-03-11`,
    });
    expect(digest?.body).toContain('5 hari lagi jatuh tempo (16 Maret 2026)');
    const csv = await w.csv('2026-03-11');
    expect(csv.startsWith('\uFEFFjenis/kind;tingkat/severity;')).toBe(true);
    expect(csv.split('\r\n').filter((l) => l.startsWith('AT_RISK;CRITICAL'))).toHaveLength(5);
    for (const text of [csv, digest?.body ?? '', digest?.subject ?? '']) {
      expect(text).not.toMatch(/\d{16}/);
      expect(text).not.toContain('Siti Aminah');
    }
    expect(digest?.body).toContain('1504**********05 (S*** A*** 5***)');
  });

  it('sends nothing new when the scan runs twice on the same day', async () => {
    const w = scanWorld();
    await timeline(w, '2026-03-05');
    const published = w.publisher.messages.length;
    const alerts = w.alerts.alerts.size;
    const steps = await w.scanDay('2026-03-05');
    expect(steps.map((s) => s.outcome)).toEqual(['ALREADY_DONE']);
    expect(w.publisher.messages.length).toBe(published);
    expect(w.alerts.alerts.size).toBe(alerts);
  });

  it('resumes a scan that crashed mid-chunk without duplicates, ending exactly like an uncrashed scan', async () => {
    const clean = scanWorld();
    await timeline(clean, '2026-03-05');
    const crashed = scanWorld();
    await timeline(crashed, '2026-03-04');
    crashed.alerts.crashAfterRecords = crashed.alerts.alerts.size + 2;
    crashed.at('2026-03-05');
    const steps = [];
    for (let i = 0; i < 30; i++) {
      try {
        const step = await crashed.scan({ pool: POOL, date: '2026-03-05' });
        steps.push(step.outcome);
        if (step.outcome !== 'CONTINUING') break;
      } catch (error) {
        // Only the injected crash is a crash; anything else is a failure of the scan.
        if (!(error instanceof InjectedCrashError)) throw error;
        steps.push('CRASH'); // SQS redelivers the same SCAN message
      }
    }
    expect(steps).toContain('CRASH');
    expect(steps.at(-1)).toBe('DONE');
    expect(crashed.newOn('2026-03-05')).toEqual(clean.newOn('2026-03-05'));
    expect(crashed.publisher.messages.at(-1)).toEqual(clean.publisher.messages.at(-1));
    expect(crashed.publisher.messages.length).toBe(clean.publisher.messages.length);
    expect(await crashed.csv('2026-03-05')).toBe(await clean.csv('2026-03-05'));
  });

  it('a digest sent again after dying between publish and record carries the same id, so it reads as a repeat', async () => {
    // prepare: the DIGEST record write dies once, after SNS accepted the digest
    const w = scanWorld();
    await timeline(w, '2026-03-04');
    w.at('2026-03-05');
    const before = w.publisher.messages.length;
    const record = w.digests.record.bind(w.digests);
    w.digests.record = async () => {
      w.digests.record = record;
      throw new InjectedCrashError('died after the publish');
    };
    // act: SQS redelivers the SCAN message until the scan is done
    for (let i = 0; i < 30; i++) {
      const step = await w.scan({ pool: POOL, date: '2026-03-05' }).catch((e: unknown) => {
        if (!(e instanceof InjectedCrashError)) throw e;
        return undefined;
      });
      if (step && step.outcome !== 'CONTINUING') break;
    }
    // assess: at-least-once, and both copies name the same digest
    const sent = w.publisher.messages.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.map((m) => m.attributes.digestId)).toEqual([
      `digest-${POOL}-2026-03-05`,
      `digest-${POOL}-2026-03-05`,
    ]);
    expect(sent[0]?.body).toContain(`Digest id: digest-${POOL}-2026-03-05`);
    expect(sent[1]?.body).toBe(sent[0]?.body);
  });

  it('finishes a scan whose commit was applied but whose answer was lost (the retry found it there)', async () => {
    const clean = scanWorld();
    await timeline(clean, '2026-03-05');
    const lostAnswers = scanWorld();
    await timeline(lostAnswers, '2026-03-04');
    lostAnswers.at('2026-03-05');
    const before = lostAnswers.publisher.messages.length;
    // Every state write lands, then answers as its SDK retry would: the condition failed.
    const { states } = lostAnswers;
    const create = states.create.bind(states);
    const advance = states.advance.bind(states);
    states.create = async (state) => {
      await create(state);
      return 'EXISTS';
    };
    states.advance = async (next, from) => {
      await advance(next, from);
      return 'CONFLICT';
    };
    const steps = [];
    do steps.push(await lostAnswers.scan({ pool: POOL, date: '2026-03-05' }));
    while (steps.at(-1)?.outcome === 'CONTINUING' && steps.length < 30);
    expect(steps.at(-1)?.outcome).toBe('DONE');
    expect(steps.filter((s) => s.outcome === 'ALREADY_DONE')).toEqual([]);
    expect(lostAnswers.publisher.messages.slice(before)).toHaveLength(1);
    expect(lostAnswers.publisher.messages.at(-1)).toEqual(clean.publisher.messages.at(-1));
    expect(lostAnswers.newOn('2026-03-05')).toEqual(clean.newOn('2026-03-05'));
  });

  it('lets two chains of the same scan (a doubled fan-out) meet: one publishes, the other stops', async () => {
    const w = scanWorld();
    await timeline(w, '2026-03-04');
    w.at('2026-03-05');
    const before = w.publisher.messages.length;
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const [a, b] = await Promise.all([
        w.scan({ pool: POOL, date: '2026-03-05' }),
        w.scan({ pool: POOL, date: '2026-03-05' }),
      ]);
      outcomes.push(a.outcome, b.outcome);
      if (a.outcome !== 'CONTINUING' && b.outcome !== 'CONTINUING') break;
    }
    expect(w.publisher.messages.length).toBe(before + 1);
    expect(w.newOn('2026-03-05')).toHaveLength(6);
  });

  it('scans a pool that fits one page in one invocation from one read, a larger one a page per invocation', async () => {
    const reads = (w: ScanWorld) => {
      const perCall: number[] = [];
      const page = w.pages.page.bind(w.pages);
      w.pages.page = (...args) => {
        perCall[perCall.length - 1] = (perCall.at(-1) ?? 0) + 1;
        return page(...args);
      };
      const scan = w.scan;
      return {
        perCall,
        scan: (input: { pool: string; date: string }) => {
          perCall.push(0);
          return scan(input);
        },
      };
    };
    const small = scanWorld({ pageSize: 3 });
    const big = scanWorld({ pageSize: 20 });
    await timeline(small, '2026-03-04');
    await timeline(big, '2026-03-04');
    for (const w of [small, big]) w.at('2026-03-05');
    const outcomes = async (w: ScanWorld) => {
      const r = reads(w);
      const steps = [];
      do steps.push(await r.scan({ pool: POOL, date: '2026-03-05' }));
      while (steps.at(-1)?.outcome === 'CONTINUING');
      return { steps, perCall: r.perCall };
    };
    let stateWrites = 0;
    for (const op of ['create', 'advance'] as const) {
      const write = big.states[op].bind(big.states) as (...a: unknown[]) => Promise<never>;
      big.states[op] = (...args: unknown[]) => {
        stateWrites++;
        return write(...args);
      };
    }
    const one = await outcomes(big);
    expect(one.steps.map((s) => s.outcome)).toEqual(['DONE']);
    // Committed twice: the digest text before it is published (the outbox), then DONE.
    expect(stateWrites).toBe(2);
    expect(one.perCall).toEqual([1]);
    expect(one.steps[0]?.newAlerts).toBe(6);
    const paged = await outcomes(small);
    // 10 workers in pages of 3: 4 COUNT pages, then 4 ALERT pages (the last one also finishes).
    expect(paged.perCall).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(paged.steps.at(-1)?.outcome).toBe('DONE');
    expect(big.newOn('2026-03-05')).toEqual(small.newOn('2026-03-05'));
    expect(await big.csv('2026-03-05')).toBe(await small.csv('2026-03-05'));
    // The one-invocation scan keeps its CSV parts in memory; the paged one leaves them for the next call.
    const workParts = (w: ScanWorld) =>
      [...w.objects.objects.keys()].filter((k) => k.includes('work/alerts/') && k.includes('2026-03-05'));
    expect(workParts(big)).toEqual([]);
    expect(workParts(small).length).toBeGreaterThan(0);
    expect(big.publisher.messages.at(-1)).toEqual(small.publisher.messages.at(-1));
  });

  it('goes through LAPSED at the third unpaid month', async () => {
    const w = scanWorld();
    w.enrol(1);
    w.payroll('A', '2026-01', 16_800, 1);
    w.at('2026-01-10', 6);
    await w.runMonth('2026-01');
    const lapsedOn: string[] = [];
    for (const m of ['2026-02', '2026-03', '2026-04']) {
      w.at(`${m}-10`, 6);
      await w.runMonth(m);
      await w.scanDay(`${m}-10`);
      lapsedOn.push(
        ...w.newOn(`${m}-10`).filter((id) => !id.startsWith('AT_RISK') && !id.startsWith('FILE')),
      );
    }
    // (no RUNWAY_LOW for May: a lapsed worker is no longer active, the pool owes nobody)
    expect(lapsedOn).toEqual([
      `RUNWAY_LOW#${POOL}#2026-03`,
      `UNFUNDED#${POOL}#${nik(1)}#2026-02`,
      `RUNWAY_LOW#${POOL}#2026-04`,
      `UNFUNDED#${POOL}#${nik(1)}#2026-03`,
      `LAPSED#${POOL}#${nik(1)}#2026-04`,
    ]);
    expect(w.publisher.messages.at(-1)?.attributes.severity).toBe('CRITICAL');
  });
});

describe('fan-out', () => {
  it('sends one SCAN per registered pool for the Jakarta date of the schedule', async () => {
    const w = scanWorld();
    w.pools.add('15.05');
    const fanOut = makeFanOutScans({ pools: w.pools, jobs: w.scanJobs, clock: { now: () => new Date(0) } });
    // 00:00 UTC on 1 March is 07:00 WIB on 1 March; 23:30 UTC on 28 Feb is already 1 March in Jakarta.
    expect(await fanOut({ scheduledTime: '2026-02-28T23:30:00Z' })).toEqual({ date: '2026-03-01', pools: 2 });
    expect(w.scanJobs.sent).toEqual([
      { kind: 'SCAN', pool: POOL, date: '2026-03-01' },
      { kind: 'SCAN', pool: '15.05', date: '2026-03-01' },
    ]);
  });
});
