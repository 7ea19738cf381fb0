/**
 * Streams CSV text (line ends already normalised to LF) through csv-parse and yields rows numbered as
 * Excel numbers them when it opens the file: by record, so a quoted cell holding a line break (Alt+Enter)
 * does not push the rows below it down, empty lines count as the empty rows Excel shows, and Excel's
 * `sep=` line, which Excel hides, is not row 1. Memory stays flat: only one record (bounded by
 * MAX_RECORD_CHARS) is held at a time.
 */
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { isBlankRow, toRow } from './cells.ts';
import { FileRejectedError } from './errors.ts';
import type { Delimiter } from './sniff.ts';
import type { TableRow } from './table.ts';

/**
 * A record longer than this is garbage (a payroll row is a few hundred characters). csv-parse cannot
 * resume after its max_record_size error, so such a line rejects the whole file (FIELD_TOO_LONG with
 * the line number) instead of being held in memory. Cells between maxFieldLength and this are row-level.
 */
export const MAX_RECORD_CHARS = 1024 * 1024;

type CsvRecord = { record: string[]; info: { records: number; empty_lines: number } };

/** `sepLine`: line 1 is Excel's `sep=` hint, which is not a row. */
export async function* csvRows(
  text: AsyncIterable<string>,
  delimiter: Delimiter,
  maxFieldLength: number,
  sepLine = false,
): AsyncGenerator<TableRow> {
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Spaces around a delimiter or a quoted field (`"16.800" ;`) are not part of the value.
    trim: true,
    max_record_size: Math.max(MAX_RECORD_CHARS, maxFieldLength * 8),
  });
  const input = Readable.from(text);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  try {
    for await (const chunk of parser as AsyncIterable<CsvRecord>) {
      const { record, info } = chunk;
      // This record's number among all records and empty lines so far (each an Excel row).
      const number = info.records + info.empty_lines;
      if (sepLine && number === 1) continue;
      const row = toRow(sepLine ? number - 1 : number, record, maxFieldLength);
      if (!isBlankRow(row.cells)) yield row;
    }
  } catch (error) {
    // The record csv-parse was reading when it gave up: the next Excel row.
    const info = (parser as unknown as { info?: { records?: number; empty_lines?: number } }).info;
    const next = (info?.records ?? 0) + (info?.empty_lines ?? 0) + 1 - (sepLine ? 1 : 0);
    throw translate(error, next);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function translate(error: unknown, row: number): unknown {
  if (!(error instanceof CsvError)) return error;
  // Where csv-parse gave up: the row it was reading. An unclosed quote is only found at the end of
  // the file, which says nothing about where the quote opened, so no row is given for that one.
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new FileRejectedError(
      'FIELD_TOO_LONG',
      `ada baris lebih panjang dari ${MAX_RECORD_CHARS} karakter: kemungkinan tanda kutip (") tidak ditutup; perbaiki lalu kirim ulang / a line is too long`,
      row,
    );
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new FileRejectedError(
      'FILE_NOT_TABULAR',
      'ada tanda kutip (") yang tidak pernah ditutup: cari sel yang diawali tanda kutip, tutup atau hapus kutipnya, lalu kirim ulang / a quoted field is never closed',
    );
  }
  return new FileRejectedError(
    'FILE_NOT_TABULAR',
    `CSV tidak dapat dibaca (${error.code}): buka di Excel dan simpan ulang sebagai CSV, lalu kirim ulang / the CSV cannot be read`,
    row,
  );
}
