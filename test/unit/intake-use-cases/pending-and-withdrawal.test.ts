import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#domain/errors.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { makeExpireHeldVersions } from '#shared/use-cases/intake/held-versions.ts';
import { payrollKey } from '#shared/use-cases/intake/intake-key.ts';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock, nipOf, payrollCsv } from './payroll-fixtures.ts';

const KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';
const row = (i: number, amount = 16_800) => ({ nip: nipOf(i), amount });

function setup() {
  const fakes = makeIntakeFakes();
  const clock = fixedClock();
  const split = makeSplitPayrollFile({ ...fakes, clock, reportsBucket: REPORTS_BUCKET });
  const requeued: Omit<ObjectRef, 'bucket'>[] = [];
  const decide = makeDecidePending({
    files: fakes.files,
    objects: fakes.objects,
    intakeBucket: INTAKE_BUCKET,
    clock,
    requeue: { requeue: async (ref) => void requeued.push(ref) },
  });
  let sequencer = 0;
  /** An upload as S3 announces it: each PUT has its own sequencer. */
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    sequencer += 1;
    return split({ bucket: INTAKE_BUCKET, key, upload: String(sequencer).padStart(18, '0') });
  };
  /** The requeued event reaching the splitter (what the payroll-files queue does). */
  const deliverRequeued = async () => {
    const ref = requeued.shift();
    if (ref === undefined) throw new Error('nothing requeued');
    return split({ bucket: INTAKE_BUCKET, ...ref });
  };
  const ledger = () => fakes.queue.sent.flatMap((c) => c.entries).reduce((s, e) => s + e.amount, 0);
  return { ...fakes, clock, split, decide, upload, deliverRequeued, requeued, ledger };
}

