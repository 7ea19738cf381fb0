/** Turns raw cell texts into a TableRow: trims, cuts over-long cells, flags unreadable text. */
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
