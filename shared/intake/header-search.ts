/**
 * The header of a table (docs/intake.md#where-the-table-is): found in a stream of rows, one
 * sheet at a time, possibly stacked over two or three rows; and the rows under it as the validators
 * want them (the column-number row skipped, one sheet, padded to the header's width).
 */
import { cleanHeader } from './cells.ts';
import { type ColumnSpec, headerScore, matchColumns, requiredList } from './columns.ts';
import { FileRejectedError } from './errors.ts';
import { HEADER_SEARCH_ROWS } from './sniff.ts';
import type { Table, TableRow } from './table.ts';
import { isTemplateExample } from './templates.ts';

export type FoundHeader = {
  readonly header: Table['header'];
  readonly sheet: number | undefined;
  readonly sheetName?: string;
  readonly rest: AsyncGenerator<TableRow>;
};

/** Up to this many consecutive rows make one table head (a group label over the column names). */
const MAX_HEADER_ROWS = 3;

/**
 * Finds the header in a stream of rows, one sheet at a time. A row holding every required column is
 * the header; otherwise the row read with the one or two rows right above it (a government table head:
 * a merged group label `Potongan SERTAKAN` over `Periode | Jumlah`, the vertically merged `NIP` and
 * `Nama` cells only in the upper row), each column taking its lowest non-empty label. The closest
 * candidate (most known columns) is kept for the error message.
 */
export class HeaderSearch {
  #above: TableRow[] = [];
  seen = 0;
  closest: { readonly line: number; readonly columns: string[]; readonly known: number } | undefined;

  constructor(private readonly spec: Readonly<Record<string, ColumnSpec>>) {}

  /** The header this row completes (its line is this row's), or undefined. */
  feed(row: TableRow): Table['header'] | undefined {
    this.seen++;
    if (row.issue?.reason === 'FIELD_TOO_LONG') {
      this.#above = [];
      return undefined;
    }
    const adjacent = this.#above.filter((r, i, all) => r.line === row.line - (all.length - i));
    const candidates: string[][] = [cleanHeader(row.cells)];
    for (let take = 1; take <= adjacent.length; take++) {
      candidates.push(stackLabels([...adjacent.slice(adjacent.length - take), row]));
    }
    for (const columns of candidates) {
      const score = headerScore(columns, this.spec);
      if (score.complete) return { line: row.line, columns };
      if (score.known > (this.closest?.known ?? 0))
        this.closest = { line: row.line, columns, known: score.known };
    }
    this.#above = [...this.#above, row].slice(-(MAX_HEADER_ROWS - 1));
    return undefined;
  }
}

/** Stacked header rows as one: each column's lowest non-empty label (the column name under a group label). */
export function stackLabels(rows: readonly TableRow[]): string[] {
  const width = Math.max(...rows.map((r) => r.cells.length));
  const cleaned = rows.map((r) => cleanHeader(r.cells));
  return Array.from({ length: width }, (_, i) => {
    for (let r = cleaned.length - 1; r >= 0; r--) {
      const label = cleaned[r]?.[i] ?? '';
      if (label !== '') return label;
    }
    return '';
  });
}

/**
 * Finds the header row. With a column spec: the first row (or stack of rows, HeaderSearch), within the
 * first HEADER_SEARCH_ROWS non-blank rows of a sheet, holding every required column; the rows above it
 * (titles, a merged title cell, a blank-looking `;;;` row) are dropped. When no row qualifies, the
 * closest one is checked so the error names what is missing (COLUMN_MISSING, COLUMN_DUPLICATED at its
 * line); with no known column anywhere it is HEADER_MISSING at the first row. Without a spec, the first
 * non-blank row is the header, and one that looks like data is HEADER_MISSING.
 */
