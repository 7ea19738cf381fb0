/**
 * Writes CSV text the way the region's tools do: Indonesian Excel (`;`, BOM, CRLF) or a plain export
 * (`,`, LF). Cells holding the delimiter, a quote or a newline are quoted (`"Rina, S.Pd."`).
 */

export type CsvDialect = { readonly delimiter: ',' | ';'; readonly bom: boolean; readonly crlf: boolean };

export const EXCEL_ID: CsvDialect = { delimiter: ';', bom: true, crlf: true };
export const PLAIN: CsvDialect = { delimiter: ',', bom: false, crlf: false };

export function csvLine(cells: readonly string[], delimiter: ',' | ';'): string {
  return cells.map((cell) => quoteCell(cell, delimiter)).join(delimiter);
}

function quoteCell(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function csvText(rows: readonly (readonly string[])[], dialect: CsvDialect): string {
  const eol = dialect.crlf ? '\r\n' : '\n';
  const body = rows.map((row) => csvLine(row, dialect.delimiter)).join(eol) + eol;
  return dialect.bom ? `\uFEFF${body}` : body;
}
