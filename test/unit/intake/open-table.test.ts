import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { openTable, type Table, type TableRow } from '#shared/intake/open-table.ts';
import { PAYROLL_COLUMNS } from '#shared/intake/payroll-rows.ts';
import { fromBuffer } from './run-intake.ts';

const DIR = new URL('../../fixtures/intake/', import.meta.url);
const HEADER = 'nip;nama;periode;jumlah\n';
const ROW = '198609262015051001;Budi;2026-01;16800\n';

async function rowsOf(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function rejection(promise: Promise<unknown>): Promise<FileRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FileRejectedError))
    throw new Error(`expected FileRejectedError, got ${String(error)}`);
  return error;
}

describe('openTable', () => {
  it('decodes a Latin-1 file as windows-1252 and keeps the accents', async () => {
    const table = await openTable(fromBuffer(readFileSync(new URL('p04-latin1-names.csv', DIR))), {
      fileName: 'x',
    });
    const rows = await rowsOf(table);
    expect(table.encoding).toBe('windows-1252');
    expect(rows.map((r) => r.cells[1])).toEqual(['Sölvi Hartönö', 'Aïsyah Nurçahya']);
  });

  it('strips the BOM from the first header name and picks ; over ,', async () => {
    const table = await openTable(fromBuffer(Buffer.from(`\uFEFF${HEADER}${ROW}`), 1), { fileName: 'x' });
    expect(table.delimiter).toBe(';');
    expect(table.header.columns).toEqual(['nip', 'nama', 'periode', 'jumlah']);
  });

  it('numbers rows as Excel shows them: a quoted CRLF is one row, a blank line is a row', async () => {
    const text = `${HEADER}198609262015051001;"Siti\r\nAminah";2026-01;16800\r\n\r\n;;;\r\n${ROW}`;
    const rows = await rowsOf(await openTable(fromBuffer(Buffer.from(text), 3), { fileName: 'x' }));
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(rows[0]?.cells[1]).toBe('Siti\nAminah');
  });

  it('rejects a 5 MB single-field line whole with FIELD_TOO_LONG and its line, without holding it', async () => {
    const giant = Buffer.concat([
      Buffer.from(HEADER + ROW),
      Buffer.alloc(5 * 1024 * 1024, 'x'),
      Buffer.from(`\n${ROW}`),
    ]);
    // csv-parse reads ahead, so the rejection may surface from openTable or from the rows.
    const error = await rejection(openTable(fromBuffer(giant, 64 * 1024), { fileName: 'x' }).then(rowsOf));
    expect(error.reason).toBe('FIELD_TOO_LONG');
    expect(error.line).toBe(3);
  });

  it('flags a row with invalid UTF-8 found after the sniffed window as TEXT_INVALID', async () => {
    const filler = ROW.repeat(Math.ceil((70 * 1024) / ROW.length));
    const bad = Buffer.from('198609262015051002;S\xf6lvi;2026-01;16800\n', 'latin1');
    const bytes = Buffer.concat([Buffer.from(HEADER + filler), bad]);
    const table = await openTable(fromBuffer(bytes, 4096), { fileName: 'x' });
    const rows = await rowsOf(table);
    expect(table.encoding).toBe('utf-8');
    expect(rows.at(-1)).toMatchObject({ issue: { reason: 'TEXT_INVALID', column: 1 } });
    expect(rows.filter((r) => r.issue !== undefined)).toHaveLength(1);
  });

  it('cuts a cell over maxFieldLength and flags it', async () => {
    const text = `${HEADER}198609262015051001;${'A'.repeat(30)};2026-01;16800\n`;
    const rows = await rowsOf(
      await openTable(fromBuffer(Buffer.from(text)), { fileName: 'x', maxFieldLength: 20 }),
    );
    expect(rows[0]?.cells[1]).toBe('A'.repeat(20));
    expect(rows[0]?.issue).toEqual({ reason: 'FIELD_TOO_LONG', column: 1 });
  });

  it('reads the first worksheet of an XLSX and pads short rows to the header width', async () => {
    const table = await openTable(fromBuffer(readFileSync(new URL('p27-small.xlsx', DIR))), {
      fileName: 'x.xlsx',
    });
    const rows = await rowsOf(table);
    expect(table.format).toBe('xlsx');
    expect(table.header.columns).toEqual(['NIP', 'Nama', 'Periode', 'Jumlah', 'NIK_Pekerja']);
    expect(rows[0]?.cells).toEqual(['198609262015051001', 'Sölvi Hartönö', '2026-01', '16800', '']);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 9]);
    expect(rows.some((r) => r.cells.includes('Tidak dibaca'))).toBe(false);
  });

  it('passes a failure of the source stream through untouched (a retry, not a rejection)', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(HEADER + ROW.repeat(5000));
      throw new Error('socket hang up');
    }
    const error = await openTable(broken(), { fileName: 'x' })
      .then(rowsOf)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).not.toBeInstanceOf(FileRejectedError);
    expect(error).toMatchObject({ message: 'socket hang up' });
  });
});

describe('which sheet of a workbook', () => {
  const list = (book: ExcelJS.Workbook, name: string, opts: Partial<ExcelJS.AddWorksheetOptions> = {}) => {
    const sheet = book.addWorksheet(name, opts);
    sheet.addRow(['NIP', 'Nama', 'Periode', 'Jumlah']);
    sheet.addRow(['198609262015051001', 'Budi', '2026-01', 16800]);
    return sheet;
  };
  const open = async (book: ExcelJS.Workbook) =>
    openTable(fromBuffer(Buffer.from(await book.xlsx.writeBuffer()), 4096), {
      fileName: 'x.xlsx',
      columns: PAYROLL_COLUMNS,
    });

  it('two visible lists: rejected whole, naming both sheets', async () => {
    const book = new ExcelJS.Workbook();
    list(book, 'JAN 2026');
    list(book, 'DES 2025');
    list(book, 'lama', { state: 'hidden' });
    const error = await rejection(open(book));
    expect(error.reason).toBe('SHEET_AMBIGUOUS');
    expect(error.detail).toMatch(/^lembar "JAN 2026", "DES 2025" sama-sama berisi daftar potongan/);
  });

  it('a visible instructions sheet and a header-only copy beside the list: the list is read', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Petunjuk').addRow(['Isi lembar Data.']);
    book.addWorksheet('Kosong').addRow(['NIP', 'Nama', 'Periode', 'Jumlah']);
    list(book, 'Data');
    const table = await open(book);
    expect(table.sheet).toBe('Data');
    expect((await rowsOf(table)).map((r) => r.line)).toEqual([2]);
  });
});
