/**
 * Control totals a payroll file may carry (docs/design.md#control-totals), e.g. a trailer row `TOTAL;<rows>;<sum>`.
 *
 * A sum row (issue 18 item 4): a cell `TOTAL`, `JUMLAH`, `GRAND TOTAL` ... in ANY column of a row with
 * no NIP; the sum is in the amount column (or, classic trailer `TOTAL;<rows>;<sum>`, the two numbers
 * after the label), the row count optional (sumRowLabel, readTrailer). Numbers are written as any
 * rupiah amount (`50400`, `50.400`, `Rp 50.400,00`). A sum row whose numbers cannot be read still
 * fails the check, so a file never passes unverified because its totals were garbled. It must be the
 * last non-blank row; elsewhere it is a row error (CONTROL_ROW_MISPLACED). Declared totals that do not
 * match the rows reject the whole file (CONTROL_TOTAL_MISMATCH).
 */
import { normaliseIdText } from '#domain/identifiers.ts';
import { readRupiahText } from '#domain/money.ts';
import { FileRejectedError } from './errors.ts';

export type ControlTotals = {
  /** Declared row count; undefined when the sum row gives only the rupiah sum. */
  readonly rows?: number;
  readonly sum: number;
  readonly line: number;
};

export type PayrollFileTotals = {
  /** Non-blank rows after the header, sum row excluded: always acceptedRows + rejectedRows. */
  dataRows: number;
  acceptedRows: number;
  acceptedAmount: number;
  rejectedRows: number;
  /** Sum of the amounts of rejected rows whose amount itself was valid (parseRupiah ok). */
  rejectedAmount: number;
  control?: ControlTotals;
};

const SUM_LABEL = /^(?:grand\s*total|sub\s*total|total\s*jumlah|jumlah\s*total|total|jumlah)\s*:?$/i;

/**
 * The index of a sum row's label, or -1 when `cells` is not a sum row: a cell reading `JUMLAH`,
 * `TOTAL`, `GRAND TOTAL` (any case, optional `:`) in any column, with no NIP in the NIP column
 * (empty, the label itself, or a short number such as a row count) (issue 18 item 4). A row with a
 * NIP-shaped identifier is data, whatever its name says.
 */
export function sumRowLabel(
  cells: readonly string[],
  idIndex: number | undefined,
  isId: (cell: string) => boolean = looksLikeIdentifier,
): number {
  const index = cells.findIndex((cell) => SUM_LABEL.test(cell.trim()));
  if (index < 0) return -1;
  if (idIndex === undefined || index === idIndex) return index;
  return isId(cells[idIndex] ?? '') ? -1 : index;
}

/**
 * A NIP or NIK (16+ digits, or Excel's damaged number). The classic trailer `TOTAL;<rows>;<sum>` under
 * a `No;NIP;...` header puts the row count in the NIP column: a short number is "no NIP".
 */
export function looksLikeIdentifier(cell: string): boolean {
  const id = normaliseIdText(cell);
  return id.kind === 'excel-number' || (id.kind === 'text' && /^\d{16,}$/.test(id.text));
}

/**
 * The row count a worker file's sum row declares (`JUMLAH;3`, `;;JUMLAH 3`... as the one number after
 * the label), undefined when it gives none, NaN when it cannot be read.
 */
export function readDeclaredCount(cells: readonly string[], labelIndex: number): number | undefined {
  const numbers = cells
    .slice(labelIndex + 1)
    .filter((cell) => cell.trim() !== '')
    .map(parseWholeNumber);
  if (numbers.length === 0) return undefined;
  return numbers.length === 1 ? (numbers[0] ?? Number.NaN) : Number.NaN;
}

/**
 * Reads a sum row's declared totals. The numbers are the readable cells after the label. When the
 * amount column (`amountIndex`) holds one, it is the sum and a single other number is the row count
 * (`;;JUMLAH;;33.600` under `No;NIP;Nama;Periode;Jumlah`). Otherwise the classic trailer: two numbers
 * are count then sum (`TOTAL;3;50400`), one number is the sum. Anything else is unreadable (NaN), so
 * a file never passes unverified because its totals were garbled.
 */
export function readTrailer(
  cells: readonly string[],
  line: number,
  labelIndex = 0,
  amountIndex?: number,
): ControlTotals {
  const numbers = cells
    .map((cell, index) => ({ index, value: cell.trim() === '' ? Number.NaN : parseWholeNumber(cell) }))
    .filter((n) => n.index > labelIndex && !Number.isNaN(n.value));
  const inAmount = numbers.find((n) => n.index === amountIndex);
  if (inAmount !== undefined) {
    const others = numbers.filter((n) => n !== inAmount);
    if (others.length === 0) return { sum: inAmount.value, line };
    return {
      rows: others.length === 1 ? (others[0]?.value ?? Number.NaN) : Number.NaN,
      sum: inAmount.value,
      line,
    };
  }
  if (numbers.length === 2)
    return { rows: numbers[0]?.value ?? Number.NaN, sum: numbers[1]?.value ?? Number.NaN, line };
  if (numbers.length === 1) return { sum: numbers[0]?.value ?? Number.NaN, line };
  return { rows: Number.NaN, sum: Number.NaN, line };
}

/** A non-negative whole number as written in totals (rupiah grammar of readRupiahText, no cap); NaN otherwise. */
export function parseWholeNumber(text: string): number {
  const read = readRupiahText(text);
  return read.ok && read.value >= 0 ? read.value : Number.NaN;
}

/** The file-level rejection when the totals a file declares do not match its rows; undefined if fine. */
export function checkControlTotals(totals: PayrollFileTotals): FileRejectedError | undefined {
  const { control } = totals;
  if (control === undefined) return undefined;
  const sum = totals.acceptedAmount + totals.rejectedAmount;
  if (Number.isNaN(control.rows) || Number.isNaN(control.sum)) {
    return new FileRejectedError('CONTROL_TOTAL_MISMATCH', 'trailer row count/sum unreadable', control.line);
  }
  if ((control.rows !== undefined && control.rows !== totals.dataRows) || control.sum !== sum) {
    const rows = control.rows === undefined ? '' : `${control.rows} rows, `;
    const detail = `declared ${rows}Rp${control.sum}; found ${totals.dataRows} rows, Rp${sum}`;
    return new FileRejectedError('CONTROL_TOTAL_MISMATCH', detail, control.line);
  }
  return undefined;
}
