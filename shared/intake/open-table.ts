/**
 * Opens an uploaded file as a table, streaming: a 50 MB CSV or a million rows never sits in memory.
 * It sniffs the first 64 KiB (BOM, XLSX zip magic, binary garbage, UTF-8 vs windows-1252, delimiter),
 * reads the header row (header-search.ts), and hands back an iterator over the data rows. A
 * structurally broken file throws FileRejectedError; row-level problems are left to the row validators.
 */
import { type ColumnSpec, headerScore } from './columns.ts';
import { sumRowLabel } from './control-totals.ts';
import { csvRows } from './csv-source.ts';
import { isDbfName, openDbf } from './dbf-source.ts';
import { FileRejectedError } from './errors.ts';
import {
  findHeader,
  HeaderSearch,
  isColumnNumberRow,
  padTo,
  sameSheet,
  skipNumberRow,
} from './header-search.ts';
import {
  decodeHead,
  detectLayout,
  HEADER_SEARCH_ROWS,
  SNIFF_BYTES,
  sniff,
  type TextEncoding,
} from './sniff.ts';
import { DEFAULT_MAX_FIELD_LENGTH, type OpenTableOptions, type Table, type TableRow } from './table.ts';
import { loadExcelJs, streamingWorkbook, type WorkbookParts, xlsxRows, xlsxSheets } from './xlsx-source.ts';

export { HeaderSearch, isColumnNumberRow } from './header-search.ts';
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
