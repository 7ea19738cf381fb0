/**
 * The rows of a bank statement (mutasi rekening) exported as CSV from an Indonesian bank's internet
 * banking, read for the transfers to BPJS (docs/bpjs-loop.md#payments-from-a-bank-statement): per row
 * a date, a description (keterangan / berita) that holds the bill reference `SRTK/<pool>/<YYYY-MM>`,
 * the amount (debit), and, when the bank gives one, the transaction's reference number. Columns are
 * matched as for every intake kind (columns.ts) and the table is opened by the same intake (encodings,
 * `;`/`,`/tab, the bank's title rows above the header).
 *
 * Amounts as banks write them: `168.000`, `168.000,00`, `168,000.00`, `Rp168.000`, with `DB`/`CR`
 * after it (BCA) or a separate D/K column; a credit row (money in) is no payment to BPJS. Dates:
 * `YYYY-MM-DD`, `DD/MM/YYYY`, `DD-MM-YYYY`, `DD Mar 2026`, `DD-Mar-26`, with or without a time.
 */
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';
import { readRupiahText } from '#domain/money.ts';
import { isRealDate, parseIsoDate } from '#domain/period.ts';
import type { ReasonCode } from '#domain/reasons.ts';
import { matchHeader, RowView } from './row-kit.ts';
import type { Table } from './table.ts';

export const BANK_STATEMENT_COLUMNS = {
  date: {
    names: [
      'tanggal',
      'tgl',
      'tanggal_transaksi',
      'tgl_transaksi',
      'tanggal_mutasi',
      'date',
      'transaction_date',
      'posting_date',
    ],
    required: true,
  },
  description: {
    names: [
      'keterangan',
      'deskripsi',
      'uraian',
      'berita',
      'keterangan_transaksi',
      'description',
      'remark',
      'narasi',
    ],
    required: true,
  },
  amount: {
    names: ['jumlah', 'nominal', 'amount', 'mutasi', 'debet', 'debit', 'mutasi_debet', 'jumlah_debet'],
    required: true,
  },
  credit: { names: ['kredit', 'credit', 'mutasi_kredit'], required: false },
  direction: { names: ['db_cr', 'dbcr', 'd_k', 'dk', 'jenis', 'tipe'], required: false },
  reference: {
    names: ['referensi', 'no_referensi', 'nomor_referensi', 'no_ref', 'ref', 'reference', 'bank_reference'],
    required: false,
  },
} as const;
type BankKey = keyof typeof BANK_STATEMENT_COLUMNS;

/** A bill named in a transfer's description: the pool and the coverage month. */
export type BillRef = { readonly pool: PoolCode; readonly month: Period };

/** The reference to write in the transfer's description (berita) so a statement row finds its bill. */
export const billReferenceOf = (pool: PoolCode, month: Period): string => `SRTK/${pool}/${month}`;

// SRTK, then the pool code (15, 15.04, 15.04.01, 15.04.01.2001), then the month as 2026-03 or 202603;
// any of / - _ . or spaces between them, as a bank's description field may have rewritten them.
const BILL_REF =
  /\bSRTK[\s/_.-]*(\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)[\s/_-]+(\d{4})[\s/_.-]?(0[1-9]|1[0-2])(?!\d)/gi;

/** Every bill reference in a description, in order, each once. */
export function billRefsIn(description: string): BillRef[] {
  const found = new Map<string, BillRef>();
  for (const m of description.matchAll(BILL_REF)) {
    const ref = { pool: m[1] ?? '', month: `${m[2]}-${m[3]}` };
    found.set(`${ref.pool}|${ref.month}`, ref);
  }
  return [...found.values()];
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  mei: 5,
  may: 5,
  jun: 6,
  jul: 7,
  agu: 8,
  agt: 8,
  aug: 8,
  sep: 9,
  okt: 10,
  oct: 10,
  nov: 11,
  des: 12,
  dec: 12,
};

