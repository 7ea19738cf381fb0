/**
 * Control totals a payroll file may carry (DESIGN.md §2), e.g. a trailer row `TOTAL;<rows>;<sum>`.
 *
 * Accepted trailer: the row's FIRST cell is `TOTAL`, `TOTAL:`, `JUMLAH` or `JUMLAH:` (any case); the
 * row count and the rupiah sum are the first two numeric cells after it, in that order, in whatever
 * columns they sit (`TOTAL;3;50400`, or `TOTAL;3;;50400` under nip;nama;periode;jumlah). Numbers may be
 * written `50400`, `50.400`, `Rp 50.400,00`. A trailer whose two numbers cannot be read still counts as
 * a trailer and fails the check, so a file never passes unverified because its totals were garbled.
 * The trailer must be the last non-blank row; elsewhere it is a row error (CONTROL_ROW_MISPLACED).
 */
import { FileRejectedError } from './errors.ts';

export type ControlTotals = { readonly rows: number; readonly sum: number; readonly line: number };

export type PayrollFileTotals = {
  /** Non-blank rows after the header, trailer excluded: always acceptedRows + rejectedRows. */
  dataRows: number;
  acceptedRows: number;
  acceptedAmount: number;
  rejectedRows: number;
  /** Sum of the amounts of rejected rows whose amount itself was valid (parseRupiah ok). */
  rejectedAmount: number;
  control?: ControlTotals;
};

const TRAILER_LABEL = /^(?:total|jumlah)\s*:?$/i;

export function isTrailerLabel(firstCell: string | undefined): boolean {
  return firstCell !== undefined && TRAILER_LABEL.test(firstCell.trim());
}

/** Reads the count and sum of a trailer row; NaN for what cannot be read. */
export function readTrailer(cells: readonly string[], line: number): ControlTotals {
  const numbers = cells
    .slice(1)
    .filter((cell) => cell.trim() !== '')
    .map(parseWholeNumber)
    .filter((n) => !Number.isNaN(n));
  return numbers.length === 2
    ? { rows: numbers[0] ?? Number.NaN, sum: numbers[1] ?? Number.NaN, line }
    : { rows: Number.NaN, sum: Number.NaN, line };
}

/** A non-negative whole number as written in totals (no per-row cap); NaN otherwise. */
export function parseWholeNumber(text: string): number {
  const body = text
    .trim()
    .replace(/^(?:rp\.?|idr)\s*/i, '')
    .replace(/,(?:00|-)$/, '');
  if (!/^(?:\d+|\d{1,3}(?:\.\d{3})+)$/.test(body)) return Number.NaN;
  const digits = body.replaceAll('.', '');
  return digits.length > 15 ? Number.NaN : Number(digits);
}

/** The file-level rejection when the totals a file declares do not match its rows; undefined if fine. */
export function checkControlTotals(totals: PayrollFileTotals): FileRejectedError | undefined {
  const { control } = totals;
  if (control === undefined) return undefined;
  const sum = totals.acceptedAmount + totals.rejectedAmount;
  if (Number.isNaN(control.rows) || Number.isNaN(control.sum)) {
    return new FileRejectedError('CONTROL_TOTAL_MISMATCH', 'trailer row count/sum unreadable', control.line);
  }
  if (control.rows !== totals.dataRows || control.sum !== sum) {
    const detail = `declared ${control.rows} rows, Rp${control.sum}; found ${totals.dataRows} rows, Rp${sum}`;
    return new FileRejectedError('CONTROL_TOTAL_MISMATCH', detail, control.line);
  }
  return undefined;
}
