/**
 * One streamed pass over an intake file: open the table, run a row validator, hand each outcome to
 * `onRow`. A structurally broken file (FileRejectedError, from opening or mid-way) ends the pass with
 * a whole-file rejection instead of an exception; anything else (S3 stream broken) is rethrown, to be
 * retried.
 */
import type { ReasonCode } from '#domain/reasons.ts';
import type { ColumnSpec } from '#shared/intake/columns.ts';
import { isFileRejectedError } from '#shared/intake/errors.ts';
import { openTable } from '#shared/intake/open-table.ts';
import type { RowOutcome } from '#shared/intake/row-kit.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import type { Table } from '#shared/intake/table.ts';
import type { ReportRow } from './intake-report.ts';

export type FileRejection = { readonly reason: ReasonCode; readonly detail: string; readonly line?: number };

export type PassResult<R> =
  | { readonly ok: true; readonly result: R; readonly sheet?: string }
  | { readonly ok: false; readonly rejection: FileRejection };

export function rejectionOf(error: { reason: ReasonCode; detail: string; line?: number }): FileRejection {
  return error.line === undefined
    ? { reason: error.reason, detail: error.detail }
    : { reason: error.reason, detail: error.detail, line: error.line };
}

export function rejectionRow(rejection: FileRejection): ReportRow {
  return { line: rejection.line ?? 0, field: '', value: rejection.detail, reason: rejection.reason };
}

/**
 * `columns`: the kind's column spec, by which openTable finds the header row under any title rows;
 * `encoding`: the whole-file decision of probeFile (every pass over one file reads it the same way).
 */
export async function readRows<T, R>(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  columns: Readonly<Record<string, ColumnSpec>>,
  validate: (table: Table) => AsyncGenerator<RowOutcome<T>, R>,
  onRow: (outcome: RowOutcome<T>) => Promise<void> | void,
  encoding?: EncodingDecision,
): Promise<PassResult<R>> {
  let table: Table | undefined;
  try {
    table = await openTable(source, {
      fileName,
      columns,
      ...(encoding === undefined ? {} : { encoding }),
    });
    const rows = validate(table);
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        return table.sheet === undefined
          ? { ok: true, result: next.value }
          : { ok: true, result: next.value, sheet: table.sheet };
      }
      await onRow(next.value);
    }
  } catch (error) {
    if (isFileRejectedError(error)) return { ok: false, rejection: rejectionOf(error) };
    throw error;
  } finally {
    await table?.close?.();
  }
}

/** The last path segment of a key: the parser uses it to tell a dBase table (`.dbf`) from text. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
