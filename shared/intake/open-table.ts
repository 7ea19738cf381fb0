/**
 * Opens an uploaded file as a table, streaming: a 50 MB CSV or a million rows never sits in memory.
 * It sniffs the first 64 KiB (BOM, XLSX zip magic, binary garbage, UTF-8 vs windows-1252, delimiter),
 * reads the header row, and hands back an iterator over the data rows. A structurally broken file
 * throws FileRejectedError; row-level problems are left to the row validators.
 */
import { cleanHeader } from './cells.ts';
import { type ColumnSpec, headerScore, matchColumns } from './columns.ts';
import { csvRows } from './csv-source.ts';
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
import { xlsxRows } from './xlsx-source.ts';

export type { OpenTableOptions, RowIssue, Table, TableRow } from './table.ts';

/** A whitespace-only prefix is read further than SNIFF_BYTES, up to this, before calling the file empty. */
const MAX_BLANK_PREFIX = 1024 * 1024;

export async function openTable(source: AsyncIterable<Uint8Array>, opts: OpenTableOptions): Promise<Table> {
  const maxFieldLength = opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
  const iterator = source[Symbol.asyncIterator]();
  const { head, done } = await readHead(iterator);
  // Decisions on the head use exactly its first SNIFF_BYTES, whatever chunk sizes the stream had.
  const window = head.subarray(0, Math.max(SNIFF_BYTES, leadingBlank(head)));
  const complete = done && window.length === head.length;
  const sniffed = sniff(window, complete, opts.encoding);
  const bytes = concat(head, done ? undefined : iterator);

  const spec = opts.columns;
  if (sniffed.kind === 'xlsx') {
    const rows = xlsxRows(bytes, maxFieldLength);
    const found = await findHeader(rows, spec, maxFieldLength);
    const data = padTo(sameSheet(found.rest, found.sheet), found.header.columns.length);
    return { format: 'xlsx', encoding: 'utf-8', header: found.header, rows: data };
  }

  const { encoding } = sniffed;
  const isHeader =
    spec === undefined ? undefined : (cells: readonly string[]) => headerScore(cells, spec).complete;
  const { delimiter, sepLine } = detectLayout(decodeHead(window, sniffed), complete, isHeader);
  const rows = csvRows(decode(bytes, encoding), delimiter, maxFieldLength, sepLine);
  const found = await findHeader(rows, spec, maxFieldLength);
  return { format: 'csv', delimiter, encoding, header: found.header, rows: found.rest };
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
  readonly rest: AsyncGenerator<TableRow>;
};

/**
 * Finds the header row (issue 18 item 1). With a column spec: the first row, within the first
 * HEADER_SEARCH_ROWS non-blank rows of a sheet, holding every required column; the rows above it
 * (titles, a merged title cell, a blank-looking `;;;` row) are dropped. When no row qualifies, the
 * closest one (most known columns) is checked so the error names what is missing (COLUMN_MISSING,
 * COLUMN_DUPLICATED at its line); with no known column anywhere it is HEADER_MISSING at the first row.
 * Without a spec, the first non-blank row is the header, and one that looks like data is HEADER_MISSING.
 */
async function findHeader(
  rows: AsyncGenerator<TableRow>,
  spec: Readonly<Record<string, ColumnSpec>> | undefined,
  maxFieldLength: number,
): Promise<FoundHeader> {
  let firstLine: number | undefined;
  let closest: { row: TableRow; known: number } | undefined;
  let sheet: number | undefined;
  let seenInSheet = 0;
  for (;;) {
    const next = await rows.next();
    if (next.done) break;
    const row = next.value;
    if (row.sheet !== sheet) {
      sheet = row.sheet;
      seenInSheet = 0;
    }
    if (seenInSheet >= HEADER_SEARCH_ROWS) continue; // this sheet has no header: look at the next
    seenInSheet++;
    firstLine ??= row.line;
    if (spec === undefined) return { header: plainHeader(row, maxFieldLength), sheet: row.sheet, rest: rows };
    if (row.issue?.reason === 'FIELD_TOO_LONG') continue;
    const columns = cleanHeader(row.cells);
    const score = headerScore(columns, spec);
    if (score.complete) return { header: { line: row.line, columns }, sheet: row.sheet, rest: rows };
    if (score.known > (closest?.known ?? 0)) closest = { row, known: score.known };
  }
  if (firstLine === undefined) throw new FileRejectedError('FILE_EMPTY', 'no rows');
  if (spec !== undefined && closest !== undefined) {
    try {
      matchColumns(cleanHeader(closest.row.cells), spec);
    } catch (error) {
      if (error instanceof FileRejectedError)
        throw new FileRejectedError(error.reason, error.detail, closest.row.line);
      throw error;
    }
  }
  const wanted = spec === undefined ? '' : ` (${requiredNames(spec)})`;
  throw new FileRejectedError(
    'HEADER_MISSING',
    `no row among the first ${HEADER_SEARCH_ROWS} names the columns${wanted}`,
    firstLine,
  );
}

function requiredNames(spec: Readonly<Record<string, ColumnSpec>>): string {
  return Object.values(spec)
    .filter((c) => c.required)
    .map((c) => c.names[0])
    .join(', ');
}

/** The header when no spec is given: the first non-blank row, refused when it looks like data. */
function plainHeader(row: TableRow, maxFieldLength: number): Table['header'] {
  const { line, cells, issue } = row;
  if (issue?.reason === 'FIELD_TOO_LONG') {
    throw new FileRejectedError('HEADER_MISSING', `a header cell is longer than ${maxFieldLength}`, line);
  }
  const columns = cleanHeader(cells);
  if (columns.some((cell) => /^[\d\s.,:/+\-()]+$/.test(cell) && /\d/.test(cell))) {
    throw new FileRejectedError('HEADER_MISSING', 'the first row holds data, not column names', line);
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
