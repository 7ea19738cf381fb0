/**
 * Validates the rows of a payroll deduction file (docs/design.md#payroll-deduction-file) into deductions, streaming: each row
 * yields one outcome as soon as it is read; the file totals come back as the generator's return value.
 *
 * Decisions: one accepted row per NIP and earmarked worker (docs/intake.md): a donor may sponsor
 * several named workers, one row each, plus one row without a worker; a later row for an already
 * accepted NIP+worker is DUPLICATE_ROW (variant DUPLICATE_ROW_AMOUNT when its amount differs). A
 * rejected row does not claim its slot, so a corrected repeat further down is still taken. The period
 * cell accepts readPeriodCell's shapes (`2026-01`, `Jan-26`, `Januari 2026`, a first-of-month date).
 * A sum row (`JUMLAH`/`TOTAL`/`GRAND TOTAL` in any column, no NIP) is the file's control total, not a
 * row, and ends the table: a signature block under it is the footer, ignored (control-totals.ts). Names are required but never emitted; formula-like names are FORMULA_TEXT.
 */

import { type CellTextOptions, readPeriodCell } from '#domain/calendar-text.ts';
import { type ColumnMapping, PAYROLL_FIELDS, type PayrollField } from '#domain/column-mapping.ts';
import { validateNik, validateNip } from '#domain/identifiers.ts';
import type { Deduction, Period, PoolCode } from '#domain/model.ts';
import { parseRupiah } from '#domain/money.ts';
import type { ColumnSpec } from './columns.ts';
import { type PayrollFileTotals, readTrailer } from './control-totals.ts';
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
type PayrollSpec = Record<PayrollKey, ColumnSpec>;

const FIELD_KEYS: Readonly<Record<PayrollField, PayrollKey>> = {
  nip: 'nip',
  nama: 'name',
  periode: 'period',
  jumlah: 'amount',
  nik_pekerja: 'workerNik',
};

/**
 * The payroll columns as an agency's saved mapping names them (docs/intake.md, "Column mapping per
 * agency"): a mapped field is found by its mapped header names only, the others by the built-in
 * names; with `periodFromKey` the period column is optional (rows then take the file's month).
 * Without a mapping: PAYROLL_COLUMNS.
 */
export function payrollColumns(
  mapping?: Pick<ColumnMapping, 'columns' | 'periodFromKey'>,
): Readonly<PayrollSpec> {
  if (mapping === undefined) return PAYROLL_COLUMNS;
  const spec: PayrollSpec = { ...PAYROLL_COLUMNS };
  for (const field of PAYROLL_FIELDS) {
    const key = FIELD_KEYS[field];
    const names = Object.entries(mapping.columns).flatMap(([header, f]) => (f === field ? [header] : []));
    if (names.length > 0) spec[key] = { ...spec[key], names };
  }
  if (mapping.periodFromKey) spec.period = { ...spec.period, required: false };
  return spec;
}

export type PayrollContext = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agency: string;
  /** The caller's clock: bounds the NIP's dates and picks the NIK's century (validateNip, validateNik). */
  readonly today: Date;
  /** A correction-only file ("file koreksi"): an amount of 0 is taken, and removes the donor's row. */
  readonly allowZero?: boolean;
};

/** `columns`: payrollColumns(the agency's mapping); `periodFromKey`: rows without a period column take ctx.period. */
export type PayrollReadOptions = {
  readonly columns?: Readonly<Record<PayrollKey, ColumnSpec>>;
  readonly periodFromKey?: boolean;
};

export async function* validatePayrollRows(
  table: Table,
  ctx: PayrollContext,
  opts: PayrollReadOptions = {},
): AsyncGenerator<RowOutcome<Deduction>, PayrollFileTotals> {
  const columns = matchHeader(table, opts.columns ?? PAYROLL_COLUMNS);
  const periodFromKey = opts.periodFromKey === true && columns.period === undefined;
  const totals: PayrollFileTotals = {
    dataRows: 0,
    acceptedRows: 0,
    acceptedAmount: 0,
    rejectedRows: 0,
    rejectedAmount: 0,
  };
  const acceptedSlots = new Map<string, number>();

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

  const end = yield* checkRowsToSumRow(
    table,
    columns,
    columns.nip,
    (view) => checkRow(view, ctx, acceptedSlots, periodFromKey),
    count,
  );
  if (end.sum !== undefined) {
    const { row, labelIndex } = end.sum;
    totals.control = readTrailer(row.cells, row.line, labelIndex, columns.amount);
  }
  if (end.footer !== undefined) totals.footer = end.footer;
  if (totals.dataRows === 0) throw noDataRows(table);
  return totals;
}

function checkRow(
  view: RowView<PayrollKey>,
  ctx: PayrollContext,
  acceptedSlots: Map<string, number>,
  periodFromKey: boolean,
): RowOutcome<Deduction> {
  const structural = view.structural();
  if (structural) return structural;

  const nip = validateNip(view.cell('nip'), ctx.today);
  if (!nip.ok) return view.reject('nip', nip.reason);

  const name = collapseSpaces(view.cell('name'));
  if (name === '') return view.reject('name', 'NAME_MISSING');
  if (looksLikeFormula(name)) return view.reject('name', 'FORMULA_TEXT');

  // A table with no period column whose agency said so: the month the file was submitted for.
  const period = periodFromKey ? ctx.period : parseRowPeriod(view.cell('period'), view.cellOptions);
  if (period === undefined) return view.reject('period', 'PERIOD_INVALID');
  if (period !== ctx.period) return view.reject('period', 'PERIOD_MISMATCH');

  const parsed = parseRupiah(view.cell('amount'));
  const amount = !parsed.ok && parsed.reason === 'AMOUNT_ZERO' && ctx.allowZero ? { value: 0 } : parsed;
  if ('ok' in amount && !amount.ok) return view.reject('amount', amount.reason);

  let workerNik: string | undefined;
  if (view.cell('workerNik') !== '') {
    const nik = validateNik(view.cell('workerNik'), ctx.today);
    if (!nik.ok) return view.reject('workerNik', nik.reason);
    workerNik = nik.value.nik;
  }

  // docs/intake.md: a donor may have one row per named worker (and one without a worker); the same
  // NIP and worker again is a duplicate, said more sharply when the amounts differ.
  const slot = `${nip.value}#${workerNik ?? ''}`;
  const earlier = acceptedSlots.get(slot);
  if (earlier !== undefined) {
    const duplicate = view.reject('nip', 'DUPLICATE_ROW');
    return earlier === amount.value ? duplicate : { ...duplicate, variant: 'DUPLICATE_ROW_AMOUNT' };
  }
  acceptedSlots.set(slot, amount.value);
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

/**
 * A period cell as `YYYY-MM`, or undefined: readPeriodCell's shapes (`2026-01`, `01/2026`, `Jan-26`,
 * `Januari 2026`, a first-of-month date; Excel serials only when `serials`, i.e. the file is an XLSX).
 */
export function parseRowPeriod(text: string, opts: CellTextOptions = {}): string | undefined {
  const period = readPeriodCell(text, opts);
  return period.ok ? period.value : undefined;
}
