/** The intake templates (docs/intake.md#templates): what they hold, and that the intake reads them back once filled in. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, templateCsv, templateXlsx } from '#shared/intake/templates.ts';
import { fromBuffer, type IntakeKind, runIntake } from './run-intake.ts';

const ROWS: Record<'payroll' | 'workers' | 'grant', { kind: IntakeKind; row: string[] }> = {
  payroll: { kind: 'payroll', row: ['198609262015051001', 'Budi', '2026-01', '16800', '1504014107850001'] },
  workers: {
    kind: 'workers',
    row: ['1504014107850001', 'Sri', '12345678901', 'JKK_JKM', 'petani', '2025-06-01'],
  },
  grant: { kind: 'grants', row: ['BKBK-1', 'BKBK', '2026-01', '10000000', 'desa A'] },
};

describe('sertakan template', () => {
  it.each(Object.entries(ROWS))(
    '%s CSV: header and the example row; unchanged it is empty, read back once a row is added',
    async (kind, { kind: k, row }) => {
      const csv = templateCsv(kind as keyof typeof ROWS);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      expect((await runIntake(k, fromBuffer(Buffer.from(csv)))).summary).toEqual({
        file: 'FILE_EMPTY',
        line: 1,
      });
      expect(csv.split('\r\n')[1]).toBe(EXAMPLES[kind as keyof typeof ROWS].join(';'));
      const filled = Buffer.from(`${csv}${row.join(';')}\r\n`);
      expect((await runIntake(k, fromBuffer(filled))).summary).toMatchObject({ accepted: 1, rejected: [] });
      // The example with one cell changed is the sender's row, read as any other.
      const example = [...EXAMPLES[kind as keyof typeof ROWS]];
      example[1] = 'Nama Sebenarnya';
      const edited = Buffer.from(`${csv.split('\r\n')[0]}\r\n${example.join(';')}\r\n`);
      expect((await runIntake(k, fromBuffer(edited))).outcomes).toHaveLength(1);
    },
  );

  it.each(Object.entries(ROWS))(
    '%s XLSX: identifier and period columns are Text; read back once filled',
    async (kind, { kind: k, row }) => {
      const book = new ExcelJS.Workbook();
      const template = await templateXlsx(kind as keyof typeof ROWS);
      await book.xlsx.load(new Uint8Array(template).buffer);
      const data = book.getWorksheet('Data');
      if (data === undefined) throw new Error('no Data sheet');
      const header = (data.getRow(1).values as unknown[]).slice(1).map(String);
      for (const [i, name] of header.entries()) {
        const textColumn = /^(nip|nik|nik_pekerja|kpj|periode|tanggal_daftar|referensi)$/i.test(name);
        expect(data.getCell(2, i + 1).numFmt === '@', name).toBe(textColumn);
      }
      // The example row is there; the template sent back unchanged is an empty file.
      expect((data.getRow(2).values as unknown[]).slice(1).map(String)).toEqual([
        ...EXAMPLES[kind as keyof typeof ROWS],
      ]);
      expect((await runIntake(k, fromBuffer(template, 4096))).summary).toMatchObject({ file: 'FILE_EMPTY' });
      const help = book.getWorksheet('Petunjuk');
      expect(help?.getCell('A1').value).toBe('PETUNJUK PENGISIAN');
      expect(String(help?.getCell('B2').value)).toMatch(/^Satu baris per /);
      data.getRow(2).values = row;
      const bytes = Buffer.from(await book.xlsx.writeBuffer());
      expect((await runIntake(k, fromBuffer(bytes, 4096))).summary).toMatchObject({
        accepted: 1,
        rejected: [],
      });
    },
  );
});
