/**
 * A request to withdraw an agency's payroll file sent by mistake (docs/intake.md#withdrawal): a small
 * CSV at `incoming/payroll/<pool>/<period>/tarik/<agency>.csv` holding `file_id;alasan;oleh` and one line,
 * written by `sertakan file withdraw` or the console. Its rows are reversed only after a person
 * confirms, as for any version that takes money away.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import { csvLine } from '#shared/csv/write-csv.ts';
import type { FileRejection } from './intake-read.ts';

/** `by`: who asked (the console user or the CLI's `--by`). */
export type WithdrawalRequest = { readonly fileId: string; readonly reason: string; readonly by: string };

const requestSchema = z.tuple([
  z.string().regex(/^[0-9a-f]{24}$/),
  z.string().trim().min(3).max(300),
  z.string().trim().min(1).max(120),
]);

/** The body of a withdrawal request object. */
export const withdrawalRequestText = (r: WithdrawalRequest): string =>
  csvLine(['file_id', 'alasan', 'oleh']) + csvLine([r.fileId, r.reason, r.by]);

export async function readWithdrawalRequest(
  objects: ObjectStore,
  ref: ObjectRef,
): Promise<
  | { readonly ok: true; readonly request: WithdrawalRequest }
  | { readonly ok: false; readonly rejection: FileRejection }
> {
  const text = await objects.getText(ref.bucket, ref.key);
  let rows: unknown;
  try {
    rows = parse(text, { delimiter: ';', bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch {
    rows = undefined;
  }
  const line = z.array(z.array(z.string())).safeParse(rows);
  const fields = line.success && line.data.length === 2 ? requestSchema.safeParse(line.data[1]) : undefined;
  if (!fields?.success)
    return {
      ok: false,
      rejection: { reason: 'WITHDRAWAL_INVALID', detail: 'expected file_id;alasan;oleh and one line' },
    };
  return { ok: true, request: { fileId: fields.data[0], reason: fields.data[1], by: fields.data[2] } };
}
