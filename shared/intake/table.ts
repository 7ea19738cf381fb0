import type { ReasonCode } from '#domain/reasons.ts';

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
};

export type Table = {
  readonly format: 'csv' | 'xlsx';
  readonly delimiter?: ',' | ';';
  readonly encoding: 'utf-8' | 'windows-1252';
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
};

export const DEFAULT_MAX_FIELD_LENGTH = 500;
