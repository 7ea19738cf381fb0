/**
 * Shared machinery of the row validators (payroll, workers, grants): header matching with the header's
 * line number, the structural checks every row gets first, masked rejections, formula detection, and the
 * reading of a table down to its sum row (checkRowsToSumRow).
 */
import { maskValue } from '#domain/masking.ts';
import type { ReasonCode, ReasonVariant } from '#domain/reasons.ts';
import { type ColumnSpec, matchColumns } from './columns.ts';
import {
  looksLikeDataRow,
  looksLikeIdentifier,
  splitAtSumRow,
  sumRowLabel,
  type TableEnd,
} from './control-totals.ts';
import { FileRejectedError } from './errors.ts';
import type { Table, TableRow } from './table.ts';

export type RowRejection = {
  ok: false;
  line: number;
  /** The column as the file's header names it ('' when the row as a whole is wrong). */
  field: string;
  /** The offending value, personal data masked (masking.ts). */
  value: string;
  reason: ReasonCode;
  /** A sharper sentence for this case of the reason (REASON_VARIANTS). */
  variant?: ReasonVariant;
  /** XLSX: the sheet the row is on (with `line`, the row as Excel shows it). */
  sheet?: string;
};
export type RowOutcome<T> = { ok: true; line: number; value: T } | RowRejection;

export type Columns<K extends string> = Record<K, number | undefined>;

/** matchColumns, with the header's line on the error so the report points at it. */
export function matchHeader<K extends string>(table: Table, spec: Record<K, ColumnSpec>): Columns<K> {
  try {
    return matchColumns(table.header.columns, spec);
  } catch (error) {
    if (error instanceof FileRejectedError && error.line === undefined) {
      throw new FileRejectedError(error.reason, error.detail, table.header.line);
    }
    throw error;
  }
}

/** Reading one row's cells by spec key, and rejecting with the value masked by what the column holds. */
export class RowView<K extends string> {
  constructor(
    private readonly table: Table,
    private readonly columns: Columns<K>,
    readonly row: TableRow,
  ) {}

  get line(): number {
    return this.row.line;
  }

  /** `{ sheet }` for a row of an XLSX sheet, so every rejection names the row as Excel shows it. */
  private get where(): { sheet?: string } {
    return this.table.sheet === undefined ? {} : { sheet: this.table.sheet };
  }

  /** How cells of this table are read: an XLSX's 5-digit numbers in date columns are Excel serials. */
  get cellOptions(): { readonly serials: boolean } {
    return { serials: this.table.format === 'xlsx' };
  }

  cell(key: K): string {
    const index = this.columns[key];
    return index === undefined ? '' : (this.row.cells[index] ?? '');
  }

  has(key: K): boolean {
    return this.columns[key] !== undefined;
  }

  reject(key: K, reason: ReasonCode, value: string = this.cell(key)): RowRejection {
    const index = this.columns[key];
    const field = index === undefined ? key : (this.table.header.columns[index] ?? key);
    return { ok: false, line: this.row.line, field, value: maskValue(key, value), reason, ...this.where };
  }

  /** A rejection of the row as a whole; `value` must not be personal data (it is shown as is, truncated). */
  rejectRow(reason: ReasonCode, value: string): RowRejection {
    return { ok: false, line: this.row.line, field: '', value: maskValue('', value), reason, ...this.where };
  }

  /**
   * Checks every row gets before its values are read: the cell count (a missing cell could shift
   * values into the wrong column; extra cells are tolerated only when blank) and the cell problems
   * openTable flagged (over-long, unreadable text). The value of a flagged cell is masked by column.
   */
  structural(): RowRejection | undefined {
    const { cells, issue, line } = this.row;
    const width = this.table.header.columns.length;
    if (cells.length < width || cells.slice(width).some((cell) => cell !== '')) {
      const value = `${cells.length}/${width}`;
      return { ok: false, line, field: '', value, reason: 'ROW_COLUMN_COUNT', ...this.where };
    }
    if (issue !== undefined) {
      const key = (Object.keys(this.columns) as K[]).find((k) => this.columns[k] === issue.column);
      const field = this.table.header.columns[issue.column] ?? '';
      const raw = cells[issue.column] ?? '';
      const shown = issue.reason === 'FIELD_TOO_LONG' ? `${raw.slice(0, 20)}…` : raw;
      const value = maskValue(key ?? field, shown);
      return { ok: false, line, field, value, reason: issue.reason, ...this.where };
    }
    return undefined;
  }
}

/**
 * Text a spreadsheet would run as a formula (= + - @, or a leading tab/CR), unless it is a plain
 * number such as `-16800`. Such text is never a name, occupation or reference.
 */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d[\d.,]*$/.test(text);
}

/** Names and free text: inner runs of whitespace (a quoted newline, double spaces) become one space. */
export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A header with no data rows under it is an empty file: rejected whole, so nothing is recorded as accepted. */
export function noDataRows(table: Table): FileRejectedError {
  return new FileRejectedError(
    'FILE_EMPTY',
    'hanya ada baris judul kolom, tanpa baris data: isi daftar di bawah judul kolom lalu kirim ulang / header only, no data rows',
    table.header.line,
  );
}

/**
 * Checks the rows of a table that may end in a sum row (docs/intake.md#sum-rows): each data row goes
 * through `check`, a sum row with data after it is a misplaced row (CONTROL_ROW_MISPLACED); every
 * outcome passes through `count` as it is yielded. `idIndex` is the identifier column (a sum row has
 * none), `isId` what counts as an identifier there (default: looksLikeIdentifier). Returns where the
 * table ended: its sum row and the footer under it (control-totals.ts).
 */
export async function* checkRowsToSumRow<K extends string, T>(
  table: Table,
  columns: Columns<K>,
  idIndex: number | undefined,
  check: (view: RowView<K>) => RowOutcome<T>,
  count: (outcome: RowOutcome<T>, view: RowView<K>) => RowOutcome<T>,
  isId: (cell: string) => boolean = looksLikeIdentifier,
): AsyncGenerator<RowOutcome<T>, TableEnd> {
  const split = splitAtSumRow(
    table.rows,
    (cells) => sumRowLabel(cells, idIndex, isId),
    (row) => looksLikeDataRow(row, idIndex, isId),
  );
  for (;;) {
    const next = await split.next();
    if (next.done) return next.value;
    const item = next.value;
    const view = new RowView(table, columns, item.row);
    if (item.kind === 'misplaced') {
      // A sum row with data after it was not the end of the table: a misplaced row.
      yield count(view.rejectRow('CONTROL_ROW_MISPLACED', item.row.cells[item.labelIndex] ?? ''), view);
      continue;
    }
    yield count(check(view), view);
  }
}
