import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { templateCsv, templateXlsx } from '#shared/intake/templates.ts';
import { makeApplyConfirmations } from '#shared/use-cases/bpjs-loop/apply-confirmations.ts';
import { InMemoryConfirmationStore } from '#test/support/in-memory-bpjs-loop.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { workerNik } from '../ingest/chunk-factory.ts';
import { fixedClock } from '../intake-use-cases/payroll-fixtures.ts';

const HEADER = 'kpj;nik;bulan;program;jumlah;status;kpj_baru;keterangan';
const csv = (rows: readonly string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;
const KEY = 'incoming/bpjs/15.04/2026-03/konfirmasi.csv';

async function setup() {
  const fakes = makeIntakeFakes();
  const confirmations = new InMemoryConfirmationStore();
  const clock = fixedClock('2026-03-20T02:00:00.000Z');
  for (const i of [1, 2]) {
    await fakes.workers.recordChange({
      pool: '15.04',
      nik: workerNik(i),
      change: 'ENROLLED',
      after: {
        pool: '15.04',
        nik: workerNik(i),
        name: `W ${i}`,
        tier: 'JKK_JKM',
        occupation: 'petani',
        enrolledOn: '2026-01-01',
        updatedAt: '2026-01-01T00:00:00.000Z',
        fileId: 'w',
        ...(i === 1 ? { kpj: '11111111111' } : {}),
      },
      recordedAt: '2026-01-01T00:00:00.000Z',
      fileId: 'w',
      line: i + 1,
    });
  }
  const apply = makeApplyConfirmations({ ...fakes, confirmations, clock, reportsBucket: REPORTS_BUCKET });
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    return apply({ bucket: INTAKE_BUCKET, key });
  };
  return { ...fakes, confirmations, clock, upload };
}

describe('applyConfirmations', () => {
  it('stores the valid lines, rejects bad rows with reasons, assigns the new KPJ with history; once', async () => {
    const t = await setup();
    const rows = [
      `11111111111;${workerNik(1)};2026-03;JKK_JKM;16800;DITERIMA;;`,
      `;${workerNik(2)};03/2026;jkk jkm;Rp16.800;diterima;22222222222;baru`,
      `;${workerNik(3)};2026-02;JKK_JKM;16800;DITERIMA;;`,
      `;${workerNik(4)};2026-03;JKK_JKM;16800;LUNAS;;`,
      `;${workerNik(5)};2026-03;JKK_JKM;16800;DITOLAK;;tidak dikenal`,
    ];
    const out = await t.upload(KEY, csv(rows));
    expect(out).toMatchObject({
      kind: 'BPJS',
      status: 'PARTIALLY_REJECTED',
      counts: { dataRows: 5, acceptedRows: 3, rejectedRows: 2 },
      amounts: { accepted: 33_600 },
      current: true,
      kpjsAssigned: 1,
    });
    const report = await t.objects.getText(REPORTS_BUCKET, out.reportKey);
    expect(report).toContain('BPJS_MONTH_MISMATCH');
    expect(report).toContain('BPJS_STATUS_INVALID');
    expect((await t.workers.getEnrollment('15.04', workerNik(2)))?.kpj).toBe('22222222222');
    const history = await t.workers.history('15.04', workerNik(2));
    expect(history.at(-1)).toMatchObject({
      change: 'UPDATED',
      before: { nik: workerNik(2) },
      after: { kpj: '22222222222' },
    });

    const again = await t.upload(KEY, csv(rows));
    expect(again).toMatchObject({ status: 'DUPLICATE', fileId: out.fileId, kpjsAssigned: 0 });
    expect(await t.workers.history('15.04', workerNik(2))).toHaveLength(history.length);
  });

  it('a corrected file replaces the month’s answer; an older one delivered late does not', async () => {
    const t = await setup();
    const first = await t.upload(KEY, csv([`11111111111;${workerNik(1)};2026-03;JKK_JKM;16800;DITERIMA;;`]));
    t.clock.set('2026-03-21T02:00:00.000Z');
    const second = await t.upload(
      'incoming/bpjs/15.04/2026-03/koreksi.csv',
      csv([`11111111111;${workerNik(1)};2026-03;JKK_JKM;16800;DITOLAK;;`]),
    );
    expect(second.current).toBe(true);
    expect((await t.confirmations.current('15.04', '2026-03'))?.fileId).toBe(second.fileId);
    // The first file's event delivered again: recorded already, the newer answer still counts.
    const late = await t.upload(KEY, csv([`11111111111;${workerNik(1)};2026-03;JKK_JKM;16800;DITERIMA;;`]));
    expect(late).toMatchObject({ status: 'DUPLICATE', fileId: first.fileId, current: false });
    expect((await t.confirmations.current('15.04', '2026-03'))?.fileId).toBe(second.fileId);
  });

  it('rejects a file whole when its key has no month, or its header misses a column', async () => {
    const t = await setup();
    const noMonth = await t.upload('incoming/bpjs/15.04/konfirmasi.csv', csv([]));
    expect(noMonth).toMatchObject({ status: 'REJECTED', rejectReason: 'KEY_INVALID', current: false });
    const noStatus = await t.upload(KEY, 'kpj;nik;bulan;program;jumlah\r\n;1;2026-03;JKK_JKM;1\r\n');
    expect(noStatus).toMatchObject({ status: 'REJECTED', rejectReason: 'COLUMN_MISSING' });
  });
});

describe('sertakan template bpjs', () => {
  const row = ['', workerNik(1), '2026-03', 'JKK_JKM', '16800', 'DITERIMA', '12345678901', ''];

  it('CSV: header only; read back by the intake once a row is added', async () => {
    const t = await setup();
    const empty = await t.upload(KEY, templateCsv('bpjs'));
    expect(empty).toMatchObject({ status: 'REJECTED', rejectReason: 'FILE_EMPTY' });
    const out = await t.upload(KEY, `${templateCsv('bpjs')}${row.join(';')}\r\n`);
    expect(out).toMatchObject({ status: 'ACCEPTED', counts: { acceptedRows: 1 }, kpjsAssigned: 1 });
  });

  it('XLSX: identifier and month columns as Text; read back by the intake once filled', async () => {
    const t = await setup();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(await templateXlsx('bpjs')).buffer);
    const data = book.getWorksheet('Data');
    if (data === undefined) throw new Error('no Data sheet');
    const header = (data.getRow(1).values as unknown[]).slice(1).map(String);
    for (const [i, name] of header.entries())
      expect(data.getCell(2, i + 1).numFmt === '@', name).toBe(/^(kpj|nik|bulan|kpj_baru)$/i.test(name));
    data.getRow(2).values = row;
    const key = 'incoming/bpjs/15.04/2026-03/konfirmasi.xlsx';
    await t.objects.put(
      INTAKE_BUCKET,
      key,
      Buffer.from(await book.xlsx.writeBuffer()),
      'application/octet-stream',
    );
    const apply = makeApplyConfirmations({
      ...t,
      clock: t.clock,
      reportsBucket: REPORTS_BUCKET,
    });
    expect(await apply({ bucket: INTAKE_BUCKET, key })).toMatchObject({
      status: 'ACCEPTED',
      kpjsAssigned: 1,
    });
  });
});
