import { type Alert, paymentUnconfirmedAlert } from '#domain/alerts.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import {
  allocationDeadlineOf,
  daysUntil,
  dueDateOf,
  jakartaInstant,
  previousPeriod,
} from '#domain/period.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { makeBillApproval } from './bill-approval.ts';
import { makeReconcileBpjs, type ReconcileBpjsDeps } from './reconcile-bpjs.ts';

/** Worker alerts per pool and month at most; past it, the rest are counted on the last one (the CSV has the list). */
export const PAYMENT_UNCONFIRMED_LIMIT = 200;

/**
 * PAYMENT_UNCONFIRMED for the scan of pool P on Jakarta date D (docs/bpjs-loop.md#coverage-says-what-is-confirmed):
 * "covered" means confirmed by BPJS for every month the loop is in use, that is a month whose bill
 * was RELEASED through this system or for which a BPJS confirmation file has been applied (a pool
 * that pays BPJS another way and never sends an answer is left alone). For D's month and the month
 * before, from the month's allocation deadline on, one alert per billed worker BPJS has not receipted
 * (no answer yet, missing from the answer, or refused): WARNING until the due date (the confirmation
 * deadline), CRITICAL after it; CRITICAL at once for a line BPJS refused (DITOLAK): there is nothing to
 * wait for. Reads only.
 */
export function makePaymentUnconfirmed(deps: ReconcileBpjsDeps) {
  const reconcile = makeReconcileBpjs(deps);
  const bills = makeBillApproval(deps);
  return async function paymentUnconfirmed(
    pool: PoolCode,
    date: IsoDate,
    known?: { readonly runs: Promise<readonly RunRecord[]> },
  ): Promise<Alert[]> {
    const month = date.slice(0, 7);
    const due = [previousPeriod(month), month].filter((m) => date >= allocationDeadlineOf(m));
    if (due.length === 0) return [];
    // The pool's runs once for both months (or as the caller already reads them); the months' reads
    // in flight together.
    const runs = await (known?.runs ?? deps.log.listRuns(pool));
    const perMonth = await Promise.all(
      due.map(async (m): Promise<Alert[]> => {
        // Two small reads decide whether the loop is in use for the month before the bill is read whole.
        const [bill, answer] = await Promise.all([
          bills.status(pool, m, { runs }),
          deps.confirmations.current(pool, m),
        ]);
        if (bill.state !== 'RELEASED' && answer === undefined) return [];
        const r = await reconcile(pool, m);
        const days = daysUntil(jakartaInstant(date), dueDateOf(m));
        const open = r.threeWay.lines.filter((l) => l.billed > 0 && l.receipted === 0);
        return open.slice(0, PAYMENT_UNCONFIRMED_LIMIT).map((l) =>
          paymentUnconfirmedAlert(pool, l.nik, m, days, {
            class: l.class,
            billed: l.billed,
            answered: r.threeWay.answered ? 'yes' : 'no',
            bpjs: !r.threeWay.answered ? 'NO_ANSWER' : l.refused ? 'DITOLAK' : 'NOT_IN_ANSWER',
            ...(open.length > PAYMENT_UNCONFIRMED_LIMIT ? { unconfirmedInMonth: open.length } : {}),
          }),
        );
      }),
    );
    return perMonth.flat();
  };
}
