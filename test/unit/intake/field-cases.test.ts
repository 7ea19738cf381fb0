/**
 * The treasurers' field cases (test/fixtures/field-cases: files shaped like what treasurers send): files
 * shaped like what treasurers really send, each with the exact outcome its README states, run through
 * openTable and the row validators (line numbers and reason codes included). The same files go through
 * the real handlers on the local cloud in test/integration/intake/field-cases.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBuffer, type IntakeKind, type IntakeSummary, runIntake } from './run-intake.ts';

const DIR = new URL('../../fixtures/field-cases/', import.meta.url);

const CASES: Record<string, { kind: IntakeKind; summary: IntakeSummary }> = {
  'f03-sep-line.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f04-title-rows.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f05-nip-formats.csv': {
    kind: 'payroll',
    summary: { accepted: 2, amount: 33_600, rejected: [[3, 'NIP_EXCEL_NUMBER']] },
  },
  'f06-amount-formats.csv': { kind: 'payroll', summary: { accepted: 4, amount: 120_400, rejected: [] } },
  'f07-one-donor-two-earmarks.csv': {
    kind: 'payroll',
    summary: { accepted: 2, amount: 53_600, rejected: [] },
  },
  'f08-utf16-tab.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f10-period-formats.csv': { kind: 'payroll', summary: { accepted: 4, amount: 67_200, rejected: [] } },
  'f11-workers-formats.csv': { kind: 'workers', summary: { accepted: 3, amount: 0, rejected: [] } },
  'f13-jumlah-row.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f23-hidden-draft-sheet.xlsx': {
    kind: 'payroll',
    summary: { accepted: 2, amount: 53_600, rejected: [] },
  },
  'f25-two-row-header.xlsx': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f25-number-row.xlsx': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
};

const read = (file: string) => readFileSync(new URL(file, DIR));

describe('field cases', () => {
  it.each(Object.entries(CASES))('%s', async (file, { kind, summary }) => {
    const run = await runIntake(kind, fromBuffer(read(file), 5));
    expect(run.summary).toEqual(summary);
  });

  it('f23: the visible sheet is read, by name, not the hidden draft in front of it', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f23-hidden-draft-sheet.xlsx')));
    expect(run.sheet).toBe('JAN 2026');
    const rows = run.outcomes.flatMap((o) => (o.ok ? [[o.line, o.value.amount]] : []));
    expect(rows).toEqual([
      [2, 16_800],
      [3, 36_800],
    ]);
  });

  it('f25: the stacked table head and the column-number row are neither data nor rejections', async () => {
    for (const [file, first] of [
      ['f25-two-row-header.xlsx', 8],
      ['f25-number-row.xlsx', 7],
    ] as const) {
      const run = await runIntake('payroll', fromBuffer(read(file)));
      expect(run.outcomes.map((o) => o.line)).toEqual([first, first + 1]);
      expect(run.dataRows).toBe(2);
    }
  });

  it('f04: the header is found on line 5, under the title rows', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f04-title-rows.csv')));
    expect(run.outcomes.map((o) => o.line)).toEqual([6, 7]);
  });

  it('f05: the spaced NIP and the NIP with Excel text marker read as their 18 digits', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f05-nip-formats.csv')));
    const nips = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { nip?: string }).nip] : []));
    expect(nips).toEqual(['198609262015051001', '198811302010012003']);
  });

  it('f07: both earmarks are kept; an exact repeat is DUPLICATE_ROW', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f07-one-donor-two-earmarks.csv')));
    const marks = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { workerNik?: string }).workerNik] : []));
    expect(marks).toEqual(['1504014107850001', '1504020101800002']);
    const repeated = Buffer.concat([
      read('f07-one-donor-two-earmarks.csv'),
      Buffer.from('198609262015051001;Budi Santoso;2026-01;36800;1504020101800002\r\n'),
      Buffer.from('198609262015051001;Budi Santoso;2026-01;20000;1504020101800002\r\n'),
    ]);
    const again = await runIntake('payroll', fromBuffer(repeated));
    expect(again.summary).toEqual({
      accepted: 2,
      amount: 53_600,
      rejected: [
        [4, 'DUPLICATE_ROW'],
        [5, 'DUPLICATE_ROW'],
      ],
    });
    const variants = again.outcomes.flatMap((o) => (o.ok ? [] : [o.variant]));
    expect(variants).toEqual([undefined, 'DUPLICATE_ROW_AMOUNT']);
  });

  it('f10: every spelling of the period reads as 2026-01', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f10-period-formats.csv')));
    const periods = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { period?: string }).period] : []));
    expect(periods).toEqual(['2026-01', '2026-01', '2026-01', '2026-01']);
  });

  it('f11: dates, spaced NIK and package spellings are normalised', async () => {
    const run = await runIntake('workers', fromBuffer(read('f11-workers-formats.csv')));
    const workers = run.outcomes.flatMap((o) => {
      if (!o.ok) return [];
      const w = o.value as unknown as { nik: string; tier: string; enrolledOn: string };
      return [[w.nik, w.tier, w.enrolledOn]];
    });
    expect(workers).toEqual([
      ['1504014107850001', 'JKK_JKM', '2025-06-01'],
      ['1504020101800002', 'JKK_JKM_JHT', '2025-07-01'],
      ['1504030202790003', 'JKK_JKM', '2025-08-01'],
    ]);
  });

  it('f13 with a signature block under JUMLAH: one footer, no rows from it, the total still enforced', async () => {
    const signatures = [
      ';;;;',
      ';;Mengetahui,;;Bendahara Pengeluaran',
      ';;Kepala Dinas Kesehatan;;',
      ';196912311995031004;Dr. Kepala;;',
      ';;NIP. 19750314 200012 1 002;;NIP. 198811302010012003',
    ];
    const text = `${read('f13-jumlah-row.csv').toString('utf8').trimEnd()}\r\n${signatures.join('\r\n')}\r\n`;
    const run = await runIntake('payroll', fromBuffer(Buffer.from(text), 7));
    expect(run.summary).toEqual({ accepted: 2, amount: 33_600, rejected: [] });
    expect(run.footer).toEqual({ line: 6, rows: 4 });
    const nips = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { nip?: string }).nip] : []));
    expect(nips).not.toContain('196912311995031004');
    const wrong = text.replace(';;JUMLAH;;33.600', ';;JUMLAH;;33.700');
    expect((await runIntake('payroll', fromBuffer(Buffer.from(wrong)))).summary).toEqual({
      file: 'CONTROL_TOTAL_MISMATCH',
      line: 4,
    });
  });

  it('a JUMLAH with sen is rejected whole, saying in Bahasa what to fix', async () => {
    const text = read('f13-jumlah-row.csv')
      .toString('utf8')
      .replace(';;JUMLAH;;33.600', ';;JUMLAH;;Rp33.600,50');
    const error = await runIntake('payroll', fromBuffer(Buffer.from(text)));
    expect(error.summary).toEqual({ file: 'CONTROL_TOTAL_MISMATCH', line: 4 });
    const { checkControlTotals } = await import('#shared/intake/control-totals.ts');
    const detail = checkControlTotals({
      dataRows: 2,
      acceptedAmount: 33_600,
      rejectedAmount: 0,
      control: { rows: Number.NaN, sum: Number.NaN, line: 4, hasSen: true },
    })?.detail;
    expect(detail).toMatch(
      /^baris JUMLAH memuat sen: .*hapus sen pada baris data dan pada JUMLAH, lalu kirim ulang/,
    );
  });

  it('f13: a JUMLAH sum row that does not match rejects the file whole', async () => {
    const text = read('f13-jumlah-row.csv').toString('utf8').replace(';;JUMLAH;;33.600', ';;JUMLAH;;33.700');
    const run = await runIntake('payroll', fromBuffer(Buffer.from(text)));
    expect(run.summary).toEqual({ file: 'CONTROL_TOTAL_MISMATCH', line: 4 });
  });
});

/** Each kind of field fault in the other files it applies to: workers, grants, XLSX. */
describe('the same kinds in worker, grant and XLSX files', () => {
  const WORKERS = [
    'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
    "'1504014107850001;Sri;;JKK + JKM;petani;1/6/2025",
    '1504-0201-0180-0002;Ahmad;;jkk jkm jht;buruh;17 Agustus 2025',
    '1504030202790003;Joko;;JKK_JKM;tukang;45870',
  ];

  it('workers: sep= hint, title rows, grouped NIKs, JUMLAH count row', async () => {
    const text = ['sep=;', 'DAFTAR PEKERJA RENTAN;;;;;', ';;;;;', ...WORKERS, 'JUMLAH;3;;;;'].join('\r\n');
    const run = await runIntake('workers', fromBuffer(Buffer.from(text), 3));
    // `45870` in a CSV is not a date: only an XLSX cell is an Excel serial. Rows as Excel numbers
    // them: it hides the `sep=` line, so the title is row 1.
    expect(run.summary).toEqual({ accepted: 2, amount: 0, rejected: [[6, 'DATE_INVALID']] });
    const wrong = text.replace('JUMLAH;3', 'JUMLAH;4');
    expect((await runIntake('workers', fromBuffer(Buffer.from(wrong)))).summary).toEqual({
      file: 'CONTROL_TOTAL_MISMATCH',
      line: 7,
    });
  });

  it('workers: a NIK Excel turned into a number says so', async () => {
    const text = [...WORKERS.slice(0, 2), '1,50402E+15;Ahmad;;JKK_JKM;buruh;2025-07-01'].join('\n');
    const run = await runIntake('workers', fromBuffer(Buffer.from(text)));
    expect(run.summary).toEqual({ accepted: 1, amount: 0, rejected: [[3, 'NIK_EXCEL_NUMBER']] });
  });

  it('grants: UTF-16 tab text, English amounts and month names, a GRAND TOTAL row', async () => {
    const rows = [
      'REKAP HIBAH BKBK',
      'referensi\tsumber\tperiode\tjumlah\tketerangan',
      'BKBK-1\tBKBK\tJan-26\t10,000,000.00\tdesa A',
      'BKBK-2\tbkbk\tFebruari 2026\tRp 5.000.000,-\tdesa B',
      '\t\tGRAND TOTAL\t15.000.000\t',
    ];
    const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    const run = await runIntake('grants', fromBuffer(utf16(rows.join('\r\n')), 7));
    expect(run.summary).toEqual({ accepted: 2, amount: 15_000_000, rejected: [] });
    const wrong = rows.join('\r\n').replace('15.000.000', '16.000.000');
    expect((await runIntake('grants', fromBuffer(utf16(wrong)))).summary).toEqual({
      file: 'CONTROL_TOTAL_MISMATCH',
      line: 5,
    });
  });

  it('XLSX: the first sheet with the header, a merged title, serial periods, damaged numbers, a JUMLAH formula', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Petunjuk').addRow(['Isi lembar berikutnya; jangan ubah judul kolom.']);
    const sheet = book.addWorksheet('Potongan');
    sheet.addRow(['DAFTAR POTONGAN SERTAKAN']);
    sheet.mergeCells('A1:E1');
    sheet.addRow([]);
    sheet.addRow(['No', 'NIP', 'Nama', 'Periode', 'Jumlah']);
    sheet.addRow([1, '198609262015051001', 'Budi', 46023, 16800]);
    // A NIP typed as a number: Excel keeps a double, which has already lost its last digits.
    sheet.addRow([2, Number('198609262015051002'), 'Ani', 46023, 16800]);
    sheet.addRow([3, "'198811302010012003", 'Andi', new Date(Date.UTC(2026, 0, 1)), 16800]);
    sheet.addRow(['', '', 'JUMLAH', '', { formula: 'SUM(E4:E6)', result: 50400 }]);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const run = await runIntake('payroll', fromBuffer(bytes, 4096));
    expect(run.format).toBe('xlsx');
    expect(run.summary).toEqual({ accepted: 2, amount: 33_600, rejected: [[5, 'NIP_EXCEL_NUMBER']] });
  });
});
