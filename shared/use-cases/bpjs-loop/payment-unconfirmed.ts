import { type Alert, paymentUnconfirmedAlert } from '#domain/alerts.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import {
  allocationDeadlineOf,
  daysUntil,
  dueDateOf,
  jakartaInstant,
  previousPeriod,
} from '#domain/period.ts';
import { makeReconcileBpjs, type ReconcileBpjsDeps } from './reconcile-bpjs.ts';

/** Worker alerts per pool and month at most; past it, the rest are counted on the last one (the CSV has the list). */
export const PAYMENT_UNCONFIRMED_LIMIT = 200;

/**
 * PAYMENT_UNCONFIRMED for the scan of pool P on Jakarta date D (docs/bpjs-loop.md#coverage-says-what-is-confirmed):
 * for D's month and the month before, once the month's bill is RELEASED (the loop is in use for it:
 * pools and months that never released a bill through this system are left alone), and from the
 * month's allocation deadline on, one alert per billed worker BPJS has not receipted. Reads only.
 */
export function makePaymentUnconfirmed(deps: ReconcileBpjsDeps) {
  const reconcile = makeReconcileBpjs(deps);
  return async function paymentUnconfirmed(pool: PoolCode, date: IsoDate): Promise<Alert[]> {
    const out: Alert[] = [];
    const month = date.slice(0, 7);
    for (const m of [previousPeriod(month), month]) {
      if (date < allocationDeadlineOf(m)) continue;
      const r = await reconcile(pool, m);
      if (r.bill.state !== 'RELEASED') continue;
      const days = daysUntil(jakartaInstant(date), dueDateOf(m));
      const open = r.threeWay.lines.filter((l) => l.billed > 0 && l.receipted === 0);
      for (const l of open.slice(0, PAYMENT_UNCONFIRMED_LIMIT))
        out.push(
          paymentUnconfirmedAlert(pool, l.nik, m, days, {
            class: l.class,
            billed: l.billed,
            answered: r.threeWay.answered ? 'yes' : 'no',
            ...(open.length > PAYMENT_UNCONFIRMED_LIMIT ? { unconfirmedInMonth: open.length } : {}),
          }),
        );
    }
    return out;
  };
}
