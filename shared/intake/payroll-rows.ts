/**
 * Validates the rows of a payroll deduction file (DESIGN.md §2) into deductions, streaming: each row
 * yields one outcome as soon as it is read; the file totals come back as the generator's return value.
 *
 * Decisions: one accepted row per NIP (a later row for an already accepted NIP is DUPLICATE_ROW; a
 * rejected row does not claim its NIP, so a corrected repeat further down is still taken). The period
 * cell accepts what parsePeriod accepts plus a first-of-month date (Excel turns `2026-01` into
 * 2026-01-01). Names are required but never emitted; a name that looks like a formula is FORMULA_TEXT.
 */
import { validateNik, validateNip } from '#domain/identifiers.ts';
import type { Deduction } from '#domain/model.ts';
import { parseRupiah } from '#domain/money.ts';
import { parsePeriod } from '#domain/period.ts';
import { isTrailerLabel, type PayrollFileTotals, readTrailer } from './control-totals.ts';
import {
  collapseSpaces,
  looksLikeFormula,
  matchHeader,
  noDataRows,
  type RowOutcome,
  RowView,
} from './row-kit.ts';
import type { Table } from './table.ts';

export { checkControlTotals, type PayrollFileTotals } from './control-totals.ts';
export type { RowOutcome } from './row-kit.ts';

export const PAYROLL_COLUMNS = {
  nip: { names: ['nip'], required: true },
  name: { names: ['nama', 'name'], required: true },
  period: { names: ['periode', 'period'], required: true },
  amount: { names: ['jumlah', 'amount'], required: true },
  workerNik: { names: ['nik_pekerja', 'worker_nik'], required: false },
} as const;
type PayrollKey = keyof typeof PAYROLL_COLUMNS;

export type PayrollContext = { readonly pool: string; readonly period: string; readonly agency: string };

export async function* validatePayrollRows(
  table: Table,
  ctx: PayrollContext,
): AsyncGenerator<RowOutcome<Deduction>, PayrollFileTotals> {
  const columns = matchHeader(table, PAYROLL_COLUMNS);
  const totals: PayrollFileTotals = {
    dataRows: 0,
    acceptedRows: 0,
    acceptedAmount: 0,
    rejectedRows: 0,
    rejectedAmount: 0,
  };
  const acceptedNips = new Set<string>();
  let trailer: RowView<PayrollKey> | undefined;

  const count = (outcome: RowOutcome<Deduction>, view: RowView<PayrollKey>): RowOutcome<Deduction> => {
    totals.dataRows++;
    if (outcome.ok) {
      totals.acceptedRows++;
      totals.acceptedAmount += outcome.value.amount;
    } else {
      totals.rejectedRows++;
      const amount = parseRupiah(view.cell('amount'));
      if (amount.ok) totals.rejectedAmount += amount.value;
    }
    return outcome;
  };

  for await (const row of table.rows) {
    // A trailer followed by more rows was not a trailer: report it as a misplaced row.
    if (trailer !== undefined) {
      yield count(trailer.rejectRow('CONTROL_ROW_MISPLACED', trailer.row.cells[0] ?? ''), trailer);
      trailer = undefined;
    }
    const view = new RowView(table, columns, row);
    if (isTrailerLabel(row.cells[0])) {
      trailer = view;
      continue;
    }
    yield count(checkRow(view, ctx, acceptedNips), view);
  }
  if (trailer !== undefined) totals.control = readTrailer(trailer.row.cells, trailer.line);
  if (totals.dataRows === 0) throw noDataRows(table);
  return totals;
}

function checkRow(
  view: RowView<PayrollKey>,
  ctx: PayrollContext,
  acceptedNips: Set<string>,
): RowOutcome<Deduction> {
  const structural = view.structural();
  if (structural) return structural;

  const nip = validateNip(view.cell('nip'));
  if (!nip.ok) return view.reject('nip', nip.reason);

  const name = collapseSpaces(view.cell('name'));
  if (name === '') return view.reject('name', 'NAME_MISSING');
  if (looksLikeFormula(name)) return view.reject('name', 'FORMULA_TEXT');

  const period = parseRowPeriod(view.cell('period'));
  if (period === undefined) return view.reject('period', 'PERIOD_INVALID');
  if (period !== ctx.period) return view.reject('period', 'PERIOD_MISMATCH');

  const amount = parseRupiah(view.cell('amount'));
  if (!amount.ok) return view.reject('amount', amount.reason);

  let workerNik: string | undefined;
  if (view.cell('workerNik') !== '') {
    const nik = validateNik(view.cell('workerNik'));
    if (!nik.ok) return view.reject('workerNik', nik.reason);
    workerNik = nik.value.nik;
  }

  if (acceptedNips.has(nip.value)) return view.reject('nip', 'DUPLICATE_ROW');
  acceptedNips.add(nip.value);
  const deduction: Deduction = {
    pool: ctx.pool,
    period,
    agency: ctx.agency,
    nip: nip.value,
    amount: amount.value,
    line: view.line,
    ...(workerNik === undefined ? {} : { workerNik }),
  };
  return { ok: true, line: view.line, value: deduction };
}

/** parsePeriod's formats, or a first-of-month date `YYYY-MM-01` (what Excel makes of `2026-01`). */
export function parseRowPeriod(text: string): string | undefined {
  const period = parsePeriod(text);
  if (period.ok) return period.value;
  const date = /^(\d{4}-\d{2})-01$/.exec(text.trim());
  if (date?.[1] === undefined) return undefined;
  const month = parsePeriod(date[1]);
  return month.ok ? month.value : undefined;
}
