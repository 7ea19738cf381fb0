import { beforeEach, describe, expect, it } from 'vitest';
import { PoisonMessageError, TransientError } from '#domain/errors.ts';
import { maskNik, maskNip } from '#domain/masking.ts';
import {
  makeSplitPayrollFile,
  type SplitPayrollFileDeps,
} from '#shared/use-cases/intake/split-payroll-file.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock, nikOf, nipOf, type PayrollRow, payrollCsv } from './payroll-fixtures.ts';

const KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';
const REPORT_HEAD = '\uFEFFbaris;kolom;nilai;kode;keterangan;description\r\n';

function setup() {
  const fakes = makeIntakeFakes();
  const clock = fixedClock();
  const deps: SplitPayrollFileDeps = { ...fakes, clock, reportsBucket: REPORTS_BUCKET };
  const split = makeSplitPayrollFile(deps);
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    return split({ bucket: INTAKE_BUCKET, key });
  };
  const report = (key: string) => fakes.objects.getText(REPORTS_BUCKET, key);
  /** A person confirms a pending version; the intake then applies it (as the requeued event does). */
  const confirm = async (fileId: string, key = KEY) => {
    await fakes.files.decide(fileId, { action: 'CONFIRMED', by: 'bendahara', at: clock.now().toISOString() });
    return split({ bucket: INTAKE_BUCKET, key });
  };
  return { ...fakes, clock, split, upload, report, confirm };
}

const rowsOf = (n: number, amount = (i: number) => 10_000 + i): PayrollRow[] =>
  Array.from({ length: n }, (_, i) => ({ nip: nipOf(i), amount: amount(i) }));