describe('a replacement that takes money away waits for a person', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('a later upload of the month, even one wholly rejected, expires the proposal: a confirmation then applies nothing', async () => {
    // prepare: an applied month, then a version that lowers it (held)
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const held = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    expect(held.status).toBe('PENDING_CONFIRMATION');
    const before = t.ledger();
    // act: the treasurer sends a file with no readable row at the same key, then someone confirms
    const rejected = await t.upload(KEY, 'nip;nama;periode;jumlah\n123;X;2026-01;16800\n');
    const decision = await t
      .decide({ fileId: held.fileId, action: 'CONFIRM', by: 'bendahara.dinkes' })
      .catch((e: unknown) => e);
    // assess: the held version is EXPIRED, the decision refused, nothing requeued, the ledger unmoved
    expect(rejected.status).toBe('REJECTED');
    expect((await t.files.getFile(held.fileId))?.status).toBe('EXPIRED');
    expect(decision).toBeInstanceOf(ConflictError);
    expect(t.requeued).toHaveLength(0);
    expect(t.ledger()).toBe(before);
  });

  it('a 10-row fix for an 82-row month is held with its difference; nothing moves until confirmed', async () => {
    const month = Array.from({ length: 82 }, (_, i) => row(i));
    await t.upload(KEY, payrollCsv('2026-01', month));
    const before = t.ledger();
    const fix = await t.upload(
      KEY,
      payrollCsv(
        '2026-01',
        month.slice(0, 10).map((r) => ({ ...r, amount: 20_000 })),
      ),
    );
    expect(fix).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      amounts: { accepted: 0 },
      pending: { removedRows: 72, raisedRows: 10, takenAway: 72 * 16_800, added: 10 * 3_200 },
    });
    expect(fix.pending?.delta).toBe(10 * 3_200 - 72 * 16_800);
    expect(fix.pending?.lines).toHaveLength(20);
    expect(fix.pending?.lines.every((l) => /^\d{4}\*{12}\d{2}$/.test(l.nip))).toBe(true);
    const report = await t.objects.getText(REPORTS_BUCKET, fix.pending?.diffKey ?? '');
    expect(report.trim().split('\n')).toHaveLength(83); // header + every changed row
    expect(t.ledger()).toBe(before);
    expect((await t.files.getHead('15.04', '2026-01', 'DINKES'))?.version).toBe(1);

    const decided = await t.decide({ fileId: fix.fileId, action: 'CONFIRM', by: 'bendahara.dinkes' });
    expect(decided.kind).toBe('DECIDED');
    const applied = await t.deliverRequeued();
    expect(applied).toMatchObject({
      status: 'ACCEPTED',
      decision: { action: 'CONFIRMED', by: 'bendahara.dinkes', at: '2026-02-03T01:00:00.000Z' },
      amounts: { accepted: 200_000 },
      monthTotal: 200_000,
    });
    expect(applied.delta).toBe(fix.pending?.delta);
    expect(t.ledger()).toBe(200_000);
  });

  it('withdrawn by the treasurer: recorded, nothing applied; a confirmation after expiry is refused and recorded', async () => {
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const lower = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    await t.decide({ fileId: lower.fileId, action: 'WITHDRAW', by: 'bendahara', reason: 'salah kirim' });
    expect(await t.deliverRequeued()).toMatchObject({
      status: 'WITHDRAWN',
      decision: { action: 'WITHDRAWN', by: 'bendahara', note: 'salah kirim' },
    });
    expect(t.ledger()).toBe(33_600);

    const again = await t.upload(KEY, payrollCsv('2026-01', [row(2, 10_000)]));
    expect(again.status).toBe('PENDING_CONFIRMATION');
    t.clock.set('2026-02-10T01:00:01.000Z'); // 7 days and a second later
    await expect(
      t.decide({ fileId: again.fileId, action: 'CONFIRM', by: 'bendahara' }),
    ).rejects.toMatchObject({
      code: 'CONFIRMATION_EXPIRED',
    });
    expect(await t.files.getFile(again.fileId)).toMatchObject({
      status: 'EXPIRED',
      decision: { by: 'system' },
    });
    expect(t.ledger()).toBe(33_600);
  });

  it('a version that only adds or raises applies at once', async () => {
    await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    const more = await t.upload(KEY, payrollCsv('2026-01', [row(1, 20_000), row(2)]));
    expect(more).toMatchObject({ status: 'ACCEPTED', delta: 3_200 + 16_800, monthTotal: 36_800 });
    expect(t.ledger()).toBe(36_800);
  });

  it('an unconfirmed version expires at the next touch (the same upload again)', async () => {
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const lower = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    t.clock.set('2026-02-11T00:00:00.000Z');
    const judged = await t.split({
      bucket: INTAKE_BUCKET,
      key: KEY,
      upload: lower.pending ? '000000000000000002' : '',
    });
    expect(judged).toMatchObject({ status: 'EXPIRED', decision: { action: 'EXPIRED', by: 'system' } });
  });

  it('a confirmation for a month that changed since is not applied: recorded EXPIRED', async () => {
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const lower = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    const adds = await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2), row(3)])); // applies at once
    expect(adds.status).toBe('ACCEPTED');
    // The newer upload is what the treasurer now means: the older proposal is recorded EXPIRED.
    expect(await t.files.getFile(lower.fileId)).toMatchObject({ status: 'EXPIRED' });
    await expect(
      t.decide({ fileId: lower.fileId, action: 'CONFIRM', by: 'bendahara' }),
    ).rejects.toMatchObject({
      code: 'FILE_NOT_PENDING',
    });
    expect(t.ledger()).toBe(3 * 16_800);
  });

  it('a confirmation whose hand-back to the intake was lost: confirming again hands it back, applied once', async () => {
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const held = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    await t.decide({ fileId: held.fileId, action: 'CONFIRM', by: 'bendahara.dinkes' });
    t.requeued.length = 0; // the message never reached the queue
    // act: the treasurer presses confirm again (the page still says it waits), twice
    const again = await t.decide({ fileId: held.fileId, action: 'CONFIRM', by: 'bendahara.lain' });
    await t.decide({ fileId: held.fileId, action: 'CONFIRM', by: 'bendahara.lain' });
    const applied = await t.deliverRequeued();
    const replay = await t.deliverRequeued();
    // assess: the first decision stands; the month is lowered once
    expect(again).toMatchObject({ kind: 'DECIDED', decision: { by: 'bendahara.dinkes' } });
    expect(applied).toMatchObject({ status: 'ACCEPTED', monthTotal: 16_800 });
    expect(replay).toMatchObject({ status: 'ACCEPTED', monthTotal: 16_800 });
    expect(t.ledger()).toBe(16_800);
  });

  it('a crash after the confirmed version is recorded, before the month moves: the retry applies it (not held again)', async () => {
    // prepare: an applied month, a version that lowers it (held), confirmed by the treasurer
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    const held = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    await t.decide({ fileId: held.fileId, action: 'CONFIRM', by: 'bendahara.dinkes' });
    const ref = t.requeued.shift();
    if (ref === undefined) throw new Error('nothing requeued');
    // act: the Lambda dies between recording PROCESSING and moving the month's head, then SQS redelivers
    const advanceHead = t.files.advanceHead.bind(t.files);
    t.files.advanceHead = async () => {
      throw new Error('simulated crash before the head moves');
    };
    await expect(t.split({ bucket: INTAKE_BUCKET, ...ref })).rejects.toThrow(/retrying/);
    t.files.advanceHead = advanceHead;
    const applied = await t.split({ bucket: INTAKE_BUCKET, ...ref });
    // assess: applied as confirmed, once; the ledger holds the lowered month
    expect(applied).toMatchObject({
      status: 'ACCEPTED',
      decision: { action: 'CONFIRMED', by: 'bendahara.dinkes' },
      monthTotal: 16_800,
    });
    expect(t.ledger()).toBe(16_800);
    expect((await t.files.getHead('15.04', '2026-01', 'DINKES'))?.activeFileId).toBe(held.fileId);
  });
});

