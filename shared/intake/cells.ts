/**
 * Cells: raw cell texts into a TableRow (trims, cuts over-long cells, flags unreadable text), and a
 * spreadsheet or dBase cell value as the text the validators read (cellText).
 */
import type { RowIssue, TableRow } from './table.ts';

// C0 controls except tab/LF/CR, DEL, C1 controls, and U+FFFD (what a broken UTF-8 sequence decodes to).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNREADABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;

export function toRow(line: number, raw: readonly string[], maxFieldLength: number): TableRow {
  let issue: RowIssue | undefined;
  const cells = raw.map((value, column) => {
    let cell = value.trim();
    if (cell.length > maxFieldLength) {
      cell = cell.slice(0, maxFieldLength);
      issue ??= { reason: 'FIELD_TOO_LONG', column };
    } else if (UNREADABLE.test(cell)) {
      issue ??= { reason: 'TEXT_INVALID', column };
    }
    return cell;
  });
  return issue === undefined ? { line, cells } : { line, cells, issue };
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell === '');
}

/** Header names as written, minus BOM and surrounding spaces. */
export function cleanHeader(cells: readonly string[]): string[] {
  return cells.map((cell) => cell.replace(/\uFEFF/g, '').trim());
}

/**
 * What a payroll clerk sees in the cell, as text for the same validators as CSV. Whole numbers of 16
 * or more digits (an 18-digit NIP or 16-digit NIK typed as a number) have already lost digits, since
 * Excel keeps 15 significant digits: they become exponent text, which the identifier validators
 * report as damaged by Excel (NIP_EXCEL_NUMBER ...) instead of yielding a wrong but plausible number.
 * Fractions keep two decimals with a comma, so `16800.5` reads as an amount with sen.
 *
 * A formula cell is read by the value Excel cached when the workbook was saved, exactly as shown: a
 * VLOOKUP/XLOOKUP that pulls an 18-digit NIP as text yields that text (an identifier stays text), one
 * that pulls a number yields the number (a NIP Excel already turned into a float is then
 * NIP_EXCEL_NUMBER), an error yields its code (`#N/A`). A formula with no cached value (a file written
 * by a program that does not calculate) yields its formula text, which no validator accepts.
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
    if (result === undefined || result === null) return `=${String(cell.formula ?? cell.sharedFormula)}`;
    return cellText(result);
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
