import { isDomainError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import { formatRupiah } from '#domain/money.ts';
import { formatDateId } from '#domain/period.ts';
import type { Payment } from '#domain/ports/bill-book.ts';
import { describe } from '#domain/reasons.ts';
import { billReferenceOf, readBankStatement } from '#shared/intake/bank-statement-rows.ts';
import type { Table } from '#shared/intake/table.ts';
import type { BillApprovalDeps } from './bill-approval.ts';
import { makeRecordPayment } from './record-payment.ts';

/** What became of one row of the statement. */
export type ImportedRow = {
  readonly line: number;
  readonly status: 'RECORDED' | 'DUPLICATE' | 'SKIPPED' | 'REJECTED';
  /** The column as the file names it, for a rejected row. */
  readonly field?: string;
  /** The reason code (a rejection's), or SKIPPED's cause. */
  readonly code?: string;
  /** In Bahasa Indonesia, naming the row and, for a rejection, the field: what an operator reads. */
  readonly message: string;
  readonly payment?: Payment;
};

export type ImportSummary = {
  readonly rows: readonly ImportedRow[];
  readonly recorded: number;
  readonly duplicate: number;
  readonly skipped: number;
  readonly rejected: number;
};

// Which column a refusal of the payment use case is about.
const FIELD_OF_CODE: Readonly<Record<string, 'date' | 'description' | 'amount' | 'reference'>> = {
  PAYMENT_AMOUNT_INVALID: 'amount',
  PAYMENT_AMOUNT_MISMATCH: 'amount',
  PAYMENT_DATE_INVALID: 'date',
  PAYMENT_REFERENCE_INVALID: 'reference',
  PAYMENT_REFERENCE_TAKEN: 'reference',
  BILL_NOT_RELEASED: 'description',
  BILL_ALREADY_PAID: 'description',
};

const REFERENCE = /^[A-Za-z0-9./-]{4,60}$/;

/**
 * `sertakan payment import` (docs/bpjs-loop.md#payments-from-a-bank-statement): each row of a bank
 * statement naming bill references is one payment, recorded by the payment use case (the same checks:
 * released bills, the exact total, not in the future) against those bills. The payment's reference is
 * the bank's reference number when the statement has one, else the bill references themselves
 * (`SRTK/15.04/2026-03`, several joined by `/`); so importing the same statement again finds every
 * payment recorded (DUPLICATE) and changes nothing. Rows naming no bill (the account's other movements)
 * and credits are SKIPPED; a row that cannot be read or is refused is REJECTED with its line, the column
 * and the reason, and the other rows go on. `recorded` is called for each payment first recorded (the
 * caller's audit trail).
 */
export function makeImportPayments(deps: BillApprovalDeps) {
  const record = makeRecordPayment(deps);
  return async function importPayments(
    table: Table,
    opts: { readonly by: string; readonly recorded?: (p: Payment, line: number) => Promise<unknown> },
  ): Promise<ImportSummary> {
    const rows: ImportedRow[] = [];
    for await (const row of readBankStatement(table)) {
      const at = `baris ${row.line}`;
      if (row.kind === 'SKIPPED') {
        rows.push({
          line: row.line,
          status: 'SKIPPED',
          code: row.why,
          message:
            row.why === 'CREDIT'
              ? `${at}: dilewati, uang masuk (kredit) bukan pembayaran ke BPJS`
              : `${at}: dilewati, keterangan tidak memuat referensi tagihan (SRTK/<pool>/<bulan>)`,
        });
        continue;
      }
      if (row.kind === 'REJECTED') {
        rows.push({
          line: row.line,
          status: 'REJECTED',
          field: row.field,
          code: row.reason,
          message: `${at}${row.field === '' ? '' : `, kolom ${row.field}`}: ${describe(row.reason).id}${row.value === '' ? '' : ` (${row.value})`}`,
        });
        continue;
      }
      const pools = [...new Set(row.bills.map((b) => b.pool))];
      if (pools.length > 1) {
        rows.push({
          line: row.line,
          status: 'REJECTED',
          field: row.fields.description,
          code: 'PAYMENT_POOLS_MIXED',
          message: `${at}, kolom ${row.fields.description}: satu transfer untuk tagihan beberapa pool (${pools.join(', ')}); catat per pool`,
        });
        continue;
      }
      const pool = pools[0] as PoolCode;
      const months = row.bills.map((b) => b.month).sort();
      const bankRef = row.bankReference !== undefined && REFERENCE.test(row.bankReference);
      const reference = bankRef
        ? (row.bankReference as string)
        : [billReferenceOf(pool, months[0] ?? ''), ...months.slice(1)].join('/');
      try {
        const out = await record({
          pool,
          months,
          amount: String(row.amount),
          paidOn: row.paidOn,
          reference,
          referenceKind: 'BANK_REF',
          by: opts.by,
        });
        if (out.status === 'RECORDED') await opts.recorded?.(out.payment, row.line);
        rows.push({
          line: row.line,
          status: out.status,
          payment: out.payment,
          message:
            `${at}: ${out.status === 'RECORDED' ? 'dicatat' : 'sudah tercatat, tidak berubah'}, ` +
            `${reference} ${formatRupiah(row.amount)} tgl ${formatDateId(row.paidOn)} untuk tagihan ${pool} ${months.join(', ')}`,
        });
      } catch (err) {
        if (!isDomainError(err)) throw err;
        const field = row.fields[FIELD_OF_CODE[err.code] ?? 'description'];
        rows.push({
          line: row.line,
          status: 'REJECTED',
          field,
          code: err.code,
          message: `${at}, kolom ${field}: ${err.message.split(' / ')[0]}`,
        });
      }
    }
    const count = (s: ImportedRow['status']) => rows.filter((r) => r.status === s).length;
    return {
      rows,
      recorded: count('RECORDED'),
      duplicate: count('DUPLICATE'),
      skipped: count('SKIPPED'),
      rejected: count('REJECTED'),
    };
  };
}
