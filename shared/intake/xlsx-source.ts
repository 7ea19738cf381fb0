/**
 * Streams the worksheets of an XLSX, in order, each row tagged with its sheet index (openTable keeps the
 * first sheet that has the header), through exceljs's streaming WorkbookReader. exceljs parks a
 * worksheet in a temp file when it precedes the shared strings in the zip, so memory stays flat
 * either way. Any failure of exceljs/unzipper on the bytes means "not a readable XLSX"; a failure of
 * the source stream itself (S3) is rethrown untouched so the caller retries.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isBlankRow, toRow } from './cells.ts';
import { FileRejectedError } from './errors.ts';
import type { TableRow } from './table.ts';

export async function* xlsxRows(
  bytes: AsyncIterable<Buffer>,
  maxFieldLength: number,
): AsyncGenerator<TableRow> {
  const source: { error?: unknown } = {};
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* bytes;
    } catch (error) {
      source.error = error;
      throw error;
    }
  }
  const input = Readable.from(guarded());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // needed to tell a date cell from a number
    entries: 'ignore',
  });
  let sheet = -1;
  try {
    for await (const worksheet of reader) {
      sheet++;
      for await (const row of worksheet) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        const cells = Array.from(values, (value) => cellText(value));
        const tableRow = toRow(row.number, cells, maxFieldLength);
        if (!isBlankRow(tableRow.cells)) yield { ...tableRow, sheet };
      }
    }
  } catch (error) {
    if (source.error !== undefined) throw source.error;
    if (error instanceof FileRejectedError) throw error;
    throw new FileRejectedError('FILE_NOT_TABULAR', 'XLSX cannot be read');
  } finally {
    input.destroy();
  }
  if (sheet < 0) throw new FileRejectedError('FILE_NOT_TABULAR', 'XLSX without a worksheet');
}

/**
 * What a payroll clerk sees in the cell, as text for the same validators as CSV. Whole numbers of 16
 * or more digits (an 18-digit NIP or 16-digit NIK typed as a number) have already lost digits, since
 * Excel keeps 15 significant digits: they become exponent text, which the identifier validators
 * report as damaged by Excel (NIP_EXCEL_NUMBER ...) instead of yielding a wrong but plausible number. Fractions keep two decimals with a
 * comma, so `16800.5` reads as an amount with sen. A formula yields its cached number or date; a
 * text-producing formula (HYPERLINK ...) yields its formula text, so it is treated as formula text.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  const cell = value as Record<string, unknown>;
  if (Array.isArray(cell.richText)) {
    return cell.richText.map((part: unknown) => textOf(part)).join('');
  }
  if (typeof cell.formula === 'string' || typeof cell.sharedFormula === 'string') {
    const result = cell.result;
    if (typeof result === 'number' || result instanceof Date) return cellText(result);
    return `=${String(cell.formula ?? cell.sharedFormula)}`;
  }
  if (typeof cell.text === 'string') return cell.text;
  if (typeof cell.error === 'string') return cell.error;
  return '';
}

/** Excel keeps 15 significant digits: a whole number of 16 or more digits has lost some. */
const EXCEL_EXACT_LIMIT = 1e15;

function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < EXCEL_EXACT_LIMIT ? String(n) : n.toExponential();
  return n.toFixed(2).replace('.', ',');
}

function textOf(part: unknown): string {
  return typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
    ? (part as { text: string }).text
    : '';
}
