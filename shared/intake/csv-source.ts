/**
 * Streams CSV text (line ends already normalised to LF) through csv-parse and yields rows with line numbers true to the source file.
 * Memory stays flat: only one record (bounded by MAX_RECORD_CHARS) is held at a time.
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

type CsvRecord = { record: string[]; info: { lines: number; empty_lines: number } };

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

  let previousEnd = 0;
  let previousEmpty = 0;
  try {
    for await (const chunk of parser as AsyncIterable<CsvRecord>) {
      const { record, info } = chunk;
      const start = previousEnd + 1 + (info.empty_lines - previousEmpty);
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      if (sepLine && start === 1) continue;
      const row = toRow(start, record, maxFieldLength);
      if (!isBlankRow(row.cells)) yield row;
    }
  } catch (error) {
    throw translate(error);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function translate(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  // Where csv-parse gave up: the over-long line itself; for an unclosed quote, the end of the file,
  // which says nothing about where the quote opened, so no line is given for that one.
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new FileRejectedError('FIELD_TOO_LONG', `a line longer than ${MAX_RECORD_CHARS} characters`, line);
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new FileRejectedError('FILE_NOT_TABULAR', 'a quoted field is never closed ("...)');
  }
  return new FileRejectedError('FILE_NOT_TABULAR', `CSV cannot be read (${error.code})`, line);
}
