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
  /**
   * The row as the treasurer's program numbers it (docs/intake.md, "Row numbers"): CSV, the record
   * number Excel shows (a quoted cell with a line break does not count twice; Excel's `sep=` line is
   * not a row); XLSX, the row number on its sheet; DBF, the record number.
   */
  readonly line: number;
  /** Cell texts, trimmed. A cell longer than maxFieldLength is cut to it and flagged in `issue`. */
  readonly cells: string[];
  readonly issue?: RowIssue;
  /** XLSX: 0-based index of the worksheet the row is on. */
  readonly sheet?: number;
  /** XLSX: the name of that worksheet, as its tab shows it. */
  readonly sheetName?: string;
};

export type Table = {
  readonly format: 'csv' | 'xlsx' | 'dbf';
  /** XLSX: the name of the sheet read (docs/intake.md, "Which sheet"); every row named is on it. */
  readonly sheet?: string;
  readonly delimiter?: Delimiter;
  /** The text encoding (CSV) or the code page a DBF declares (iconv-lite name: `windows-1252`, `cp850`...). */
  readonly encoding: TextEncoding | (string & {});
  readonly header: { readonly line: number; readonly columns: string[] };
  /**
   * Data rows in file order; rows whose cells are all blank are skipped (not data). Iterate once.
   * May throw FileRejectedError mid-way (unclosed quote, a line over the record limit): the caller
   * must then treat the whole file as rejected.
   */
  readonly rows: AsyncIterable<TableRow>;
  /**
   * Releases what opening the table took (a DBF's temp file). Idempotent; also done when `rows` is read
   * to its end. Call it when the rows may be left unread (a header rejected before the first row).
   */
  readonly close?: () => Promise<void>;
};

export type OpenTableOptions = {
  readonly fileName: string;
  /** Longest accepted cell, in characters. Default 500. */
  readonly maxFieldLength?: number;
  /**
   * The columns the file must have (PAYROLL_COLUMNS ...): the header is then the first row (or up to
   * three stacked rows of a government table head), within the first 20 non-blank rows, holding every
   * required column; rows above it are titles, neither data nor rejections. Without it the first
   * non-blank row is the header.
   */
  readonly columns?: Readonly<Record<string, ColumnSpec>>;
  /**
   * How to read the file, decided on all of its bytes beforehand (EncodingProbe, docs/intake.md#encoding).
   * The intake always passes it; without it the encoding is guessed from the first SNIFF_BYTES.
   */
  readonly encoding?: EncodingDecision;
};

export const DEFAULT_MAX_FIELD_LENGTH = 500;
