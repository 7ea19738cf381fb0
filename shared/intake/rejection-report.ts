/**
 * The rejection report a sender gets for every file (docs/intake.md#the-sender-learns-the-outcome): one CSV row per rejected input line
 * with the line, the column, the offending value (personal data already masked), the reason code and
 * the sentence in Indonesian and English. A file-level rejection comes first (line 0 when it is not
 * about one line). Indonesian-Excel CSV: BOM + `;`.
 *
 * Memory cap: the first `maxRows` (default 100,000) row rejections are kept and rendered; beyond
 * that they are counted (total and per reason) but not kept, and the report ends with one line saying
 * how many more there were. Nothing is silently dropped: `count` and `countsByReason` include all.
 */
import { describeRejection, type ReasonCode, type ReasonVariant } from '#domain/reasons.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import type { FileRejectedError } from './errors.ts';

export const REPORT_COLUMNS = ['baris', 'kolom', 'nilai', 'kode', 'keterangan', 'description'] as const;
export const DEFAULT_REPORT_MAX_ROWS = 100_000;
const LINES_PER_CHUNK = 1_000;

export type Rejection = {
  readonly line: number;
  readonly field: string;
  /** Already masked by the validator; the report never sees raw personal data. */
  readonly value: string;
  readonly reason: ReasonCode;
  /** A sharper sentence for this case of the reason (REASON_VARIANTS); the code stays `reason`. */
  readonly variant?: ReasonVariant;
  /** XLSX: the sheet the row is on. */
  readonly sheet?: string;
};

/**
 * The `baris` cell of a report row: the row as the sender's program shows it (docs/intake.md, "Row
 * numbers"): the number, and for an XLSX row its sheet, `7 (lembar JAN 2026)`.
 */
export function rowLabel(rejection: Pick<Rejection, 'line' | 'sheet'>): number | string {
  return rejection.sheet === undefined ? rejection.line : `${rejection.line} (lembar ${rejection.sheet})`;
}

export class RejectionReport {
  private readonly rows: Rejection[] = [];
  private readonly byReason = new Map<ReasonCode, number>();
  private total = 0;
  private fileLevel: Rejection | undefined;

  constructor(private readonly maxRows: number = DEFAULT_REPORT_MAX_ROWS) {}

  /** Records a row rejection (a RowOutcome with ok: false fits as is). */
  add(rejection: Rejection): void {
    this.total++;
    this.byReason.set(rejection.reason, (this.byReason.get(rejection.reason) ?? 0) + 1);
    if (this.rows.length < this.maxRows) {
      const { line, field, value, reason, variant, sheet } = rejection;
      this.rows.push({
        line,
        field,
        value,
        reason,
        ...(variant === undefined ? {} : { variant }),
        ...(sheet === undefined ? {} : { sheet }),
      });
    }
  }

  /** Marks the whole file rejected; rendered as the first data row. */
  rejectFile(error: Pick<FileRejectedError, 'reason' | 'detail' | 'line'>): void {
    this.fileLevel = { line: error.line ?? 0, field: '', value: error.detail, reason: error.reason };
  }

  get fileReason(): ReasonCode | undefined {
    return this.fileLevel?.reason;
  }

  /** Row rejections recorded, including those beyond the cap. */
  get count(): number {
    return this.total;
  }

  get countsByReason(): ReadonlyMap<ReasonCode, number> {
    return this.byReason;
  }

  /** Rejections counted but not kept because of the cap. */
  get omitted(): number {
    return this.total - this.rows.length;
  }

  async *toCsvChunks(): AsyncGenerator<string> {
    yield* this.lines();
  }

  toCsv(): string {
    return Array.from(this.lines()).join('');
  }

  private *lines(): Generator<string> {
    let chunk = CSV_BOM + csvLine(REPORT_COLUMNS);
    let inChunk = 0;
    const all = this.fileLevel === undefined ? this.rows : [this.fileLevel, ...this.rows];
    for (const rejection of all) {
      const text = describeRejection(rejection.reason, rejection.variant);
      chunk += csvLine([
        rowLabel(rejection),
        rejection.field,
        rejection.value,
        rejection.reason,
        text.id,
        text.en,
      ]);
      if (++inChunk === LINES_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    if (this.omitted > 0) {
      const n = this.omitted;
      chunk += csvLine([
        '',
        '',
        '',
        'REPORT_TRUNCATED',
        `... dan ${n} baris ditolak lainnya tidak ditampilkan.`,
        `... and ${n} more rejected rows not shown.`,
      ]);
    }
    if (chunk !== '') yield chunk;
  }
}
