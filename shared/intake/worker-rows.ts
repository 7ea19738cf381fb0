/**
 * Validates the rows of a worker enrollment file (docs/design.md#worker-file): `nik`, `nama`, `kpj` (optional),
 * `paket`, `pekerjaan`, `tanggal_daftar`, optional `tanggal_keluar` + `alasan_keluar` (an exit needs a
 * reason). A worker's NIK must be from the pool's province (first two digits of the pool code), else
 * NIK_REGION. One row per NIK per file (the first stays, a later one is DUPLICATE_ROW, whatever the
 * first one's fate). The package tolerates case, spaces, `+` and hyphens (`jkk + jkm`, `JKK JKM`).
 * NIKs may be grouped (`1504 0201 0180 0002`); dates are readDateCell's (`01/06/2025`, `1 Juli 2025`).
 * A last row labelled JUMLAH/TOTAL with no NIK is a control count (docs/intake.md#sum-rows): a count that does
 * not match the rows rejects the file whole (CONTROL_TOTAL_MISMATCH).
 * A pool with a tier default (PoolRecord.tierDefault, `sertakan pool set --tier-default`) makes `paket`
 * optional: a blank cell, or no such column, gives the pool's default; without one a blank is TIER_INVALID.
 */

import { readDateCell } from '#domain/calendar-text.ts';
import { validateKpj, validateNik } from '#domain/identifiers.ts';
import { type PoolCode, TIERS, type Tier, type WorkerDetails, type WorkerExit } from '#domain/model.ts';
import type { ColumnSpec } from './columns.ts';
import { readDeclaredCount, type TableFooter } from './control-totals.ts';
import { FileRejectedError } from './errors.ts';
import {
  checkRowsToSumRow,
  collapseSpaces,
  looksLikeFormula,
  matchHeader,
  noDataRows,
  type RowOutcome,
  type RowView,
} from './row-kit.ts';
import type { Table } from './table.ts';

export type { RowOutcome } from './row-kit.ts';

/** One accepted row of a worker file: the worker's details, their exit if the row gives one, its line. */
export type WorkerRow = WorkerDetails & { readonly exit?: WorkerExit; readonly line: number };

export type WorkerFileTotals = {
  dataRows: number;
  acceptedRows: number;
  rejectedRows: number;
  /** Rows under the JUMLAH row (signature block, notes): ignored, reported as one line. */
  footer?: TableFooter;
};

export const WORKER_COLUMNS = {
  nik: { names: ['nik'], required: true },
  name: { names: ['nama', 'name'], required: true },
  kpj: { names: ['kpj'], required: false },
  tier: { names: ['paket', 'tier', 'package'], required: true },
  occupation: { names: ['pekerjaan', 'occupation'], required: true },
  enrolledOn: { names: ['tanggal_daftar', 'enrolled_on', 'enrollment_date'], required: true },
  exitOn: { names: ['tanggal_keluar', 'exit_date'], required: false },
  exitReason: { names: ['alasan_keluar', 'exit_reason'], required: false },
} as const;
type WorkerKey = keyof typeof WORKER_COLUMNS;

/** The worker file's columns for a pool: `paket` is optional when the pool has a tier default. */
export function workerColumns(tierDefault: Tier | undefined): Readonly<Record<WorkerKey, ColumnSpec>> {
  if (tierDefault === undefined) return WORKER_COLUMNS;
  return { ...WORKER_COLUMNS, tier: { ...WORKER_COLUMNS.tier, required: false } };
}

