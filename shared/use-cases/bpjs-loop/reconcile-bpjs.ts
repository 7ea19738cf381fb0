import type { BillStatus } from '#domain/bill-approval.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { BillBook, Payment } from '#domain/ports/bill-book.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ConfirmationStore, CurrentConfirmation } from '#domain/ports/confirmation-store.ts';
import { type Reconciliation, reconcileMonth } from '#domain/statements.ts';
import { type BilledLine, reconcileThreeWay, type ThreeWay } from '#domain/three-way.ts';
import { makeBillApproval } from './bill-approval.ts';

export type ReconcileBpjsDeps = {
  readonly log: Pick<AllocationLog, 'listRuns' | 'allocations'>;
  readonly book: BillBook;
  readonly confirmations: Pick<ConfirmationStore, 'current' | 'lines'>;
  readonly clock: Clock;
};

export type BpjsReconciliation = {
  readonly pool: PoolCode;
  readonly month: Period;
  /** Deducted and credited to the pool ⇄ allocated: the month's pool-level figures. */
  readonly poolLevel?: Reconciliation;
  readonly bill: BillStatus;
  /** Payments recorded against this version of the bill. */
  readonly payments: readonly Payment[];
  /** The confirmation file that counts for the month, if any. */
  readonly answer?: CurrentConfirmation;
  readonly threeWay: ThreeWay;
};

/**
 * Deducted ⇄ allocated ⇄ receipted for one pool and month (docs/bpjs-loop.md#three-way-reconciliation):
 * the bill (allocation log), the payments recorded against it, and the lines of BPJS's confirmation
 * file that counts, classified per worker by reconcileThreeWay. Reads only.
 */
export function makeReconcileBpjs(deps: ReconcileBpjsDeps) {
  const bills = makeBillApproval(deps);
  return async function reconcileBpjs(pool: PoolCode, month: Period): Promise<BpjsReconciliation> {
    const [bill, runs, answer, allPayments] = await Promise.all([
      bills.status(pool, month),
      deps.log.listRuns(pool),
      deps.confirmations.current(pool, month),
      deps.book.payments(pool),
    ]);
    const billed: BilledLine[] = [];
    for await (const page of deps.log.allocations(pool, month))
      for (const e of page) billed.push({ nik: e.nik, amount: e.amount, ...(e.kpj ? { kpj: e.kpj } : {}) });
    const payments = allPayments.filter((p) =>
      p.bills.some((b) => b.month === month && b.version === bill.version),
    );
    const lines =
      answer === undefined ? undefined : await deps.confirmations.lines(pool, month, answer.fileId);
    const poolLevel = reconcileMonth(runs, month);
    return {
      pool,
      month,
      ...(poolLevel === undefined ? {} : { poolLevel: poolLevel }),
      bill,
      payments,
      ...(answer === undefined ? {} : { answer }),
      threeWay: reconcileThreeWay(billed, lines, payments.length > 0),
    };
  };
}
