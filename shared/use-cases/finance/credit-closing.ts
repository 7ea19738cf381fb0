import { type CreditClosing, closingCutoff, mergePeriodCredits } from '#domain/credit-closing.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { nextPeriod, periodOf, previousPeriod } from '#domain/period.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditHistory } from '#domain/ports/credit-history.ts';
import type { CreditLedger, PeriodCredits } from '#domain/ports/credit-ledger.ts';

/**
 * Credit closings (docs/finance-queries.md, "Balance as of a date"): written once a month with the
 * allocation's month outputs, read by the balance as of a date.
 */

/**
 * Writes the pool's closing of the Jakarta month before `clock.now()`: every credit recorded by that
 * month's end, per period (one read of the pool's chunk summaries, once a month). Idempotent: the same
 * month's closing is the same whenever it is written, since recordings before its end are all in.
 */
export function makeWriteCreditClosing(deps: {
  readonly credits: Pick<CreditLedger, 'creditsByPeriod'>;
  readonly history: Pick<CreditHistory, 'putClosing'>;
  readonly clock: Clock;
}) {
  return async (pool: PoolCode): Promise<CreditClosing> => {
    const month = previousPeriod(periodOf(deps.clock.now()));
    const closing = { pool, month, credits: await deps.credits.creditsByPeriod(pool, closingCutoff(month)) };
    await deps.history.putClosing(closing);
    return closing;
  };
}

/**
 * The pool's credits per period as they stood at `asOf` (recorded at or before it): the newest closing
 * before asOf's Jakarta month plus the credits recorded in each month since, up to `asOf`. Equal to
 * `creditsByPeriod(pool, asOf)` in rupiah by kind and period (test/unit/finance/balance-closing.test.ts);
 * without history or a closing, it is that full read.
 */
export async function creditsAsOf(
  deps: {
    readonly credits: Pick<CreditLedger, 'creditsByPeriod'>;
    readonly history?: Pick<CreditHistory, 'recordedIn' | 'closingBefore'> | undefined;
  },
  pool: PoolCode,
  asOf: Date,
): Promise<PeriodCredits[]> {
  const month = periodOf(asOf);
  const closing = await deps.history?.closingBefore(pool, month);
  if (deps.history === undefined || closing === undefined) return deps.credits.creditsByPeriod(pool, asOf);
  const history = deps.history;
  const since: Period[] = [];
  for (let m = nextPeriod(closing.month); m <= month; m = nextPeriod(m)) since.push(m);
  const recorded = await Promise.all(since.map((m) => history.recordedIn(pool, m, asOf)));
  return mergePeriodCredits([closing.credits, ...recorded]);
}
