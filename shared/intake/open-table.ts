/**
 * Opens an uploaded file as a table, streaming: a 50 MB CSV or a million rows never sits in memory.
 * It sniffs the first 64 KiB (BOM, XLSX zip magic, binary garbage, UTF-8 vs windows-1252, delimiter),
 * reads the header row, and hands back an iterator over the data rows. A structurally broken file
 * throws FileRejectedError; row-level problems are left to the row validators.
 */
import { cleanHeader } from './cells.ts';
import { type ColumnSpec, headerScore, matchColumns, requiredList } from './columns.ts';
import { sumRowLabel } from './control-totals.ts';
import { csvRows } from './csv-source.ts';
import { isDbfName, openDbf } from './dbf-source.ts';
import { FileRejectedError } from './errors.ts';
import {
  decodeHead,
  detectLayout,
  HEADER_SEARCH_ROWS,
  SNIFF_BYTES,
  sniff,
  type TextEncoding,
} from './sniff.ts';
import { DEFAULT_MAX_FIELD_LENGTH, type OpenTableOptions, type Table, type TableRow } from './table.ts';
import { isTemplateExample } from './templates.ts';
import { loadExcelJs, streamingWorkbook, type WorkbookParts, xlsxRows, xlsxSheets } from './xlsx-source.ts';

export type { OpenTableOptions, RowIssue, Table, TableRow } from './table.ts';

/** A whitespace-only prefix is read further than SNIFF_BYTES, up to this, before calling the file empty. */
const MAX_BLANK_PREFIX = 1024 * 1024;

export async function openTable(source: AsyncIterable<Uint8Array>, opts: OpenTableOptions): Promise<Table> {
  const maxFieldLength = opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
  const iterator = source[Symbol.asyncIterator]();
  const { head, done } = await readHead(iterator);
  const spec = opts.columns;
  if (isDbfName(opts.fileName)) {
    // A dBase table is binary: it is never sniffed as text.
    const table = await openDbf(concat(head, done ? undefined : iterator), maxFieldLength);
    try {
      const found = await findHeader(table.rows, spec, maxFieldLength);
      return { ...table, header: found.header, rows: found.rest };
    } catch (error) {
      await table.close();
      throw error;
    }
  }
  // Decisions on the head use exactly its first SNIFF_BYTES, whatever chunk sizes the stream had.
  const window = head.subarray(0, Math.max(SNIFF_BYTES, leadingBlank(head)));
  const complete = done && window.length === head.length;
  const sniffed = sniff(window, complete, opts.encoding);
  const bytes = concat(head, done ? undefined : iterator);

  if (sniffed.kind === 'xlsx') {
    // The workbook is read twice (which sheet, then its rows), so its compressed bytes are held: a
    // payroll XLSX is a few MB, and exceljs holds its shared strings (every name) in memory anyway.
    const { bytes: book, parts } = await streamingWorkbook(await collect(bytes));
    await loadExcelJs();
    const pick = await chooseSheet(book, parts, spec, maxFieldLength);
    const rows = xlsxRows(once(book), maxFieldLength, pick, parts);
    const found = await findHeader(rows, spec, maxFieldLength);
    const data = padTo(skipNumberRow(sameSheet(found.rest, found.sheet)), found.header.columns.length);
    return {
      format: 'xlsx',
      encoding: 'utf-8',
      header: found.header,
      rows: data,
      ...(found.sheetName === undefined ? {} : { sheet: found.sheetName }),
    };
  }
  const { encoding } = sniffed;
  const isHeader =
    spec === undefined ? undefined : (cells: readonly string[]) => headerScore(cells, spec).complete;
  const { delimiter, sepLine } = detectLayout(decodeHead(window, sniffed), complete, isHeader);
  const rows = csvRows(decode(bytes, encoding), delimiter, maxFieldLength, sepLine);
  const found = await findHeader(rows, spec, maxFieldLength);
  return { format: 'csv', delimiter, encoding, header: found.header, rows: skipNumberRow(found.rest) };
}

