/**
 * Validates the rows of a grant credit file (docs/design.md#grant-file): `referensi`, `sumber`, `periode`, `jumlah`,
 * optional `keterangan`. A grant is a lump sum, so the per-row cap is GRANT_MAX_AMOUNT
 * (Rp100,000,000,000), not the Rp10,000,000 payroll cap. A reference appears once per file (a later
 * row is REFERENCE_DUPLICATE); uniqueness across earlier files of the pool is the use case's job.
 * A last row labelled JUMLAH/TOTAL with no reference is the file's control sum (docs/intake.md#sum-rows): when
 * it does not match the rows, the generator throws CONTROL_TOTAL_MISMATCH and the file is rejected whole.
 */

import { GRANT_SOURCES, type GrantSource, type Period } from '#domain/model.ts';
import { readRupiahText } from '#domain/money.ts';
import { addMonths, periodOf } from '#domain/period.ts';
import type { ReasonCode } from '#domain/reasons.ts';
import { checkControlTotals, readTrailer, type TableFooter } from './control-totals.ts';
import { parseRowPeriod } from './payroll-rows.ts';
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

export const GRANT_MAX_AMOUNT = 100_000_000_000;
const MAX_REFERENCE_LENGTH = 80;

export type GrantRow = {
  readonly reference: string;
  readonly source: GrantSource;
  readonly period: Period;
  readonly amount: number;
  readonly note?: string;
  readonly line: number;
};

export type GrantFileTotals = {
  dataRows: number;
  acceptedRows: number;
  acceptedAmount: number;
  rejectedRows: number;
  /** Rows under the JUMLAH row (signature block, notes): ignored, reported as one line. */
  footer?: TableFooter;
};

export const GRANT_COLUMNS = {
  reference: { names: ['referensi', 'reference', 'ref'], required: true },
  source: { names: ['sumber', 'source'], required: true },
  period: { names: ['periode', 'period'], required: true },
  amount: { names: ['jumlah', 'amount'], required: true },
  note: { names: ['keterangan', 'note', 'notes'], required: false },
} as const;
type GrantKey = keyof typeof GRANT_COLUMNS;

export async function* validateGrantRows(
  table: Table,
  opts: { readonly now?: Date } = {},
): AsyncGenerator<RowOutcome<GrantRow>, GrantFileTotals> {
  const columns = matchHeader(table, GRANT_COLUMNS);
  const totals: GrantFileTotals = { dataRows: 0, acceptedRows: 0, acceptedAmount: 0, rejectedRows: 0 };
  const seen = new Set<string>();
  let rejectedAmount = 0;
  const count = (outcome: RowOutcome<GrantRow>, view: RowView<GrantKey>): RowOutcome<GrantRow> => {
    totals.dataRows++;
    if (outcome.ok) {
      totals.acceptedRows++;
      totals.acceptedAmount += outcome.value.amount;
    } else {
      totals.rejectedRows++;
      const amount = parseGrantAmount(view.cell('amount'));
      if (typeof amount === 'number') rejectedAmount += amount;
    }
    return outcome;
  };
  // A JUMLAH/TOTAL row with no reference is the file's control sum; it ends the table (footer ignored).
  const isReference = (cell: string) => cell.trim() !== '';
  const end = yield* checkRowsToSumRow(
    table,
    columns,
    columns.reference,
    (view) => checkRow(view, seen, opts.now),
    count,
    isReference,
  );
  if (totals.dataRows === 0) throw noDataRows(table);
  if (end.sum !== undefined) {
    const { row, labelIndex } = end.sum;
    const control = readTrailer(row.cells, row.line, labelIndex, columns.amount);
    const mismatch = checkControlTotals({ ...totals, rejectedAmount, control });
    if (mismatch) throw mismatch;
  }
  if (end.footer !== undefined) totals.footer = end.footer;
  return totals;
}

function checkRow(view: RowView<GrantKey>, seen: Set<string>, now: Date | undefined): RowOutcome<GrantRow> {
  const structural = view.structural();
  if (structural) return structural;

  const reference = view.cell('reference');
  if (reference === '') return view.reject('reference', 'REFERENCE_MISSING');
  if (looksLikeFormula(reference)) return view.reject('reference', 'FORMULA_TEXT');
  if (reference.length > MAX_REFERENCE_LENGTH) return view.reject('reference', 'FIELD_TOO_LONG');
  if (seen.has(reference)) return view.reject('reference', 'REFERENCE_DUPLICATE');
  seen.add(reference);

  const source = view.cell('source').toUpperCase();
  const grantSource = GRANT_SOURCES.find((s) => s === source);
  if (grantSource === undefined) return view.reject('source', 'SOURCE_INVALID');

  const period = parseRowPeriod(view.cell('period'), view.cellOptions);
  if (period === undefined) return view.reject('period', 'PERIOD_INVALID');
  if (now !== undefined && !grantPeriodInRange(period, now))
    return view.reject('period', 'GRANT_PERIOD_TOO_FAR_AHEAD');

  const amount = parseGrantAmount(view.cell('amount'));
  if (typeof amount === 'string') return view.reject('amount', amount);

  const note = collapseSpaces(view.cell('note'));
  if (looksLikeFormula(note)) return view.reject('note', 'FORMULA_TEXT');

  const value: GrantRow = {
    reference,
    source: grantSource,
    period,
    amount,
    line: view.line,
    ...(note === '' ? {} : { note }),
  };
  return { ok: true, line: view.line, value };
}

/**
 * parseRupiah's grammar (readRupiahText) with the grant cap GRANT_MAX_AMOUNT instead of the per-row
 * payroll cap: integer rupiah, or the reason code (GRANT_AMOUNT_TOO_LARGE above the cap).
 */
export function parseGrantAmount(text: string): number | ReasonCode {
  const read = readRupiahText(text);
  if (!read.ok) return read.reason === 'AMOUNT_TOO_LARGE' ? 'GRANT_AMOUNT_TOO_LARGE' : read.reason;
  if (read.value === 0) return 'AMOUNT_ZERO';
  if (read.value < 0) return 'AMOUNT_NEGATIVE';
  return read.value > GRANT_MAX_AMOUNT ? 'GRANT_AMOUNT_TOO_LARGE' : read.value;
}

/** How far ahead a grant may be dated: one budget year (an APBD grant for next year, recorded in December). */
export const GRANT_MONTHS_AHEAD = 12;

/**
 * A grant's `periode` is the first month it may fund (docs/intake.md#grant-periods): at most
 * GRANT_MONTHS_AHEAD months after the current month (Asia/Jakarta); a grant dated decades ahead would sit
 * unused as a future credit. Any earlier month is taken (village BKBK grants predate the payroll
 * programme): it funds the pool's next run.
 */
export function grantPeriodInRange(period: Period, now: Date): boolean {
  return period <= addMonths(periodOf(now), GRANT_MONTHS_AHEAD);
}
