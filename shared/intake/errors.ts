import type { ReasonCode } from '#domain/reasons.ts';

/**
 * A structurally broken file: it is rejected whole with one clear reason (docs/design.md#nothing-lost-on-bad-input).
 * Thrown by openTable, by the rows iterator (an unclosed quote or a giant line found mid-file), by
 * matchColumns, and returned by checkControlTotals. Anything else thrown while reading a file is an
 * infrastructure fault (S3 stream broken), not bad input, and should be retried.
 */
export class FileRejectedError extends Error {
  override readonly name = 'FileRejectedError';
  readonly reason: ReasonCode;
  /** Plain-text detail for the report's value column; never contains personal data. */
  readonly detail: string;
  /** 1-based source line when the problem is on one line (the header is usually line 1). */
  readonly line?: number;

  constructor(reason: ReasonCode, detail: string, line?: number) {
    super(`${reason}: ${detail}${line === undefined ? '' : ` (line ${line})`}`);
    this.reason = reason;
    this.detail = detail;
    if (line !== undefined) this.line = line;
  }
}

export function isFileRejectedError(error: unknown): error is FileRejectedError {
  return error instanceof FileRejectedError;
}
