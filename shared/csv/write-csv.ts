/**
 * CSV writing for every export and report (docs/design.md#exports): files that open correctly in Indonesian
 * Excel (UTF-8 BOM so names keep their accents, `;` because Indonesian Excel uses `,` as the decimal
 * separator, CRLF line ends) with formula injection neutralised.
 *
 * Formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * is prefixed with `'` so a spreadsheet shows it as text instead of running it. Plain numbers are
 * left alone, including negative ones: a correction of `-16800` must stay a number finance can sum.
 * "Plain number" means optional sign, digits, at most one `.`/`,` decimal part, nothing else, so
 * `-1+1` or `-2,3E5` are still neutralised.
 */
export type CsvValue = string | number | bigint | boolean | null | undefined;
export type CsvDelimiter = ';' | ',';

export const CSV_BOM = '\uFEFF';
export const CSV_NEWLINE = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
const NEEDS_QUOTES = /[;,"\r\n]|^\s|\s$/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  let text = value;
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly CsvValue[], delimiter: CsvDelimiter = ';'): string {
  return cells.map(csvCell).join(delimiter) + CSV_NEWLINE;
}

export type FormatCsvOptions = { readonly delimiter?: CsvDelimiter; readonly bom?: boolean };

/** A whole CSV document; defaults to the Indonesian-Excel flavour (BOM + `;`). */
export function formatCsv(rows: Iterable<readonly CsvValue[]>, options: FormatCsvOptions = {}): string {
  const { delimiter = ';', bom = true } = options;
  let out = bom ? CSV_BOM : '';
  for (const row of rows) out += csvLine(row, delimiter);
  return out;
}
