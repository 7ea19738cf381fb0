import type { ReasonCode } from '#domain/reasons.ts';
import type { ColumnSpec } from './columns.ts';
import type { Delimiter, EncodingDecision, TextEncoding } from './sniff.ts';

/** Problems openTable finds in a single row; the row validators turn them into row rejections. */
export type RowIssue = {
  readonly reason: Extract<ReasonCode, 'FIELD_TOO_LONG' | 'TEXT_INVALID'>;
  /** 0-based index of the offending cell. */
  readonly column: number;
};

export type TableRow = {
  /** 1-based line in the source file where the row starts (XLSX: the sheet row number). */
  readonly line: number;
  /** Cell texts, trimmed. A cell longer than maxFieldLength is cut to it and flagged in `issue`. */
  readonly cells: string[];
  readonly issue?: RowIssue;
  /** XLSX: 0-based index of the worksheet the row is on (the table is the first sheet with a header). */
  readonly sheet?: number;
};

export type Table = {
  readonly format: 'csv' | 'xlsx';
  readonly delimiter?: Delimiter;
  readonly encoding: TextEncoding;
  readonly header: { readonly line: number; readonly columns: string[] };
  /**
   * Data rows in file order; rows whose cells are all blank are skipped (not data). Iterate once.
   * May throw FileRejectedError mid-way (unclosed quote, a line over the record limit): the caller
   * must then treat the whole file as rejected.
   */
  readonly rows: AsyncIterable<TableRow>;
};

export type OpenTableOptions = {
  readonly fileName: string;
  /** Longest accepted cell, in characters. Default 500. */
  readonly maxFieldLength?: number;
  /**
   * The columns the file must have (PAYROLL_COLUMNS ...): the header is then the first row, within the
   * first 20 non-blank rows (of the first XLSX sheet that has one), holding every required column;
   * rows above it are titles, neither data nor rejections. Without it the first non-blank row is the header.
   */
  readonly columns?: Readonly<Record<string, ColumnSpec>>;
  /**
   * How to read the file, decided on all of its bytes beforehand (EncodingProbe, docs/intake.md#encoding).
   * The intake always passes it; without it the encoding is guessed from the first SNIFF_BYTES.
   */
  readonly encoding?: EncodingDecision;
};

export const DEFAULT_MAX_FIELD_LENGTH = 500;