describe('split-payroll-file', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('accepts a clean file: 50-entry chunks, one batch call per 10 messages, empty report, head and agency', async () => {
    const rows = rowsOf(120);
    const out = await t.upload(KEY, payrollCsv('2026-01', rows));

    expect(out).toMatchObject({
      status: 'ACCEPTED',
      agencyRegistered: true,
      chunks: 3,
      pool: '15.04',
      period: '2026-01',
    });
    expect(out.counts).toEqual({ dataRows: 120, acceptedRows: 120, rejectedRows: 0 });
    expect(out.amounts.accepted).toBe(rows.reduce((s, r) => s + Number(r.amount), 0));
    expect(t.queue.calls).toEqual([3]);
    expect(t.queue.sent.map((c) => c.chunkId)).toEqual([0, 1, 2].map((i) => `${out.fileId}#D0000${i}`));
    expect(t.queue.sent.map((c) => c.entries.length)).toEqual([50, 50, 20]);
    const entries = t.queue.sent.flatMap((c) => c.entries);
    expect(entries[0]).toEqual({ nip: rows[0]?.nip, amount: 10_000, line: 2 });
    expect(entries[119]).toEqual({ nip: rows[119]?.nip, amount: 10_119, line: 121 });
    expect(t.queue.sent[0]).toMatchObject({
      kind: 'DEDUCTION',
      pool: '15.04',
      period: '2026-01',
      agency: 'DINKES',
    });
    expect(await t.report(out.reportKey)).toBe(REPORT_HEAD);
    expect(out.reportKey).toBe(`reports/rejections/15.04/2026-01/DINKES/${out.fileId}.csv`);
    expect(await t.files.getHead('15.04', '2026-01', 'DINKES')).toMatchObject({
      activeFileId: out.fileId,
      version: 1,
    });
    expect(t.agencies.agencies.get('DINKES')).toMatchObject({ pool: '15.04', firstFileId: out.fileId });
    expect(t.agencies.pools.get('15.04')).toMatchObject({
      horizonMonths: 12,
      runwayAlertMonths: 2,
      fileCutoffDay: 5,
    });
    const snapshot = await t.objects.getText(
      REPORTS_BUCKET,
      `snapshots/15.04/2026-01/DINKES/${out.fileId}.csv`,
    );
    expect(snapshot.split('\n')[1]).toBe(`${rows[0]?.nip};10000;`);
  });

  it('partially rejects: bad rows are reported with masked values, the rest proceeds', async () => {
    const good = rowsOf(3);
    const rows: PayrollRow[] = [
      ...good,
      { nip: '19860926201505100X', amount: 5000 },
      { nip: nipOf(10), amount: '16.800,50' },
    ];
    rows.splice(1, 0, { nip: nipOf(11), amount: 20_000, nik: nikOf(1) });
    const out = await t.upload(KEY, payrollCsv('2026-01', rows));

    expect(out.status).toBe('PARTIALLY_REJECTED');
    expect(out.counts).toEqual({ dataRows: 6, acceptedRows: 4, rejectedRows: 2 });
    expect(out.amounts).toEqual({ accepted: 10_000 + 10_001 + 10_002 + 20_000, rejected: 5000 });
    const entries = t.queue.sent.flatMap((c) => c.entries);
    expect(entries.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(entries[1]).toEqual({ nip: nipOf(11), amount: 20_000, workerNik: nikOf(1), line: 3 });
    const report = (await t.report(out.reportKey)).split('\r\n');
    expect(report).toHaveLength(4);
    expect(report[1]).toMatch(/^6;nip;\*+;NIP_FORMAT;/);
    expect(report[2]).toMatch(/^7;jumlah;"16\.800,50";AMOUNT_HAS_SEN;/);
    expect(report.join('')).not.toContain('19860926201505100X');
  });

  it('rejects a file whole on a control-total mismatch: one report row, nothing emitted, no head', async () => {
    const rows = rowsOf(3);
    const out = await t.upload(KEY, payrollCsv('2026-01', rows, { rows: 3, sum: 1 }));

    expect(out).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'CONTROL_TOTAL_MISMATCH',
      agencyRegistered: false,
    });
    expect(t.queue.sent).toEqual([]);
    expect(await t.files.getHead('15.04', '2026-01', 'DINKES')).toBeUndefined();
    expect(t.agencies.agencies.size).toBe(0);
    const report = (await t.report(out.reportKey)).split('\r\n');
    expect(report[1]).toMatch(/^5;;.*;CONTROL_TOTAL_MISMATCH;/);
    expect(report).toHaveLength(3);
  });

  it('accepts matching control totals', async () => {
    const rows = rowsOf(3);
    const out = await t.upload(KEY, payrollCsv('2026-01', rows, { rows: 3, sum: 30_003 }));
    expect(out.status).toBe('ACCEPTED');
    expect(t.queue.sent.flatMap((c) => c.entries)).toHaveLength(3);
  });

  it('rejects a file without a header whole', async () => {
    const out = await t.upload(KEY, `${nipOf(1)};Budi;2026-01;10000\r\n`);
    expect(out.status).toBe('REJECTED');
    expect(out.rejectReason).toMatch(/HEADER_MISSING|COLUMN_MISSING/);
    expect(t.queue.sent).toEqual([]);
  });

  it('rejects a bad key with KEY_INVALID and a report, never a crash', async () => {
    const out = await t.upload('incoming/payroll/15.04/2026-13/DINKES.csv', payrollCsv('2026-13', rowsOf(2)));
    expect(out).toMatchObject({ status: 'REJECTED', rejectReason: 'KEY_INVALID', pool: '' });
    expect(out.reportKey).toBe(`reports/rejections/invalid-key/${out.fileId}.csv`);
    expect(await t.report(out.reportKey)).toContain(';KEY_INVALID;');
    expect(t.queue.sent).toEqual([]);
  });

  it('a file where every row is rejected changes nothing but reports every row', async () => {
    const out = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: nipOf(1), amount: -5 },
        { nip: nipOf(2), amount: 0 },
      ]),
    );
    expect(out).toMatchObject({ status: 'REJECTED', agencyRegistered: false });
    expect(out.counts).toEqual({ dataRows: 2, acceptedRows: 0, rejectedRows: 2 });
    expect(
      (await t.report(out.reportKey))
        .split('\r\n')
        .slice(1, 3)
        .map((l) => l.split(';')[3]),
    ).toEqual(['AMOUNT_NEGATIVE', 'AMOUNT_ZERO']);
    expect(await t.files.getHead('15.04', '2026-01', 'DINKES')).toBeUndefined();
  });

  it('redelivery of a processed file returns the recorded outcome and emits nothing', async () => {
    const csv = payrollCsv('2026-01', rowsOf(60));
    const first = await t.upload(KEY, csv);
    const again = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
    expect(again).toEqual({ ...first, chunks: 0 });
    expect(t.queue.sent).toHaveLength(2);
  });

  it('the same bytes uploaded again at the same key are a DUPLICATE that did nothing itself', async () => {
    // arrange: the first upload registers DINKES to the pool
    await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', rowsOf(3)), 'text/csv');
    const first = await t.split({ bucket: INTAKE_BUCKET, key: KEY, upload: 'first-put' });
    // act: the treasurer sends the same file again (another S3 PUT of the same bytes)
    const again = await t.split({ bucket: INTAKE_BUCKET, key: KEY, upload: 'second-put' });
    // assess: nothing credited, and the agency's registration is not claimed for this upload
    expect(first).toMatchObject({ status: 'ACCEPTED', agencyRegistered: true });
    expect(again).toMatchObject({ status: 'DUPLICATE', agencyRegistered: false, duplicateOf: first.fileId });
    expect(again.amounts).toEqual({ accepted: 0, rejected: 0 });
  });

  it('a DUPLICATE of a version that replaced another does not claim the replacement', async () => {
    // arrange: v2 (one donor more) replaces v1 at the same key
    const put = async (rows: number, upload: string) => {
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', rowsOf(rows)), 'text/csv');
      return t.split({ bucket: INTAKE_BUCKET, key: KEY, upload });
    };
    const v1 = await put(3, 'put-1');
    const v2 = await put(4, 'put-2');
    // act: v2's bytes sent again
    const again = await put(4, 'put-3');
    // assess
    expect(v2).toMatchObject({ status: 'ACCEPTED', supersedes: v1.fileId });
    expect(again).toMatchObject({ status: 'DUPLICATE', duplicateOf: v2.fileId });
    expect(again).not.toHaveProperty('supersedes');
  });

  it('the same content under another key of the same agency+period is a DUPLICATE', async () => {
    const csv = payrollCsv('2026-01', rowsOf(5));
    const first = await t.upload(KEY, csv);
    const dup = await t.upload('incoming/payroll/15.04/2026-01/DINKES.CSV', csv);
    expect(dup).toMatchObject({ status: 'DUPLICATE', chunks: 0, agencyRegistered: false });
    expect(dup.fileId).not.toBe(first.fileId);
    expect(t.queue.sent).toHaveLength(1);
    expect(await t.report(dup.reportKey)).toBe(REPORT_HEAD);
    expect((await t.files.getHead('15.04', '2026-01', 'DINKES'))?.activeFileId).toBe(first.fileId);
    expect(
      (await t.split({ bucket: INTAKE_BUCKET, key: 'incoming/payroll/15.04/2026-01/DINKES.CSV' })).status,
    ).toBe('DUPLICATE');
  });

  it('a changed file supersedes the active one with exactly the corrections', async () => {
    const [a, b, c, d] = [nipOf(1), nipOf(2), nipOf(3), nipOf(4)];
    const v1 = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: a, amount: 20_000 },
        { nip: b, amount: 15_000, nik: nikOf(1) },
        { nip: c, amount: 10_000, nik: nikOf(3) },
      ]),
    );
    t.queue.sent.length = 0;
    const held = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: b, amount: 15_000, nik: nikOf(2) },
        { nip: d, amount: 5_000 },
        { nip: a, amount: 25_000 },
      ]),
    );
    // Two rows end (b's old worker, c): money is taken away, so a person must confirm first.
    expect(held).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      counts: { acceptedRows: 0 },
      amounts: { accepted: 0 },
      pending: { baseFileId: v1.fileId, removedRows: 2, addedRows: 2, raisedRows: 1, takenAway: 25_000 },
    });
    // Per donor row, masked (NIP and worker): what the CLI, console and message show.
    expect(held.pending?.lines).toContainEqual({
      nip: maskNip(b),
      workerNik: maskNik(nikOf(1)),
      before: 15_000,
      after: 0,
    });
    expect(t.queue.sent).toEqual([]);
    const v2 = await t.confirm(held.fileId);

    expect(v2).toMatchObject({
      status: 'ACCEPTED',
      supersedes: v1.fileId,
      chunks: 1,
      agencyRegistered: false,
    });
    expect(t.queue.sent).toHaveLength(1);
    expect(t.queue.sent[0]).toMatchObject({
      chunkId: `${v2.fileId}#C00000`,
      kind: 'CORRECTION',
      fileId: v2.fileId,
    });
    // Rows are NIP + worker: b's worker changed, so its old row ends and a new one starts.
    expect(t.queue.sent[0]?.entries).toEqual([
      { nip: b, amount: 15_000, workerNik: nikOf(2), line: 2 },
      { nip: d, amount: 5_000, line: 3 },
      { nip: a, amount: 5_000, line: 4 },
      { nip: b, amount: -15_000, workerNik: nikOf(1), ended: true, line: 0 },
      { nip: c, amount: -10_000, workerNik: nikOf(3), ended: true, line: 0 },
    ]);
    expect((await t.files.getFile(v1.fileId))?.status).toBe('SUPERSEDED');
    expect((await t.files.getFile(v1.fileId))?.supersededBy).toBe(v2.fileId);
    expect(await t.files.getHead('15.04', '2026-01', 'DINKES')).toMatchObject({
      activeFileId: v2.fileId,
      version: 2,
    });
  });

  it('a donor with two earmarked rows: correcting one touches only that one', async () => {
    const a = nipOf(1);
    const v1 = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: a, amount: 16_800, nik: nikOf(1) },
        { nip: a, amount: 36_800, nik: nikOf(2) },
      ]),
    );
    expect(v1).toMatchObject({
      status: 'ACCEPTED',
      counts: { acceptedRows: 2 },
      amounts: { accepted: 53_600 },
    });
    expect(t.queue.sent[0]?.entries).toEqual([
      { nip: a, amount: 16_800, workerNik: nikOf(1), line: 2 },
      { nip: a, amount: 36_800, workerNik: nikOf(2), line: 3 },
    ]);
    t.queue.sent.length = 0;
    const held = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: a, amount: 16_800, nik: nikOf(1) },
        { nip: a, amount: 20_000, nik: nikOf(2) },
      ]),
    );
    expect(held).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      pending: { loweredRows: 1, delta: -16_800 },
    });
    await t.confirm(held.fileId);
    expect(t.queue.sent[0]?.entries).toEqual([{ nip: a, amount: -16_800, workerNik: nikOf(2), line: 3 }]);
  });

  it('content that was superseded and comes back is a new version diffed against the active one', async () => {
    const one = payrollCsv('2026-01', [{ nip: nipOf(1), amount: 20_000 }]);
    const two = payrollCsv('2026-01', [{ nip: nipOf(1), amount: 30_000 }]);
    const v1 = await t.upload(KEY, one);
    const v2 = await t.upload(KEY, two);
    t.queue.sent.length = 0;
    const held = await t.upload(KEY, one);
    expect(held.status).toBe('PENDING_CONFIRMATION');
    const v3 = await t.confirm(held.fileId);

    expect(v3.fileId).not.toBe(v1.fileId);
    expect(v3).toMatchObject({ status: 'ACCEPTED', supersedes: v2.fileId });
    expect(t.queue.sent.map((c) => c.chunkId)).toEqual([`${v3.fileId}#C00000`]);
    expect(t.queue.sent[0]?.entries).toEqual([{ nip: nipOf(1), amount: -10_000, line: 2 }]);
  });

  it('an agency registered to another pool is rejected whole', async () => {
    await t.upload(KEY, payrollCsv('2026-01', rowsOf(2)));
    t.queue.sent.length = 0;
    const out = await t.upload('incoming/payroll/15.03/2026-01/DINKES.csv', payrollCsv('2026-01', rowsOf(2)));
    expect(out).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'AGENCY_OTHER_POOL',
      agencyRegistered: false,
    });
    expect(t.queue.sent).toEqual([]);
    expect(await t.report(out.reportKey)).toContain(';AGENCY_OTHER_POOL;');
  });

  it('a crash mid-emit, then redelivery, emits the same chunk ids and completes', async () => {
    const csv = payrollCsv('2026-01', rowsOf(1_200));
    await t.objects.put(INTAKE_BUCKET, KEY, csv, 'text/csv');
    t.queue.failAfterCalls = 1;
    await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow(/simulated crash/);
    const beforeCrash = t.queue.sent.map((c) => c.chunkId);
    expect(beforeCrash).toHaveLength(10);

    t.queue.failAfterCalls = undefined;
    const out = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
    const afterRetry = t.queue.sent.slice(10);
    expect(out).toMatchObject({ status: 'ACCEPTED', chunks: 24 });
    expect(afterRetry.map((c) => c.chunkId)).toEqual(
      Array.from({ length: 24 }, (_, i) => `${out.fileId}#D${String(i).padStart(5, '0')}`),
    );
    expect(afterRetry.slice(0, 10)).toEqual(t.queue.sent.slice(0, 10));
  });

  it('a crash while emitting corrections keeps the recorded base on retry', async () => {
    const base = rowsOf(120, () => 10_000);
    await t.upload(KEY, payrollCsv('2026-01', base));
    t.queue.sent.length = 0;
    t.queue.calls.length = 0;
    const changed = rowsOf(120, () => 12_000);
    await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', changed), 'text/csv');
    t.queue.failAfterCalls = 0;
    await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow();

    t.queue.failAfterCalls = undefined;
    const out = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
    const entries = t.queue.sent.flatMap((c) => c.entries);
    expect(out.chunks).toBe(3);
    expect(entries).toHaveLength(120);
    expect(entries.every((e) => e.amount === 2_000)).toBe(true);
  });

  it('a second version waits (TransientError) while the active one is still processing', async () => {
    await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', rowsOf(600)), 'text/csv');
    t.queue.failAfterCalls = 0;
    await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow();
    t.queue.failAfterCalls = undefined;
    const other = 'incoming/payroll/15.04/2026-01/DINKES.xlsx';
    await t.objects.put(INTAKE_BUCKET, other, 'not really xlsx', 'application/octet-stream');
    // A broken file never touches the head, so it does not wait.
    expect((await t.split({ bucket: INTAKE_BUCKET, key: other })).status).toBe('REJECTED');
    await t.objects.put(
      INTAKE_BUCKET,
      KEY.replace('.csv', '.CSV'),
      payrollCsv('2026-01', rowsOf(3)),
      'text/csv',
    );
    await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY.replace('.csv', '.CSV') })).rejects.toBeInstanceOf(
      TransientError,
    );
  });

  describe('a file replaced while it is being processed (same key)', () => {
    const first = rowsOf(120, () => 10_000);
    const second = rowsOf(80, () => 20_000);

    it('between the passes: the first version ends FILE_REPLACED with nothing emitted, the new one counts whole', async () => {
      // prepare: the object changes right after pass 1 of the first version read it (read 1 is the
      // whole-file encoding probe, read 2 pass 1, read 3 pass 2)
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', first), 'text/csv');
      const getStream = t.objects.getStream.bind(t.objects);
      let reads = 0;
      t.objects.getStream = async (bucket, key, opts) => {
        reads += 1;
        if (reads === 3) await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', second), 'text/csv');
        return getStream(bucket, key, opts);
      };
      // act
      const a = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
      t.objects.getStream = getStream;
      const b = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
      // assess
      expect(a).toMatchObject({ status: 'REJECTED', chunks: 0 });
      expect(await t.report(a.reportKey)).toContain(';FILE_REPLACED;');
      expect(b).toMatchObject({ status: 'ACCEPTED', chunks: 2 });
      expect(b.supersedes).toBeUndefined();
      const sent = t.queue.sent.flatMap((c) => c.entries.map((e) => [c.fileId, e.amount]));
      expect(sent).toHaveLength(80);
      expect(sent.every(([fileId, amount]) => fileId === b.fileId && amount === 20_000)).toBe(true);
      expect(await t.files.getHead('15.04', '2026-01', 'DINKES')).toMatchObject({ activeFileId: b.fileId });
    });

    it('after a crash before emitting: the newer upload takes over instead of waiting forever', async () => {
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', first), 'text/csv');
      const putFile = t.files.putFile.bind(t.files);
      t.files.putFile = async (file) => {
        if (file.emitStarted) throw new Error('simulated crash before emitting');
        return putFile(file);
      };
      await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow(/simulated crash/);
      t.files.putFile = putFile;
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', second), 'text/csv');
      const b = await t.split({ bucket: INTAKE_BUCKET, key: KEY });
      expect(b).toMatchObject({ status: 'ACCEPTED', chunks: 2 });
      expect(t.queue.sent.flatMap((c) => c.entries)).toHaveLength(80);
      const stuck = [...t.files.files.values()].find((f) => f.fileId !== b.fileId);
      expect(stuck).toMatchObject({ status: 'REJECTED', rejectReason: 'FILE_REPLACED' });
    });

    it('after part of it was emitted: refused loudly (poison, to the DLQ with a clear message), never silently', async () => {
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', rowsOf(1_200)), 'text/csv');
      t.queue.failAfterCalls = 1;
      await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow(/simulated crash/);
      t.queue.failAfterCalls = undefined;
      await t.objects.put(INTAKE_BUCKET, KEY, payrollCsv('2026-01', second), 'text/csv');
      await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toBeInstanceOf(PoisonMessageError);
      await expect(t.split({ bucket: INTAKE_BUCKET, key: KEY })).rejects.toThrow(/half processed/);
    });
  });
});