/** A bank's date cell as an ISO date, or undefined: the formats in the header comment, a time after it ignored. */
export function parseBankDate(cell: string): IsoDate | undefined {
  const text = cell.trim().replace(/[T\s]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*WIB)?$/i, '');
  const iso = parseIsoDate(text);
  if (iso.ok) return iso.value;
  const named = /^(\d{1,2})[\s/-]([A-Za-z]{3,9})[\s/-](\d{4}|\d{2})$/.exec(text);
  if (named === null) return undefined;
  const month = MONTHS[(named[2] ?? '').slice(0, 3).toLowerCase()];
  const day = Number(named[1]);
  const year = (named[3] ?? '').length === 2 ? 2000 + Number(named[3]) : Number(named[3]);
  if (month === undefined || !isRealDate(year, month, day)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A statement row's amount and direction: a trailing DB/CR (or D/K), a minus for a debit. */
export function parseBankAmount(
  cell: string,
): { ok: true; value: number; credit: boolean } | { ok: false; reason: ReasonCode } {
  let text = cell.trim();
  let credit = false;
  const suffix = /\s*\b(DB|CR|D|K|DR)\.?$/i.exec(text);
  if (suffix !== null) {
    credit = /^(CR|K)$/i.test(suffix[1] ?? '');
    text = text.slice(0, suffix.index).trim();
  }
  const read = readRupiahText(text);
  if (!read.ok) return { ok: false, reason: read.reason };
  // A signed amount column: negative is money out (a debit), positive money in, unless DB/CR says.
  const value = Math.abs(read.value);
  if (value === 0) return { ok: false, reason: 'AMOUNT_ZERO' };
  return { ok: true, value, credit: suffix === null ? false : credit };
}

/** One row of the statement, as read. */
export type BankRow =
  | {
      readonly kind: 'PAYMENT';
      readonly line: number;
      readonly paidOn: IsoDate;
      readonly amount: number;
      readonly bills: readonly BillRef[];
      /** The bank's reference number, if the statement has the column and the row a value. */
      readonly bankReference?: string;
      /** The columns as the file names them, for outcomes that point at a field. */
      readonly fields: Readonly<Record<'date' | 'description' | 'amount' | 'reference', string>>;
    }
  | { readonly kind: 'SKIPPED'; readonly line: number; readonly why: 'NO_BILL_REFERENCE' | 'CREDIT' }
  | {
      readonly kind: 'REJECTED';
      readonly line: number;
      readonly field: string;
      readonly reason: ReasonCode;
      readonly value: string;
    };

export async function* readBankStatement(table: Table): AsyncGenerator<BankRow> {
  const columns = matchHeader(table, BANK_STATEMENT_COLUMNS);
  const nameOf = (key: BankKey) => {
    const i = columns[key];
    return i === undefined ? key : (table.header.columns[i] ?? key);
  };
  const fields = {
    date: nameOf('date'),
    description: nameOf('description'),
    amount: nameOf('amount'),
    reference: columns.reference === undefined ? nameOf('description') : nameOf('reference'),
  };
  for await (const row of table.rows) {
    // A statement lists every movement of the account, and banks add summary lines below them
    // (saldo awal, mutasi debet): a row naming no bill anywhere is not ours to judge.
    if (!row.cells.some((cell) => billRefsIn(cell).length > 0)) {
      yield { kind: 'SKIPPED', line: row.line, why: 'NO_BILL_REFERENCE' };
      continue;
    }
    const view = new RowView(table, columns, row);
    const structural = view.structural();
    if (structural) {
      const { field, reason, value } = structural;
      yield { kind: 'REJECTED', line: row.line, field, reason, value };
      continue;
    }
    const bills = billRefsIn(view.cell('description'));
    if (bills.length === 0) {
      const value = view.cell('description').slice(0, 30);
      yield {
        kind: 'REJECTED',
        line: row.line,
        field: fields.description,
        reason: 'BILL_REFERENCE_MISSING',
        value,
      };
      continue;
    }
    const debit = view.cell('amount');
    if (debit === '' && view.cell('credit') !== '') {
      yield { kind: 'SKIPPED', line: row.line, why: 'CREDIT' };
      continue;
    }
    const amount = parseBankAmount(debit);
    if (!amount.ok) {
      yield {
        kind: 'REJECTED',
        line: row.line,
        field: fields.amount,
        reason: amount.reason,
        value: debit.slice(0, 30),
      };
      continue;
    }
    if (amount.credit || /^(CR|K|KREDIT|CREDIT)$/i.test(view.cell('direction'))) {
      yield { kind: 'SKIPPED', line: row.line, why: 'CREDIT' };
      continue;
    }
    const paidOn = parseBankDate(view.cell('date'));
    if (paidOn === undefined) {
      yield {
        kind: 'REJECTED',
        line: row.line,
        field: fields.date,
        reason: 'DATE_INVALID',
        value: view.cell('date').slice(0, 30),
      };
      continue;
    }
    const bankReference = view.cell('reference');
    yield {
      kind: 'PAYMENT',
      line: row.line,
      paidOn,
      amount: amount.value,
      bills,
      ...(bankReference === '' ? {} : { bankReference }),
      fields,
    };
  }
}