describe('the daily sweep of held versions', () => {
  it('records EXPIRED a version nobody touched past its time; leaves one in time and one confirmed; a second sweep changes nothing', async () => {
    const t = setup();
    const sweep = makeExpireHeldVersions({ files: t.files, clock: t.clock });
    const other = 'incoming/payroll/15.04/2026-01/DISDIK.csv';
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2)]));
    await t.upload(other, payrollCsv('2026-01', [row(3), row(4)]));
    const stale = await t.upload(KEY, payrollCsv('2026-01', [row(1)]));
    const confirmed = await t.upload(other, payrollCsv('2026-01', [row(3)]));
    await t.decide({ fileId: confirmed.fileId, action: 'CONFIRM', by: 'bendahara.disdik' });
    t.clock.set('2026-02-09T01:00:00.000Z'); // 6 days later: both still in time
    expect(await sweep('15.04')).toEqual([]);
    t.clock.set('2026-02-10T01:00:01.000Z'); // 7 days and a second after they were received
    // act
    const expired = await sweep('15.04');
    const again = await sweep('15.04');
    // assess: the untouched one ended with who and why; the confirmed one is the intake's to apply
    expect(expired).toEqual([stale.fileId]);
    expect(again).toEqual([]);
    expect(await t.files.getFile(stale.fileId)).toMatchObject({
      status: 'EXPIRED',
      decision: { action: 'EXPIRED', by: 'system', note: 'nobody confirmed it in time' },
    });
    expect((await t.files.getFile(confirmed.fileId))?.status).toBe('PENDING_CONFIRMATION');
    expect(t.ledger()).toBe(4 * 16_800);
  });
});

