/**
 * Opens an uploaded file as a table, streaming: a 50 MB CSV or a million rows never sits in memory.
 * It sniffs the first 64 KiB (BOM, XLSX zip magic, binary garbage, UTF-8 vs windows-1252, delimiter),
 * reads the header row, and hands back an iterator over the data rows. A structurally broken file
 * throws FileRejectedError; row-level problems are left to the row validators.
 */
import { cleanHeader } from './cells.ts';
import { csvRows } from './csv-source.ts';
import { FileRejectedError } from './errors.ts';
import { detectDelimiter, SNIFF_BYTES, sniff } from './sniff.ts';
import { DEFAULT_MAX_FIELD_LENGTH, type OpenTableOptions, type Table, type TableRow } from './table.ts';
import { xlsxRows } from './xlsx-source.ts';

export type { OpenTableOptions, RowIssue, Table, TableRow } from './table.ts';

/** A whitespace-only prefix is read further than SNIFF_BYTES, up to this, before calling the file empty. */
const MAX_BLANK_PREFIX = 1024 * 1024;

export async function openTable(source: AsyncIterable<Uint8Array>, opts: OpenTableOptions): Promise<Table> {
  const maxFieldLength = opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
  const iterator = source[Symbol.asyncIterator]();
  const { head, done } = await readHead(iterator);
  const sniffed = sniff(head, done);
  const bytes = concat(head, done ? undefined : iterator);

  if (sniffed.kind === 'xlsx') {
    const rows = xlsxRows(bytes, maxFieldLength);
    const header = await firstRow(rows, maxFieldLength);
    return { format: 'xlsx', encoding: 'utf-8', header, rows: padTo(rows, header.columns.length) };
  }

  const { encoding, bomLength } = sniffed;
  const delimiter = detectDelimiter(new TextDecoder(encoding).decode(head.subarray(bomLength)), done);
  const rows = csvRows(decode(bytes, encoding), delimiter, maxFieldLength);
  const header = await firstRow(rows, maxFieldLength);
  return { format: 'csv', delimiter, encoding, header, rows };
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
async function* decode(bytes: AsyncIterable<Buffer>, encoding: Table['encoding']): AsyncGenerator<string> {
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

/**
 * The header is the first non-blank row. A first row that looks like data (a cell made of digits,
 * dots, commas, slashes: a NIP, an amount, a date) means the header is missing.
 */
async function firstRow(rows: AsyncGenerator<TableRow>, maxFieldLength: number): Promise<Table['header']> {
  const first = await rows.next();
  if (first.done) throw new FileRejectedError('FILE_EMPTY', 'no rows');
  const { line, cells, issue } = first.value;
  if (issue?.reason === 'FIELD_TOO_LONG') {
    throw new FileRejectedError('HEADER_MISSING', `a header cell is longer than ${maxFieldLength}`, line);
  }
  const columns = cleanHeader(cells);
  if (columns.some((cell) => /^[\d\s.,:/+\-()]+$/.test(cell) && /\d/.test(cell))) {
    throw new FileRejectedError('HEADER_MISSING', 'the first row holds data, not column names', line);
  }
  return { line, columns };
}

/** XLSX omits trailing empty cells; pad them back so a row is as wide as the header. */
async function* padTo(rows: AsyncGenerator<TableRow>, width: number): AsyncGenerator<TableRow> {
  for await (const row of rows) {
    if (row.cells.length >= width) yield row;
    else yield { ...row, cells: [...row.cells, ...Array<string>(width - row.cells.length).fill('')] };
  }
}