async function collect(bytes: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

type SheetSurvey = {
  readonly name: string;
  readonly hidden: boolean;
  readonly active: boolean;
  /** A row (or stacked rows) holding every required column. */
  readonly header: boolean;
  /** A row under that header that is neither the column-number row nor a sum row: it looks like the list. */
  readonly data: boolean;
};

/**
 * Which sheet of a workbook is the month's list (docs/intake.md, "Which sheet"). Hidden and very hidden
 * sheets are never read: the treasurer does not see them (an old draft hidden in front). Among the
 * visible sheets: when two or more have the header and rows under it, the file is rejected naming them
 * (reading one of them would be a guess with money on it); when exactly one does, it is read; else the
 * active sheet if it has the header, else the first visible one with the header (whose emptiness is
 * then reported as such). When no visible sheet has the header, every visible sheet is searched so the
 * error names the closest header. Returns the test that selects the sheet(s) to read.
 */
async function chooseSheet(
  book: Buffer,
  parts: WorkbookParts | undefined,
  spec: Readonly<Record<string, ColumnSpec>> | undefined,
  maxFieldLength: number,
): Promise<(sheet: { readonly name: string; readonly hidden: boolean }) => boolean> {
  // One visible sheet (the usual payroll workbook, hidden drafts or not): nothing to choose, so the
  // workbook is not read an extra time.
  const shown = parts?.model.sheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
  const single = shown?.length === 1 ? shown[0]?.name : undefined;
  if (single !== undefined) return (sheet) => !sheet.hidden && sheet.name === single;
  const survey: SheetSurvey[] = [];
  for await (const sheet of xlsxSheets(once(book), maxFieldLength, (s) => !s.hidden, parts)) {
    if (sheet.hidden || spec === undefined) {
      survey.push({ ...sheet, header: false, data: false });
      continue;
    }
    const found = await surveySheet(sheet.rows, spec);
    survey.push({ name: sheet.name, hidden: false, active: sheet.active, ...found });
  }
  const visible = survey.filter((s) => !s.hidden);
  if (visible.length === 0) {
    throw new FileRejectedError(
      'FILE_NOT_TABULAR',
      'semua lembar di buku kerja ini tersembunyi: tampilkan (Unhide) lembar daftar potongan, lalu kirim ulang / every sheet is hidden',
    );
  }
  const byName = (name: string) => (sheet: { readonly name: string; readonly hidden: boolean }) =>
    !sheet.hidden && sheet.name === name;
  if (spec === undefined) return byName((visible.find((s) => s.active) ?? visible[0] ?? { name: '' }).name);
  const lists = visible.filter((s) => s.header && s.data);
  if (lists.length >= 2) {
    const names = lists.map((s) => `"${s.name}"`).join(', ');
    throw new FileRejectedError(
      'SHEET_AMBIGUOUS',
      `lembar ${names} sama-sama berisi daftar potongan: hapus atau sembunyikan (Hide) lembar yang bukan daftar bulan ini, lalu kirim ulang / several sheets hold a list`,
    );
  }
  const only = lists[0];
  if (only !== undefined) return byName(only.name);
  const withHeader = visible.filter((s) => s.header);
  const chosen = withHeader.find((s) => s.active) ?? withHeader[0];
  if (chosen !== undefined) return byName(chosen.name);
  return (sheet) => !sheet.hidden;
}

/** Whether a sheet's first rows hold the header, and a list row under it. Reads the rows to the end. */
async function surveySheet(
  rows: AsyncGenerator<TableRow>,
  spec: Readonly<Record<string, ColumnSpec>>,
): Promise<{ header: boolean; data: boolean }> {
  const search = new HeaderSearch(spec);
  let header = false;
  let afterHeader = 0;
  for await (const row of rows) {
    if (!header) {
      if (search.seen >= HEADER_SEARCH_ROWS) continue;
      header = search.feed(row) !== undefined;
      continue;
    }
    afterHeader++;
    if (afterHeader === 1 && isColumnNumberRow(row.cells)) continue;
    if (sumRowLabel(row.cells, undefined) >= 0) continue;
    return { header, data: true };
  }
  return { header, data: false };
}

async function readHead(iterator: AsyncIterator<Uint8Array>): Promise<{ head: Buffer; done: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let blank = true;
  while (size < SNIFF_BYTES || (blank && size < MAX_BLANK_PREFIX)) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(chunks, size), done: true };
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    chunks.push(chunk);
    size += chunk.length;
    blank &&= /^[\s\uFEFF\u00BB\u00BF\u00EF]*$/.test(chunk.toString('latin1'));
  }
  return { head: Buffer.concat(chunks, size), done: false };
}

/** Bytes of a whitespace-only prefix (read past SNIFF_BYTES before the file is called empty), + SNIFF_BYTES. */
function leadingBlank(head: Buffer): number {
  const text = head.toString('latin1');
  const first = text.search(/[^\s\uFEFF\u00BB\u00BF\u00EF]/);
  return first < 0 ? head.length : first + SNIFF_BYTES;
}

async function* concat(
  head: Buffer,
  iterator: AsyncIterator<Uint8Array> | undefined,
): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (iterator === undefined) return;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
  }
}

/**
 * Decodes chunk by chunk (the UTF-8 decoder strips a BOM and keeps split multi-byte characters whole)
 * and turns CRLF and lone CR into LF. Files mix line ends (a header typed on one machine, rows exported
 * on another), and csv-parse counts a quoted CRLF as two lines; with LF only, its line count is exact.
 */
async function* decode(bytes: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  let carriageReturn = false; // the previous chunk ended in CR: a LF starting this one belongs to it
  for await (const chunk of bytes) {
    let text = decoder.decode(chunk, { stream: true });
    if (carriageReturn && text.startsWith('\n')) text = text.slice(1);
    carriageReturn = text.endsWith('\r');
    text = text.replace(/\r\n?/g, '\n');
    if (text !== '') yield text;
  }
  const tail = decoder.decode().replace(/\r\n?/g, '\n');
  if (tail !== '') yield tail;
}

type FoundHeader = {
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
function stackLabels(rows: readonly TableRow[]): string[] {
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
async function findHeader(
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
async function* skipNumberRow(rows: AsyncGenerator<TableRow>): AsyncGenerator<TableRow> {
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
function plainHeader(row: TableRow, maxFieldLength: number): Table['header'] {
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
async function* sameSheet(
  rows: AsyncGenerator<TableRow>,
  sheet: number | undefined,
): AsyncGenerator<TableRow> {
  for await (const row of rows) {
    if (row.sheet !== sheet) return;
    yield row;
  }
}

/** XLSX omits trailing empty cells; pad them back so a row is as wide as the header. */
async function* padTo(rows: AsyncGenerator<TableRow>, width: number): AsyncGenerator<TableRow> {
  for await (const row of rows) {
    if (row.cells.length >= width) yield row;
    else yield { ...row, cells: [...row.cells, ...Array<string>(width - row.cells.length).fill('')] };
  }
}