export async function* validateWorkerRows(
  table: Table,
  /** `today`: the caller's clock, for the NIK's century (validateNik). */
  ctx: { readonly pool: PoolCode; readonly today: Date; readonly tierDefault?: Tier },
): AsyncGenerator<RowOutcome<WorkerRow>, WorkerFileTotals> {
  const columns = matchHeader(table, workerColumns(ctx.tierDefault));
  const province = ctx.pool.slice(0, 2);
  const totals: WorkerFileTotals = { dataRows: 0, acceptedRows: 0, rejectedRows: 0 };
  const seen = new Set<string>();
  const count = (outcome: RowOutcome<WorkerRow>): RowOutcome<WorkerRow> => {
    totals.dataRows++;
    if (outcome.ok) totals.acceptedRows++;
    else totals.rejectedRows++;
    return outcome;
  };
  // A JUMLAH/TOTAL row with no NIK is the file's control count; it ends the table (footer ignored).
  const end = yield* checkRowsToSumRow(
    table,
    columns,
    columns.nik,
    (view) => checkRow(view, province, seen, ctx),
    count,
  );
  if (totals.dataRows === 0) throw noDataRows(table);
  if (end.sum !== undefined) {
    const declared = readDeclaredCount(end.sum.row.cells, end.sum.labelIndex);
    if (Number.isNaN(declared)) {
      throw new FileRejectedError(
        'CONTROL_TOTAL_MISMATCH',
        'angka pada baris JUMLAH tidak dapat dibaca: tulis jumlah pekerja sebagai satu angka (mis. 3), lalu kirim ulang / the count row cannot be read',
        end.sum.row.line,
      );
    }
    if (declared !== undefined && declared !== totals.dataRows) {
      const detail = `JUMLAH menyatakan ${declared} baris, isi berkas ${totals.dataRows} baris: periksa baris yang hilang atau berlebih, atau perbaiki JUMLAH, lalu kirim ulang / declared ${declared} rows; found ${totals.dataRows}`;
      throw new FileRejectedError('CONTROL_TOTAL_MISMATCH', detail, end.sum.row.line);
    }
  }
  if (end.footer !== undefined) totals.footer = end.footer;
  return totals;
}

function checkRow(
  view: RowView<WorkerKey>,
  province: string,
  seen: Set<string>,
  { today, tierDefault }: { readonly today: Date; readonly tierDefault?: Tier },
): RowOutcome<WorkerRow> {
  const structural = view.structural();
  if (structural) return structural;

  const nik = validateNik(view.cell('nik'), today);
  if (!nik.ok) return view.reject('nik', nik.reason);
  if (!nik.value.nik.startsWith(province)) return view.reject('nik', 'NIK_REGION');
  if (seen.has(nik.value.nik)) return view.reject('nik', 'DUPLICATE_ROW');
  seen.add(nik.value.nik);

  const name = collapseSpaces(view.cell('name'));
  if (name === '') return view.reject('name', 'NAME_MISSING');
  if (looksLikeFormula(name)) return view.reject('name', 'FORMULA_TEXT');

  const kpj = validateKpj(view.cell('kpj'));
  if (!kpj.ok) return view.reject('kpj', kpj.reason);

  const tierText = view.cell('tier');
  const tier = tierText.trim() === '' && tierDefault !== undefined ? tierDefault : parseTier(tierText);
  if (tier === undefined) return view.reject('tier', 'TIER_INVALID');

  const occupation = collapseSpaces(view.cell('occupation'));
  if (occupation === '') return view.reject('occupation', 'OCCUPATION_MISSING');
  if (looksLikeFormula(occupation)) return view.reject('occupation', 'FORMULA_TEXT');

  const enrolledOn = readDateCell(view.cell('enrolledOn'), view.cellOptions);
  if (!enrolledOn.ok) return view.reject('enrolledOn', enrolledOn.reason);

  let exit: WorkerRow['exit'];
  const exitText = view.cell('exitOn');
  const exitReason = collapseSpaces(view.cell('exitReason'));
  if (exitText !== '') {
    const on = readDateCell(exitText, view.cellOptions);
    if (!on.ok) return view.reject('exitOn', on.reason);
    if (on.value < enrolledOn.value) return view.reject('exitOn', 'DATE_INVALID');
    if (exitReason === '') return view.reject('exitReason', 'EXIT_REASON_MISSING');
    if (looksLikeFormula(exitReason)) return view.reject('exitReason', 'FORMULA_TEXT');
    exit = { on: on.value, reason: exitReason };
  }

  const value: WorkerRow = {
    nik: nik.value.nik,
    name,
    tier,
    occupation,
    enrolledOn: enrolledOn.value,
    line: view.line,
    ...(kpj.value === undefined ? {} : { kpj: kpj.value }),
    ...(exit === undefined ? {} : { exit }),
  };
  return { ok: true, line: view.line, value };
}

/** `JKK_JKM`, `jkk jkm`, `JKK-JKM-JHT`, `jkk_jkm_jht` ...; anything else is undefined. */
export function parseTier(text: string): Tier | undefined {
  const canonical = text
    .trim()
    .toUpperCase()
    .replace(/[\s\-_+/,&]+/g, '_');
  return TIERS.find((tier) => tier === canonical);
}
