/**
 * A payroll version that takes money away waits for a person (docs/intake.md#pending-confirmation):
 * its difference against the active version of the agency's month, per donor row (NIP + worker), the
 * masked report of it under `reports/pending/`, and the rules of the wait (PENDING_DAYS).
 */

import { maskNik, maskNip } from '#domain/masking.ts';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import type { PendingChange, PendingLine } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import {
  PAYROLL_COLUMNS,
  type PayrollContext,
  type PayrollReadOptions,
  validatePayrollRows,
} from '#shared/intake/payroll-rows.ts';
import type { EncodingDecision } from '#shared/intake/sniff.ts';
import { HashingSource } from './content-hash.ts';
import { fileNameOf, readRows } from './intake-read.ts';
import { addDonor, type DonorTotal } from './payroll-snapshot.ts';

/** Days a pending version may be confirmed, counted from when it was received; then it EXPIRES. */
export const PENDING_DAYS = 7;

/** Changed rows carried on the record and in the outcome message; the report holds them all. */
export const PENDING_LINES_SHOWN = 20;

export const pendingReportKey = (
  pool: PoolCode,
  period: Period,
  agency: AgencyCode,
  fileId: string,
): string => `reports/pending/${pool}/${period}/${agency}/${fileId}.csv`;

/** The accepted rows of a payroll file, per NIP + worker (an agency's file: a few thousand rows). */
export async function readDonorRows(
  objects: ObjectStore,
  ref: ObjectRef,
  ctx: PayrollContext,
  read: {
    readonly encoding?: EncodingDecision;
    readonly etag?: string;
    readonly contentHash: string;
    /** The agency's column mapping, as pass 1 read the file with it. */
    readonly options?: PayrollReadOptions;
  },
): Promise<Map<string, DonorTotal>> {
  const rows = new Map<string, DonorTotal>();
  const source = new HashingSource(
    await objects.getStream(ref.bucket, ref.key, read.etag === undefined ? {} : { ifMatch: read.etag }),
  );
  const pass = await readRows(
    source,
    fileNameOf(ref.key),
    read.options?.columns ?? PAYROLL_COLUMNS,
    (table) => validatePayrollRows(table, ctx, read.options),
    (outcome) => {
      if (outcome.ok)
        addDonor(rows, outcome.value.nip, outcome.value.amount, outcome.value.workerNik ?? '', outcome.line);
    },
    read.encoding,
  );
  if (!pass.ok || (await source.finish()) !== read.contentHash)
    throw new Error('payroll file changed between passes; retrying');
  return rows;
}

type Change = Omit<PendingChange, 'baseFileId' | 'baseHeadVersion' | 'expiresAt' | 'diffKey'>;

/** Every row whose amount differs, before -> after (0 = absent), the new version's rows first. */
function* changedRows(
  before: Map<string, DonorTotal>,
  after: Map<string, DonorTotal>,
): Generator<{ row: DonorTotal; before: number; after: number }> {
  for (const [slot, row] of after) {
    const was = before.get(slot)?.amount ?? 0;
    if (was !== row.amount) yield { row, before: was, after: row.amount };
  }
  for (const [slot, row] of before) if (!after.has(slot)) yield { row, before: row.amount, after: 0 };
}

const lineOf = (c: { row: DonorTotal; before: number; after: number }): PendingLine => ({
  nip: maskNip(c.row.nip),
  ...(c.row.workerNik === '' ? {} : { workerNik: maskNik(c.row.workerNik) }),
  before: c.before,
  after: c.after,
});

/** The difference from the active month to the new one; `takesAway` when any row is removed or lowered. */
export function changeOf(
  before: Map<string, DonorTotal>,
  after: Map<string, DonorTotal>,
): Change & { readonly takesAway: boolean } {
  let removedRows = 0;
  let loweredRows = 0;
  let addedRows = 0;
  let raisedRows = 0;
  let takenAway = 0;
  let added = 0;
  const lines: PendingLine[] = [];
  for (const c of changedRows(before, after)) {
    const d = c.after - c.before;
    if (c.after === 0) removedRows += 1;
    else if (c.before === 0) addedRows += 1;
    else if (d < 0) loweredRows += 1;
    else raisedRows += 1;
    if (d < 0) takenAway -= d;
    else added += d;
    if (lines.length < PENDING_LINES_SHOWN) lines.push(lineOf(c));
  }
  const total = (m: Map<string, DonorTotal>) => [...m.values()].reduce((s, r) => s + r.amount, 0);
  return {
    removedRows,
    loweredRows,
    addedRows,
    raisedRows,
    takenAway,
    added,
    delta: added - takenAway,
    totalBefore: total(before),
    totalAfter: total(after),
    lines,
    takesAway: takenAway > 0,
  };
}

/** The whole difference, masked, as a CSV Excel opens (BOM, `;`): one line per changed donor row. */
export async function putPendingReport(
  objects: ObjectStore,
  bucket: string,
  key: string,
  before: Map<string, DonorTotal>,
  after: Map<string, DonorTotal>,
): Promise<void> {
  let text = CSV_BOM + csvLine(['nip', 'nik_pekerja', 'sebelum', 'sesudah', 'selisih']);
  for (const c of changedRows(before, after)) {
    const l = lineOf(c);
    text += csvLine([l.nip, l.workerNik ?? '', l.before, l.after, l.after - l.before]);
  }
  await objects.put(bucket, key, text, 'text/csv; charset=utf-8');
}
