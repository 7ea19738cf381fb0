import type { IsoDate, Period, PoolCode, Rupiah } from '#domain/model.ts';

/**
 * A finance user's decision on one version of a month's BPJS bill (docs/bpjs-loop.md#bill-approval):
 * who (an operator id, never personal data), when (ISO instant), and the bill it was about, so a later
 * re-run of the month (a new version) is never released on an old approval.
 */
export type BillDecision = { readonly by: string; readonly at: string };

/** The bill as approved: its version (the month's last run), its total (rupiah) and workers. */
export type BillApproval = BillDecision & {
  readonly version: string;
  readonly total: Rupiah;
  readonly workers: number;
};

/** What is recorded on one version of a pool's month bill. */
export type BillRecord = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly version: string;
  readonly approved: BillApproval;
  readonly released?: BillDecision;
};

/**
 * A transfer to BPJS recorded by finance (docs/bpjs-loop.md#payments): amount in rupiah, the Jakarta
 * date it left the account, the reference the bank or BPJS gave it, and the released bills it pays.
 */
export type Payment = {
  readonly pool: PoolCode;
  /** Unique per pool: the kode iuran, virtual account number or bank reference. */
  readonly reference: string;
  readonly referenceKind: 'KODE_IURAN' | 'VIRTUAL_ACCOUNT' | 'BANK_REF';
  readonly amount: Rupiah;
  readonly paidOn: IsoDate;
  /** The released bills paid, as `<month>` with the version released. */
  readonly bills: readonly { readonly month: Period; readonly version: string; readonly total: Rupiah }[];
  readonly recordedBy: string;
  readonly recordedAt: string;
};

/**
 * The bills' decisions and the payments, per pool (one item per bill version, one per payment). Writes
 * are conditional so two finance users acting at once cannot both win: the loser gets CONFLICT and
 * reads again.
 */
export interface BillBook {
  /** The record of a bill version, if anyone has approved it. */
  get(pool: PoolCode, month: Period, version: string): Promise<BillRecord | undefined>;
  /** Records the approval unless the version already has one. */
  recordApproval(pool: PoolCode, month: Period, approval: BillApproval): Promise<'RECORDED' | 'CONFLICT'>;
  /**
   * Records the release on an approved version unless it is released already or `release.by` is the
   * approver (checked again by the store, so the rule holds even between two racing writers).
   */
  recordRelease(
    pool: PoolCode,
    month: Period,
    version: string,
    release: BillDecision,
  ): Promise<'RECORDED' | 'CONFLICT'>;
  /** Records a payment unless the pool already has one with that reference (then DUPLICATE). */
  recordPayment(payment: Payment): Promise<'RECORDED' | 'DUPLICATE'>;
  /** The pool's payments, by reference. */
  payments(pool: PoolCode): Promise<Payment[]>;
}