export async function findHeader(
  rows: AsyncGenerator<TableRow>,
  spec: Readonly<Record<string, ColumnSpec>> | undefined,
  maxFieldLength: number,
): Promise<FoundHeader> {
  let firstLine: number | undefined;
  let closest: HeaderSearch['closest'];
  let sheet: number | undefined;
  let search = spec === undefined ? undefined : new HeaderSearch(spec);
  for (;;) {
    const next = await rows.next();
    if (next.done) break;
    const row = next.value;
    const named = row.sheetName === undefined ? {} : { sheetName: row.sheetName };
    if (row.sheet !== sheet) {
      sheet = row.sheet;
      if (search?.closest !== undefined && search.closest.known > (closest?.known ?? 0))
        closest = search.closest;
      search = spec === undefined ? undefined : new HeaderSearch(spec);
    }
    firstLine ??= row.line;
    if (search === undefined) {
      return { header: plainHeader(row, maxFieldLength), sheet: row.sheet, ...named, rest: rows };
    }
    if (search.seen >= HEADER_SEARCH_ROWS) continue; // this sheet has no header: look at the next
    const header = search.feed(row);
    if (header !== undefined) return { header, sheet: row.sheet, ...named, rest: rows };
  }
  if (search?.closest !== undefined && search.closest.known > (closest?.known ?? 0)) closest = search.closest;
  if (firstLine === undefined) {
    throw new FileRejectedError(
      'FILE_EMPTY',
      'berkas tidak berisi baris apa pun: isi daftar potongan lalu kirim ulang / no rows',
    );
  }
  if (spec !== undefined && closest !== undefined) {
    try {
      matchColumns(closest.columns, spec);
    } catch (error) {
      if (error instanceof FileRejectedError)
        throw new FileRejectedError(error.reason, error.detail, closest.line);
      throw error;
    }
  }
  const wanted = spec === undefined ? '' : ` (${requiredList(spec)})`;
  throw new FileRejectedError(
    'HEADER_MISSING',
    `tidak ada baris judul kolom${wanted} di ${HEADER_SEARCH_ROWS} baris pertama: tulis judul kolom di atas data (contoh: sertakan template) / no header row`,
    firstLine,
  );
}

/**
 * The column-number row printed under a government table head (`1 | 2 | 3 | 4 | 5`, or `(1)`...):
 * every non-blank cell a small number, counting up by one from 1, at least three of them. A payroll
 * row always has an 18-digit NIP, so no data row looks like this.
 */
export function isColumnNumberRow(cells: readonly string[]): boolean {
  const numbers = cells.filter((c) => c.trim() !== '').map((c) => /^\(?(\d{1,2})\)?\.?$/.exec(c.trim())?.[1]);
  if (numbers.length < 3) return false;
  return numbers.every((n, i) => n !== undefined && Number(n) === i + 1);
}

/**
 * Drops what sits right under a header and is neither data nor a rejection: the column-number row,
 * then the template's example row left exactly as the template has it (templates.ts).
 */
export async function* skipNumberRow(rows: AsyncGenerator<TableRow>): AsyncGenerator<TableRow> {
  let seen = 0;
  let numberRow = false;
  for await (const row of rows) {
    seen++;
    if (seen === 1 && isColumnNumberRow(row.cells)) {
      numberRow = true;
      continue;
    }
    if (seen === (numberRow ? 2 : 1) && isTemplateExample(row.cells)) continue;
    yield row;
  }
}

/** The header when no spec is given: the first non-blank row, refused when it looks like data. */
export function plainHeader(row: TableRow, maxFieldLength: number): Table['header'] {
  const { line, cells, issue } = row;
  if (issue?.reason === 'FIELD_TOO_LONG') {
    throw new FileRejectedError(
      'HEADER_MISSING',
      `judul kolom lebih panjang dari ${maxFieldLength} karakter: baris pertama harus berisi judul kolom / a header cell is too long`,
      line,
    );
  }
  const columns = cleanHeader(cells);
  if (columns.some((cell) => /^[\d\s.,:/+\-()]+$/.test(cell) && /\d/.test(cell))) {
    throw new FileRejectedError(
      'HEADER_MISSING',
      'baris pertama berisi data, bukan judul kolom: tambahkan baris judul kolom di atas data / the first row holds data',
      line,
    );
  }
  return { line, columns };
}

/** The rows of the header's sheet only (an XLSX's later sheets are not this table). */
export async function* sameSheet(
  rows: AsyncGenerator<TableRow>,
  sheet: number | undefined,
): AsyncGenerator<TableRow> {
  for await (const row of rows) {
    if (row.sheet !== sheet) return;
    yield row;
  }
}

/** XLSX omits trailing empty cells; pad them back so a row is as wide as the header. */
export async function* padTo(rows: AsyncGenerator<TableRow>, width: number): AsyncGenerator<TableRow> {
  for await (const row of rows) {
    if (row.cells.length >= width) yield row;
    else yield { ...row, cells: [...row.cells, ...Array<string>(width - row.cells.length).fill('')] };
  }
}
