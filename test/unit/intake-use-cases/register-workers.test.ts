import { beforeEach, describe, expect, it } from 'vitest';
import { makeRegisterWorkers } from '#shared/use-cases/intake/register-workers.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock, nikOf } from './payroll-fixtures.ts';

type W = { nik: string; name?: string; kpj?: string; tier?: string; exitOn?: string; exitReason?: string };
const workersCsv = (rows: readonly W[]): string =>
  `${[
    'nik;nama;kpj;paket;pekerjaan;tanggal_daftar;tanggal_keluar;alasan_keluar',
    ...rows.map(
      (w) =>
        `${w.nik};${w.name ?? 'Siti Aminah'};${w.kpj ?? ''};${w.tier ?? 'JKK_JKM'};Petani;2025-07-01;${w.exitOn ?? ''};${w.exitReason ?? ''}`,
    ),
  ].join('\r\n')}\r\n`;

function setup() {
  const fakes = makeIntakeFakes();
  const clock = fixedClock('2026-01-10T02:00:00.000Z');
  const register = makeRegisterWorkers({ ...fakes, clock, reportsBucket: REPORTS_BUCKET });
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    return register({ bucket: INTAKE_BUCKET, key });
  };
  return { ...fakes, clock, register, upload };
}

describe('register-workers', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('enrolls every valid worker with one ENROLLED history entry each', async () => {
    const out = await t.upload(
      'incoming/workers/15.04/batch-1.csv',
      workersCsv([{ nik: nikOf(1) }, { nik: nikOf(2), kpj: '12345678901' }]),
    );
    expect(out).toMatchObject({ kind: 'WORKERS', status: 'ACCEPTED', pool: '15.04' });
    expect(out.counts).toEqual({ dataRows: 2, acceptedRows: 2, rejectedRows: 0 });
    expect(await t.workers.getEnrollment('15.04', nikOf(2))).toMatchObject({
      kpj: '12345678901',
      tier: 'JKK_JKM',
      occupation: 'Petani',
      enrolledOn: '2025-07-01',
      fileId: out.fileId,
    });
    const history = await t.workers.history('15.04', nikOf(1));
    expect(history.map((h) => h.change)).toEqual(['ENROLLED']);
    expect(out.reportKey).toBe(`reports/rejections/15.04/workers/${out.fileId}.csv`);
  });

  it('records updates and exits as history, skips unchanged rows, and is idempotent on redelivery', async () => {
    await t.upload('incoming/workers/15.04/a.csv', workersCsv([{ nik: nikOf(1) }, { nik: nikOf(2) }]));
    t.clock.set('2026-02-10T02:00:00.000Z');
    const key = 'incoming/workers/15.04/b.csv';
    const text = workersCsv([
      { nik: nikOf(1), tier: 'JKK_JKM_JHT', kpj: '12345678901' },
      { nik: nikOf(2), exitOn: '2026-01-31', exitReason: 'pindah domisili' },
    ]);
    await t.upload(key, text);
    await t.register({ bucket: INTAKE_BUCKET, key });
    // A redelivery after a crash mid-apply (file still PROCESSING) rewrites the same history items.
    const recorded = [...t.files.files.values()].find((f) => f.key === key);
    if (!recorded) throw new Error('file not recorded');
    await t.files.putFile({ ...recorded, status: 'PROCESSING' });
    t.clock.set('2026-02-11T02:00:00.000Z');
    await t.register({ bucket: INTAKE_BUCKET, key });

    const h1 = await t.workers.history('15.04', nikOf(1));
    expect(h1.map((h) => h.change)).toEqual(['ENROLLED', 'UPDATED']);
    expect(h1[1]?.before?.tier).toBe('JKK_JKM');
    expect(h1[1]?.after).toMatchObject({ tier: 'JKK_JKM_JHT', kpj: '12345678901' });
    const h2 = await t.workers.history('15.04', nikOf(2));
    expect(h2.map((h) => h.change)).toEqual(['ENROLLED', 'EXITED']);
    expect(await t.workers.getEnrollment('15.04', nikOf(2))).toMatchObject({
      exitedOn: '2026-01-31',
      exitReason: 'pindah domisili',
    });
    expect(t.workers.historyItems.size).toBe(4);
  });

  it('never re-enrolls an exited worker silently, and rejects a NIK enrolled in another pool', async () => {
    await t.upload(
      'incoming/workers/15.04/a.csv',
      workersCsv([{ nik: nikOf(1), exitOn: '2025-12-01', exitReason: 'meninggal' }]),
    );
    await t.upload('incoming/workers/15.03/a.csv', workersCsv([{ nik: nikOf(5) }]));
    const out = await t.upload(
      'incoming/workers/15.04/b.csv',
      workersCsv([{ nik: nikOf(1) }, { nik: nikOf(5) }, { nik: nikOf(6) }]),
    );

    expect(out.status).toBe('PARTIALLY_REJECTED');
    expect(out.counts).toEqual({ dataRows: 3, acceptedRows: 1, rejectedRows: 2 });
    const report = (await t.objects.getText(REPORTS_BUCKET, out.reportKey)).split('\r\n');
    expect(report[1]).toMatch(/^2;nik;1504\*+\d\d;WORKER_EXITED;/);
    expect(report[2]).toMatch(/^3;nik;1504\*+\d\d;WORKER_OTHER_POOL;/);
    expect(report.join('\n')).not.toContain(nikOf(5));
    expect(await t.workers.getEnrollment('15.04', nikOf(5))).toBeUndefined();
    expect((await t.workers.history('15.04', nikOf(1))).map((h) => h.change)).toEqual(['EXITED']);
  });

  it('a NIK claimed by another pool between the read and the write is rejected alone', async () => {
    // The other pool's claim lands after this file read the owners (the race recordChanges refuses).
    const findOwners = t.workers.findOwners.bind(t.workers);
    t.workers.findOwners = async (niks) => {
      const owners = await findOwners(niks);
      t.workers.owners.set(nikOf(8), '15.03');
      return owners;
    };
    const rows = Array.from({ length: 30 }, (_, i) => ({ nik: nikOf(i) }));
    const out = await t.upload('incoming/workers/15.04/race.csv', workersCsv(rows));

    expect(out.counts).toEqual({ dataRows: 30, acceptedRows: 29, rejectedRows: 1 });
    const report = (await t.objects.getText(REPORTS_BUCKET, out.reportKey)).split('\r\n');
    expect(report[1]).toMatch(/^10;nik;1504\*+\d\d;WORKER_OTHER_POOL;/);
    expect(await t.workers.getEnrollment('15.04', nikOf(8))).toBeUndefined();
    expect(await t.workers.history('15.04', nikOf(8))).toEqual([]);
    expect((await t.workers.history('15.04', nikOf(29))).map((h) => h.line)).toEqual([31]);
  });

  it('a broken file changes nothing', async () => {
    const out = await t.upload('incoming/workers/15.04/bad.csv', 'nama;paket\r\nSiti;JKK_JKM\r\n');
    expect(out.status).toBe('REJECTED');
    expect(out.rejectReason).toBe('COLUMN_MISSING');
    expect(t.workers.enrollments.size).toBe(0);
  });

  it('lists enrollments in NIK order, in pages of at most 1,000', async () => {
    const rows = Array.from({ length: 1_050 }, (_, i) => ({ nik: nikOf(i) }));
    await t.upload('incoming/workers/15.04/big.csv', workersCsv(rows));
    const pages: number[] = [];
    const niks: string[] = [];
    for await (const page of t.workers.listEnrollments('15.04')) {
      pages.push(page.length);
      niks.push(...page.map((w) => w.nik));
    }
    expect(pages).toEqual([1_000, 50]);
    expect(niks).toEqual([...niks].sort());
  });
});
