import { requireOperatorId } from '#domain/bill-approval.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';
import { formatRupiah, readRupiahText } from '#domain/money.ts';
import { jakartaDateOf, parseIsoDate } from '#domain/period.ts';
import type { Payment } from '#domain/ports/bill-book.ts';
import { type BillApprovalDeps, makeBillApproval } from './bill-approval.ts';

export const REFERENCE_KINDS = ['KODE_IURAN', 'VIRTUAL_ACCOUNT', 'BANK_REF'] as const;

export type PaymentRequest = {
  readonly pool: PoolCode;
  /** The released bills' months this transfer pays (one or more). */
  readonly months: readonly Period[];
  /** As typed: `168000`, `168.000`, `Rp168.000`. */
  readonly amount: string;
  /** The Jakarta date the money left the pool's account: YYYY-MM-DD or DD/MM/YYYY. */
  readonly paidOn: string;
  readonly reference: string;
  readonly referenceKind: Payment['referenceKind'];
  readonly by: string;
};

export type PaymentOutcome = { readonly status: 'RECORDED' | 'DUPLICATE'; readonly payment: Payment };

const REFERENCE = /^[A-Za-z0-9./-]{4,60}$/;

/**
 * Records a transfer to BPJS against one or more released bills (docs/bpjs-loop.md#payments).
 * Refuses (ValidationError) a bad amount, date (in the future, or unreadable) or reference; refuses
 * (ConflictError) a bill not released (BILL_NOT_RELEASED), a bill already paid by another payment
 * (BILL_ALREADY_PAID), an amount that is not the bills' total to the rupiah (PAYMENT_AMOUNT_MISMATCH:
 * BPJS's kode iuran is for the exact sum), and a reference already used for a different payment
 * (PAYMENT_REFERENCE_TAKEN). The same payment recorded again is DUPLICATE and changes nothing.
 */
export function makeRecordPayment(deps: BillApprovalDeps) {
  const bills = makeBillApproval(deps);
  return async function recordPayment(req: PaymentRequest): Promise<PaymentOutcome> {
    const by = requireOperatorId(req.by);
    // Not parseRupiah: its cap is per payroll row; a month's bill of a large pool is far above it.
    const amount = readRupiahText(String(req.amount));
    if (!amount.ok || amount.value <= 0)
      throw new ValidationError(
        `jumlah pembayaran tidak valid / invalid amount: ${String(req.amount).slice(0, 20)}`,
        {
          code: 'PAYMENT_AMOUNT_INVALID',
        },
      );
    const date = parseIsoDate(req.paidOn);
    const now = deps.clock.now();
    if (!date.ok || date.value > jakartaDateOf(now))
      throw new ValidationError(
        'tanggal bayar tidak valid atau di masa depan / payment date invalid or in the future',
        {
          code: 'PAYMENT_DATE_INVALID',
        },
      );
    if (!REFERENCE.test(req.reference))
      throw new ValidationError(
        'referensi: 4-60 huruf, angka, titik, garis miring, garis / reference: 4-60 letters, digits, . / -',
        {
          code: 'PAYMENT_REFERENCE_INVALID',
        },
      );
    const months = [...new Set(req.months)].sort();
    if (months.length === 0)
      throw new ValidationError('sebutkan bulan tagihan yang dibayar (--month) / name the bills paid', {
        code: 'PAYMENT_BILLS_REQUIRED',
      });
    const paid = await deps.book.payments(req.pool);
    const paidOnIso: IsoDate = date.value;
    const billsPaid: Payment['bills'][number][] = [];
    for (const month of months) {
      const s = await bills.status(req.pool, month);
      if (s.state !== 'RELEASED' || s.version === undefined)
        throw new ConflictError(
          `tagihan ${req.pool} ${month} belum dilepas untuk dibayar (${s.state}) / the bill is not released`,
          { code: 'BILL_NOT_RELEASED' },
        );
      billsPaid.push({ month, version: s.version, total: s.total });
    }
    const payment: Payment = {
      pool: req.pool,
      reference: req.reference,
      referenceKind: req.referenceKind,
      amount: amount.value,
      paidOn: paidOnIso,
      bills: billsPaid,
      recordedBy: by,
      recordedAt: now.toISOString(),
    };
    const same = paid.find((p) => p.reference === req.reference);
    if (same !== undefined) {
      const sameContent =
        same.amount === payment.amount &&
        same.paidOn === payment.paidOn &&
        JSON.stringify(same.bills) === JSON.stringify(payment.bills);
      if (sameContent) return { status: 'DUPLICATE', payment: same };
      throw new ConflictError(
        `referensi ${req.reference} sudah dipakai pembayaran lain / reference already used`,
        {
          code: 'PAYMENT_REFERENCE_TAKEN',
        },
      );
    }
    for (const b of billsPaid) {
      const other = paid.find((p) => p.bills.some((x) => x.month === b.month && x.version === b.version));
      if (other)
        throw new ConflictError(
          `tagihan ${req.pool} ${b.month} sudah dibayar (referensi ${other.reference}) / bill already paid`,
          { code: 'BILL_ALREADY_PAID' },
        );
    }
    const due = billsPaid.reduce((s, b) => s + b.total, 0);
    if (due !== payment.amount)
      throw new ConflictError(
        `jumlah ${formatRupiah(payment.amount)} tidak sama dengan total tagihan ${formatRupiah(due)} / the amount is not the bills' total`,
        { code: 'PAYMENT_AMOUNT_MISMATCH' },
      );
    const status = await deps.book.recordPayment(payment);
    if (status === 'DUPLICATE') {
      // A concurrent recording of the same reference won: report what is stored.
      const stored = (await deps.book.payments(req.pool)).find((p) => p.reference === req.reference);
      return { status, payment: stored ?? payment };
    }
    return { status, payment };
  };
}
