import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine, formatCsv } from '#shared/csv/write-csv.ts';
import { matchColumns } from '#shared/intake/columns.ts';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { RejectionReport } from '#shared/intake/rejection-report.ts';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+cmd', "'+cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['\tx', "'\tx"],
    ['-16800', '-16800'],
    ['16800,50', '"16800,50"'],
    ['Siti; Aminah', '"Siti; Aminah"'],
    ['plain', 'plain'],
  ])('%j -> %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('leaves numbers numeric, including negative corrections', () => {
    expect(csvLine([-16800, 0, null, undefined, 'a'])).toBe('-16800;0;;;a\r\n');
  });

  it('writes the Indonesian-Excel flavour by default: BOM, ;, CRLF', () => {
    expect(formatCsv([['a', 1]])).toBe(`${CSV_BOM}a;1\r\n`);
    expect(formatCsv([['a', 1]], { delimiter: ',', bom: false })).toBe('a,1\r\n');
  });
});

describe('RejectionReport', () => {
  it('renders the file-level row first, then rows, with both languages', () => {
    const report = new RejectionReport();
    report.add({ line: 4, field: 'NIP', value: '1986************01', reason: 'DUPLICATE_ROW' });
    report.rejectFile(new FileRejectedError('CONTROL_TOTAL_MISMATCH', 'declared 3 rows', 9));
    const lines = report.toCsv().split('\r\n');
    expect(lines[0]).toBe(`${CSV_BOM}baris;kolom;nilai;kode;keterangan;description`);
    expect(lines[1]).toMatch(
      /^9;;declared 3 rows;CONTROL_TOTAL_MISMATCH;Total kontrol .*;The control totals .*$/,
    );
    expect(lines[2]).toBe(
      '4;NIP;1986************01;DUPLICATE_ROW;Baris ganda dalam berkas yang sama.;Duplicate row within the same file.',
    );
    expect(report.fileReason).toBe('CONTROL_TOTAL_MISMATCH');
  });

  it('caps kept rows but counts all and says how many were left out', async () => {
    const report = new RejectionReport(3);
    for (let line = 2; line < 12; line++)
      report.add({ line, field: 'jumlah', value: '0', reason: 'AMOUNT_ZERO' });
    let text = '';
    for await (const chunk of report.toCsvChunks()) text += chunk;
    const lines = text.trimEnd().split('\r\n');
    expect(report.count).toBe(10);
    expect(report.countsByReason.get('AMOUNT_ZERO')).toBe(10);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines.at(-1)).toContain('and 7 more rejected rows not shown');
  });
});

describe('matchColumns', () => {
  const spec = {
    nip: { names: ['nip'], required: true },
    name: { names: ['nama', 'name'], required: true },
    workerNik: { names: ['nik_pekerja', 'worker_nik'], required: false },
  };

  it('ignores case, spaces, underscores and a BOM', () => {
    expect(matchColumns(['\uFEFFNIP', ' Nama ', 'Worker NIK'], spec)).toEqual({
      nip: 0,
      name: 1,
      workerNik: 2,
    });
    expect(matchColumns(['x', 'name', 'nip'], spec)).toEqual({ nip: 2, name: 1, workerNik: undefined });
  });

  it('names the missing column, rejects duplicates, and calls a header with no known column missing', () => {
    expect(() => matchColumns(['nip'], spec)).toThrow(/nama\/name/);
    expect(() => matchColumns(['nip', 'nama', 'NAME'], spec)).toThrow(
      expect.objectContaining({ reason: 'COLUMN_DUPLICATED' }),
    );
    expect(() => matchColumns(['a', 'b'], spec)).toThrow(
      expect.objectContaining({ reason: 'HEADER_MISSING' }),
    );
  });
});
