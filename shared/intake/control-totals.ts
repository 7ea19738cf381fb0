/**
 * Control totals a payroll file may carry (docs/design.md#control-totals), e.g. a trailer row `TOTAL;<rows>;<sum>`.
 *
 * A sum row (docs/intake.md#sum-rows): a cell `TOTAL`, `JUMLAH`, `GRAND TOTAL` ... in ANY column of a row with
 * no NIP; the sum is in the amount column (or, classic trailer `TOTAL;<rows>;<sum>`, the two numbers
 * after the label), the row count optional (sumRowLabel, readTrailer). Numbers are written as any
 * rupiah amount (`50400`, `50.400`, `Rp 50.400,00`). A sum row whose numbers cannot be read still
 * fails the check, so a file never passes unverified because its totals were garbled. It must be the
 * last non-blank row; elsewhere it is a row error (CONTROL_ROW_MISPLACED). Declared totals that do not
 * match the rows reject the whole file (CONTROL_TOTAL_MISMATCH).
 */
import { normaliseIdText } from '#domain/identifiers.ts';
import { formatNumberId, readRupiahText } from '#domain/money.ts';
import { FileRejectedError } from './errors.ts';
import type { TableRow } from './table.ts';

export type ControlTotals = {
  /** Declared row count; undefined when the sum row gives only the rupiah sum. */
  readonly rows?: number;
  readonly sum: number;
  readonly line: number;
  /** A number after the label has sen (`Rp33.600,50`): rupiah are whole, so the sum cannot be read. */
  readonly hasSen?: boolean;
};

/** Rows under the sum row that end the table (signature block, notes): ignored, reported once. */
export type TableFooter = {
  /** The first of them. */
  readonly line: number;
  readonly rows: number;
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
  footer?: TableFooter;
};

const SUM_LABEL = /^(?:grand\s*total|sub\s*total|total\s*jumlah|jumlah\s*total|total|jumlah)\s*:?$/i;

/**
 * The index of a sum row's label, or -1 when `cells` is not a sum row: a cell reading `JUMLAH`,
 * `TOTAL`, `GRAND TOTAL` (any case, optional `:`) in any column, with no NIP in the NIP column
 * (empty, the label itself, or a short number such as a row count) (docs/intake.md#sum-rows). A row with a
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
  const after = cells.map((cell, index) => ({ cell, index })).filter((c) => c.index > labelIndex);
  if (
    after.some((c) => {
      const read = readRupiahText(c.cell);
      return !read.ok && read.reason === 'AMOUNT_HAS_SEN';
    })
  ) {
    return { rows: Number.NaN, sum: Number.NaN, line, hasSen: true };
  }
  const numbers = after
    .map(({ cell, index }) => ({ index, value: cell.trim() === '' ? Number.NaN : parseWholeNumber(cell) }))
    .filter((n) => !Number.isNaN(n.value));
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

/**
 * The file-level rejection when the totals a file declares do not match its rows; undefined if fine.
 * The detail says, in Bahasa first, what the sum row declared, what the rows hold, and what to fix.
 */
