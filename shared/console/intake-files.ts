import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { FileVersion } from '#domain/ports/file-registry.ts';
import { monthSchema } from '#shared/use-cases/finance/requests.ts';

/**
 * What a treasurer sees of their intake files in the console: a file version's outcome without its
 * keys, and the rows of its rejection report (already masked by the intake: docs/intake.md).
 */

/** At most this many rejection rows go to the page; the whole report is the CSV download. */
export const REJECTION_ROWS_SHOWN = 500;

const rejectionSchema = z.array(z.array(z.string()));
export async function rejectionRows(
  reportText: (key: string) => Promise<string>,
  file: FileVersion,
): Promise<string[][]> {
  if (file.status === 'PROCESSING' || file.rejectedRows + (file.rejectReason === undefined ? 0 : 1) === 0)
    return [];
  const rows = parseReport(await reportText(file.reportKey));
  return rows.slice(1, REJECTION_ROWS_SHOWN + 1);
}

const parseReport = (text: string): string[][] =>
  rejectionSchema.parse(parse(text, { delimiter: ';', bom: true, relax_column_count: true }));

/**
 * The whole rejection report (the intake's CSV, already masked) as an XLSX workbook for Excel: one
 * sheet "Penolakan", the report's header in bold, every cell Text so Excel keeps masked NIPs and
 * line numbers as written. Built with exceljs (the library the intake reads XLSX uploads with).
 */
export async function rejectionXlsx(reportCsv: string): Promise<Uint8Array> {
  const [header = [], ...rows] = parseReport(reportCsv);
  // Loaded on the first XLSX download, not at cold start: most console requests never need it.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Penolakan');
  sheet.columns = header.map((name) => ({ header: name, width: Math.max(12, name.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  for (let i = 1; i <= header.length; i++) sheet.getColumn(i).numFmt = '@';
  return new Uint8Array(await book.xlsx.writeBuffer());
}

export const fileSummary = (f: FileVersion) => ({
  fileId: f.fileId,
  pool: f.pool,
  period: f.period,
  agency: f.agency,
  status: f.status,
  dataRows: f.dataRows,
  acceptedRows: f.acceptedRows,
  acceptedAmount: f.acceptedAmount,
  rejectedRows: f.rejectedRows,
  rejectedAmount: f.rejectedAmount,
  rejectReason: f.rejectReason,
  sheet: f.sheet,
  footerLine: f.footerLine,
  footerRows: f.footerRows,
  superseded: f.supersededBy !== undefined,
  receivedAt: f.receivedAt,
  processedAt: f.processedAt,
  // What the version did or waits for (docs/intake.md): a duplicate's first receipt, the pending
  // difference (NIPs masked), the decision and who made it, a late or correction file, the ledger change.
  duplicateOf: f.duplicateOf,
  firstReceivedAt: f.firstReceivedAt,
  mode: f.mode,
  late: f.late,
  withdraws: f.withdraws,
  reason: f.reason,
  requestedBy: f.requestedBy,
  delta: f.delta,
  monthTotal: f.monthTotal,
  pending: f.pending,
  decision: f.decision,
});

/** Bytes an uploaded payroll file may have: a regency's 100,000 rows of CSV are ~10 MB. */
export const MAX_UPLOAD_BYTES = 25_000_000;

/**
 * An upload request: the period, the format, and the file's exact size in bytes, which the presigned
 * URL signs (content-length), so the URL accepts that one body size and nothing larger or different.
 * `mode: 'koreksi'`: a correction-only file; `late`: a month before the pool's first month (docs/intake.md).
 */
export const uploadSchema = z.strictObject({
  period: monthSchema,
  format: z.enum(['csv', 'xlsx', 'dbf']),
  size: z
    .number()
    .int()
    .min(1, 'berkas kosong / the file is empty')
    .max(MAX_UPLOAD_BYTES, `berkas lebih dari 25 MB / the file is over 25 MB`),
  mode: z.enum(['replace', 'koreksi']).optional(),
  late: z.boolean().optional(),
});

export const decisionSchema = z.strictObject({ reason: z.string().trim().min(3).max(300).optional() });
export const CONTENT_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  dbf: 'application/dbase',
} as const;