describe('correction-only files (file koreksi)', () => {
  it('changes only the listed donors; a 0 removes one (and that removal is confirmed)', async () => {
    const t = setup();
    await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2), row(3)]));
    const koreksi = payrollKey('15.04', '2026-01', 'DINKES', 'csv', { mode: 'CORRECTION' });
    const raise = await t.upload(koreksi, payrollCsv('2026-01', [row(2, 36_800)]));
    expect(raise).toMatchObject({
      status: 'ACCEPTED',
      mode: 'CORRECTION',
      delta: 20_000,
      monthTotal: 70_400,
    });
    const remove = await t.upload(koreksi, payrollCsv('2026-01', [row(3, 0)]));
    expect(remove).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      pending: { removedRows: 1, takenAway: 16_800 },
    });
    await t.decide({ fileId: remove.fileId, action: 'CONFIRM', by: 'bendahara' });
    expect(await t.deliverRequeued()).toMatchObject({
      status: 'ACCEPTED',
      monthTotal: 53_600,
      delta: -16_800,
    });
    expect(t.ledger()).toBe(53_600);
  });

  it('a 0 in an ordinary file is still rejected (never guessed to be a correction)', async () => {
    const t = setup();
    const out = await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2, 0)]));
    expect(out).toMatchObject({ status: 'PARTIALLY_REJECTED', counts: { rejectedRows: 1 } });
  });
});

describe('periods a pool can take', () => {
  it('from the programme start (no first month yet) to next month; older than the first month only as late', async () => {
    const t = setup(); // clock 2026-02-03: next month is 2026-03
    const k = (period: string, late = false) => payrollKey('15.04', period, 'DINKES', 'csv', { late });
    expect(await t.upload(k('2026-04'), payrollCsv('2026-04', [row(1)]))).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'PERIOD_IN_FUTURE',
      amounts: { accepted: 0 },
    });
    expect(await t.upload(k('2020-01'), payrollCsv('2020-01', [row(1)]))).toMatchObject({
      rejectReason: 'PERIOD_BEFORE_PROGRAMME',
    });
    expect(await t.upload(k('2026-03'), payrollCsv('2026-03', [row(1)]))).toMatchObject({
      status: 'ACCEPTED',
    });
    expect(await t.upload(k('2026-01'), payrollCsv('2026-01', [row(1)]))).toMatchObject({
      rejectReason: 'PERIOD_BEFORE_POOL',
    });
    const late = await t.upload(k('2026-01', true), payrollCsv('2026-01', [row(1)]));
    expect(late).toMatchObject({ status: 'ACCEPTED', late: true });
    expect(t.agencies.pools.get('15.04')?.firstPeriod).toBe('2026-03');
    expect(t.ledger()).toBe(2 * 16_800);
  });
});

describe('withdrawing a file sent by mistake', () => {
  it('reverses every row after confirmation, records who and why; refused for a file that is not active', async () => {
    const t = setup();
    const sent = await t.upload(KEY, payrollCsv('2026-01', [row(1), row(2, 36_800)]));
    const asked = await t.decide({
      fileId: sent.fileId,
      action: 'WITHDRAW',
      by: 'bendahara',
      reason: 'salah OPD',
    });
    expect(asked.kind).toBe('WITHDRAWAL_REQUESTED');
    if (asked.kind !== 'WITHDRAWAL_REQUESTED') return;
    const request = await t.split({ bucket: INTAKE_BUCKET, key: asked.key, upload: 'w1' });
    expect(request).toMatchObject({
      fileId: asked.requestFileId,
      status: 'PENDING_CONFIRMATION',
      mode: 'WITHDRAWAL',
      reason: 'salah OPD',
      requestedBy: 'bendahara',
      withdraws: sent.fileId,
      pending: { removedRows: 2, takenAway: 53_600, totalAfter: 0 },
    });
    expect(t.ledger()).toBe(53_600);
    await t.decide({ fileId: request.fileId, action: 'CONFIRM', by: 'keuangan' });
    expect(await t.deliverRequeued()).toMatchObject({ status: 'ACCEPTED', delta: -53_600, monthTotal: 0 });
    expect(t.ledger()).toBe(0);
    expect(await t.files.getFile(sent.fileId)).toMatchObject({
      status: 'SUPERSEDED',
      supersededBy: request.fileId,
    });
    await expect(
      t.decide({ fileId: sent.fileId, action: 'WITHDRAW', by: 'bendahara', reason: 'lagi' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
