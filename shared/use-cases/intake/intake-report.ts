/**
 * Rejection reports: one CSV per intake file, `baris;kolom;nilai;kode;keterangan;description` with a
 * BOM (so Excel opens it in UTF-8), one row per rejected input line, or one row for a whole-file
 * rejection. Every file gets one, even with nothing rejected (header only), so a sender always has an
 * answer. Values arrive already masked from the row validators. Same format as the intake layer's
 * RejectionReport, but streamed to the store row by row, so even a file of a million bad rows is
 * reported whole in flat memory (RejectionReport keeps up to 100,000 rows in memory).
 */
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { describeRejection } from '#domain/reasons.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import { REPORT_COLUMNS, type Rejection, rowLabel } from '#shared/intake/rejection-report.ts';
import { openUpload, type TextChannel } from './text-channel.ts';

export const REPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';
const REPORT_HEAD = CSV_BOM + csvLine(REPORT_COLUMNS);

/** The same shape RejectionReport writes (line 0 = the file as a whole). */
export type ReportRow = Rejection;

export function reportLine(row: ReportRow): string {
  const text = describeRejection(row.reason, row.variant);
  return csvLine([rowLabel(row), row.field, row.value, row.reason, text.id, text.en]);
}

/** A whole report in memory: for whole-file rejections (one row) and small files. */
export function reportText(rows: readonly ReportRow[]): string {
  return REPORT_HEAD + rows.map(reportLine).join('');
}

export async function putReport(
  objects: ObjectStore,
  bucket: string,
  key: string,
  rows: readonly ReportRow[],
): Promise<void> {
  await objects.put(bucket, key, reportText(rows), REPORT_CONTENT_TYPE);
}

/** A report streamed to the store while the file is read: memory stays flat however many rows fail. */
export class StreamedReport {
  readonly #channel: TextChannel;
  readonly #done: Promise<void>;
  #rows = 0;

  constructor(objects: ObjectStore, bucket: string, key: string) {
    const upload = openUpload((chunks) => objects.putStream(bucket, key, chunks, REPORT_CONTENT_TYPE));
    this.#channel = upload.channel;
    this.#done = upload.done;
    // Header first: the channel buffers it with the first rows.
    void this.#channel.write(REPORT_HEAD);
  }

  get rows(): number {
    return this.#rows;
  }

  async add(row: ReportRow): Promise<void> {
    this.#rows += 1;
    await this.#channel.write(reportLine(row));
  }

  /** Gives up on the report (the file will be retried): the partial upload is abandoned. */
  abort(error: unknown): void {
    this.#channel.abort(error);
  }

  async close(): Promise<void> {
    this.#channel.close();
    await this.#done;
  }
}
