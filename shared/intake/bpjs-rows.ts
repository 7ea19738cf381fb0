/**
 * Validates the rows of a BPJS confirmation file (docs/bpjs-loop.md#the-confirmation-file): per worker
 * `kpj` (optional: blank for a worker BPJS did not know), `nik`, `bulan`, `program`, `jumlah`,
 * `status` (DITERIMA | DITOLAK), optional `kpj_baru` (the KPJ BPJS assigned to a newly registered
 * worker) and `keterangan`. Every row is of the file's month (its folder); one row per NIK.
 * Column names are matched as for every intake kind (shared/intake/columns.ts); the names BPJS's
 * export uses can be added to BPJS_COLUMNS without touching the rest.
 */
import { validateKpj, validateNik } from '#domain/identifiers.ts';
import type { Period } from '#domain/model.ts';
import { parseRupiah } from '#domain/money.ts';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';
import { parseRowPeriod } from './payroll-rows.ts';
import {
  collapseSpaces,
  looksLikeFormula,
  matchHeader,
  noDataRows,
  type RowOutcome,
  RowView,
} from './row-kit.ts';
import type { Table } from './table.ts';
import { parseTier } from './worker-rows.ts';

type BpjsLineStatus = ConfirmationLine['status'];

const STATUS_WORDS: Readonly<Record<string, BpjsLineStatus>> = {
  DITERIMA: 'DITERIMA',
  TERIMA: 'DITERIMA',
  RECEIVED: 'DITERIMA',
  ACCEPTED: 'DITERIMA',
  OK: 'DITERIMA',
  DITOLAK: 'DITOLAK',
  TOLAK: 'DITOLAK',
  REJECTED: 'DITOLAK',
  REFUSED: 'DITOLAK',
};

export type BpjsLine = ConfirmationLine;

export const BPJS_COLUMNS = {
  kpj: { names: ['kpj', 'no_kpj', 'nomor_kpj'], required: false },
  nik: { names: ['nik', 'nik_pekerja', 'worker_nik'], required: true },
  month: { names: ['bulan', 'periode', 'month', 'period', 'bulan_iuran'], required: true },
  programme: { names: ['program', 'programme', 'paket', 'tier'], required: true },
  amount: { names: ['jumlah', 'iuran', 'amount'], required: true },
  status: { names: ['status', 'status_iuran'], required: true },
  newKpj: { names: ['kpj_baru', 'new_kpj', 'kpj_terbit'], required: false },
  note: { names: ['keterangan', 'note', 'notes'], required: false },
} as const;
type BpjsKey = keyof typeof BPJS_COLUMNS;

export type BpjsFileTotals = { dataRows: number; acceptedRows: number; rejectedRows: number };

export async function* validateBpjsRows(
  table: Table,
  /** `today`: the caller's clock, for the NIK's century (validateNik). */
  ctx: { readonly month: Period; readonly today: Date },
): AsyncGenerator<RowOutcome<BpjsLine>, BpjsFileTotals> {
  const columns = matchHeader(table, BPJS_COLUMNS);
  const totals: BpjsFileTotals = { dataRows: 0, acceptedRows: 0, rejectedRows: 0 };
  const seen = new Set<string>();
  for await (const row of table.rows) {
    const outcome = checkRow(new RowView(table, columns, row), ctx, seen);
    totals.dataRows++;
    if (outcome.ok) totals.acceptedRows++;
    else totals.rejectedRows++;
    yield outcome;
  }
  if (totals.dataRows === 0) throw noDataRows(table);
  return totals;
}

function checkRow(
  view: RowView<BpjsKey>,
  { month, today }: { readonly month: Period; readonly today: Date },
  seen: Set<string>,
): RowOutcome<BpjsLine> {
  const structural = view.structural();
  if (structural) return structural;
  // BPJS's list is not ours to judge by region: any valid NIK (a worker may have moved).
  const nik = validateNik(view.cell('nik'), today);
  if (!nik.ok) return view.reject('nik', nik.reason);
  if (seen.has(nik.value.nik)) return view.reject('nik', 'DUPLICATE_ROW');
  seen.add(nik.value.nik);
  const kpj = validateKpj(view.cell('kpj'));
  if (!kpj.ok) return view.reject('kpj', kpj.reason);
  const newKpj = validateKpj(view.cell('newKpj'));
  if (!newKpj.ok) return view.reject('newKpj', newKpj.reason);
  if (kpj.value !== undefined && newKpj.value !== undefined && kpj.value !== newKpj.value)
    return view.reject('newKpj', 'KPJ_NEW_CONFLICT');
  const rowMonth = parseRowPeriod(view.cell('month'), view.cellOptions);
  if (rowMonth === undefined) return view.reject('month', 'PERIOD_INVALID');
  if (rowMonth !== month) return view.reject('month', 'BPJS_MONTH_MISMATCH');
  const programme = parseTier(view.cell('programme'));
  if (programme === undefined) return view.reject('programme', 'TIER_INVALID');
  const amount = parseRupiah(view.cell('amount'));
  if (!amount.ok) return view.reject('amount', amount.reason);
  const status = STATUS_WORDS[view.cell('status').trim().toUpperCase()];
  if (status === undefined) return view.reject('status', 'BPJS_STATUS_INVALID');
  const note = collapseSpaces(view.cell('note'));
  if (looksLikeFormula(note)) return view.reject('note', 'FORMULA_TEXT');
  return {
    ok: true,
    line: view.line,
    value: {
      nik: nik.value.nik,
      month,
      programme,
      amount: amount.value,
      status,
      line: view.line,
      ...(kpj.value === undefined ? {} : { kpj: kpj.value }),
      ...(newKpj.value === undefined ? {} : { newKpj: newKpj.value }),
      ...(note === '' ? {} : { note }),
    },
  };
}