export function checkControlTotals(
  totals: Pick<PayrollFileTotals, 'control' | 'dataRows' | 'acceptedAmount' | 'rejectedAmount'>,
): FileRejectedError | undefined {
  const { control } = totals;
  if (control === undefined) return undefined;
  const sum = totals.acceptedAmount + totals.rejectedAmount;
  if (control.hasSen === true) {
    return new FileRejectedError(
      'CONTROL_TOTAL_MISMATCH',
      'baris JUMLAH memuat sen: potongan dicatat dalam rupiah bulat; hapus sen pada baris data dan pada JUMLAH, lalu kirim ulang / the sum row has sen (cents)',
      control.line,
    );
  }
  if (Number.isNaN(control.rows) || Number.isNaN(control.sum)) {
    return new FileRejectedError(
      'CONTROL_TOTAL_MISMATCH',
      'angka pada baris JUMLAH tidak dapat dibaca: tulis jumlah rupiah (mis. 33.600) di kolom Jumlah, dan bila perlu jumlah baris sebagai satu angka, lalu kirim ulang / the sum row cannot be read',
      control.line,
    );
  }
  if ((control.rows !== undefined && control.rows !== totals.dataRows) || control.sum !== sum) {
    const declared = `${control.rows === undefined ? '' : `${formatNumberId(control.rows)} baris, `}Rp${formatNumberId(control.sum)}`;
    const found = `${formatNumberId(totals.dataRows)} baris, Rp${formatNumberId(sum)}`;
    const detail = `JUMLAH menyatakan ${declared}, isi berkas ${found}: periksa baris yang hilang atau berlebih, atau perbaiki JUMLAH, lalu kirim ulang / declared ${declared}; found ${found}`;
    return new FileRejectedError('CONTROL_TOTAL_MISMATCH', detail, control.line);
  }
  return undefined;
}

/** Rows read after a sum row before the sum row is taken as misplaced anyway: a footer is a few lines. */
export const FOOTER_MAX_ROWS = 50;

export type SplitRow =
  | { readonly kind: 'row'; readonly row: TableRow }
  /** A sum row with a data row after it: not the end of the table (CONTROL_ROW_MISPLACED). */
  | { readonly kind: 'misplaced'; readonly row: TableRow; readonly labelIndex: number };

export type TableEnd = {
  readonly sum?: { readonly row: TableRow; readonly labelIndex: number };
  readonly footer?: TableFooter;
};

/**
 * Splits a table's rows at its sum row (docs/intake.md, "Sum rows and footers"). Rows before it come
 * out as rows; the sum row ends the table, and what follows (a signature block `Mengetahui, Kepala
 * Dinas ... / Bendahara Pengeluaran ... NIP ...`, notes) is the footer: ignored, returned as one
 * TableFooter, never rows. But a row after it that looks like data (`isData`: an identifier where the
 * identifier column is, with at least two more cells filled) means the sum row was not the end: it is
 * then yielded as `misplaced` and the rows held since are read as rows after all, as is everything
 * when more than FOOTER_MAX_ROWS rows follow. A signer's NIP alone, or with a name, is never data.
 */
export async function* splitAtSumRow(
  rows: AsyncIterable<TableRow>,
  sumLabel: (cells: readonly string[]) => number,
  isData: (row: TableRow) => boolean,
): AsyncGenerator<SplitRow, TableEnd> {
  const source = rows[Symbol.asyncIterator]();
  const pending: TableRow[] = [];
  let sum: { row: TableRow; labelIndex: number } | undefined;
  let footer: TableRow[] = [];
  for (;;) {
    let row = pending.shift();
    if (row === undefined) {
      const next = await source.next();
      if (next.done) break;
      row = next.value;
    }
    if (sum === undefined) {
      const labelIndex = sumLabel(row.cells);
      if (labelIndex >= 0) sum = { row, labelIndex };
      else yield { kind: 'row', row };
      continue;
    }
    footer.push(row);
    if (isData(row) || footer.length > FOOTER_MAX_ROWS) {
      yield { kind: 'misplaced', row: sum.row, labelIndex: sum.labelIndex };
      sum = undefined;
      pending.unshift(...footer);
      footer = [];
    }
  }
  const first = footer[0];
  return {
    ...(sum === undefined ? {} : { sum }),
    ...(first === undefined ? {} : { footer: { line: first.line, rows: footer.length } }),
  };
}

/** A data row after a sum row: an identifier in `idIndex` and at least two other cells filled. */
export function looksLikeDataRow(
  row: TableRow,
  idIndex: number | undefined,
  isId: (cell: string) => boolean = looksLikeIdentifier,
): boolean {
  if (idIndex === undefined || !isId(row.cells[idIndex] ?? '')) return false;
  return row.cells.filter((cell, i) => i !== idIndex && cell.trim() !== '').length >= 2;
}
