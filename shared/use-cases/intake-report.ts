/**
 * Rejection reports: one CSV per intake file, `baris;kolom;nilai;kode;keterangan;description` with a
 * BOM (so Excel opens it in UTF-8), one row per rejected input line, or one row for a whole-file
 * rejection. Every file gets one, even with nothing rejected (header only), so a sender always has an
 * answer. Values arrive already masked from the row validators.
 */
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { describe } from '#domain/reasons.ts';
import { openUpload, type TextChannel } from './text-channel.ts';

export const REPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const REPORT_BOM = '\uFEFF';
export const REPORT_HEADER = 'baris;kolom;nilai;kode;keterangan;description\r\n';

export type ReportRow = {
  readonly line: number;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
};

function cell(text: string): string {
  // Formula-looking text is neutralised with a leading quote so a spreadsheet never evaluates it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function reportLine(row: ReportRow): string {
  const text = describe(row.reason);
  const line = row.line > 0 ? String(row.line) : '';
  return `${[line, row.field, row.value, row.reason, text.id, text.en].map(cell).join(';')}\r\n`;
}

/** A whole report in memory: for whole-file rejections (one row) and small files. */
export function reportText(rows: readonly ReportRow[]): string {
  return REPORT_BOM + REPORT_HEADER + rows.map(reportLine).join('');
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
    void this.#channel.write(REPORT_BOM + REPORT_HEADER);
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
