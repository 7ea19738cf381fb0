/**
 * Which payroll periods a pool can take (docs/intake.md#periods). A file for month P is taken when
 *   first ≤ P ≤ next month (Asia/Jakarta, by the intake's clock),
 * where `first` is the pool's first month (the earliest period a file has been applied for), or, for
 * a pool that has none yet, the programme's start. A month after next month is refused
 * (PERIOD_IN_FUTURE): nobody's salary for it is paid yet. A month before the programme started is
 * refused (PERIOD_BEFORE_PROGRAMME): no run could ever have counted it. A month between the programme's
 * start and the pool's first month is refused (PERIOD_BEFORE_POOL) unless the uploader says it is late
 * (`--late`, the `susulan` folder): it is then taken and shown as a late correction, counted, as every
 * credit after its month's run, in the next run. Pure: the caller passes the clock's instant.
 */
import type { Period } from './model.ts';
import { addMonths, periodOf } from './period.ts';

/**
 * The first month of the SERTAKAN payroll programme in Jambi (Batanghari, July 2025): no payroll file
 * can be for an earlier month.
 */
export const PROGRAMME_START: Period = '2025-07';

export type PeriodJudgement =
  | { readonly ok: true; readonly late: boolean }
  | {
      readonly ok: false;
      readonly reason: 'PERIOD_IN_FUTURE' | 'PERIOD_BEFORE_PROGRAMME' | 'PERIOD_BEFORE_POOL';
      readonly detail: string;
    };

export function judgePeriod(
  period: Period,
  opts: { readonly firstPeriod?: Period; readonly now: Date; readonly late: boolean },
): PeriodJudgement {
  const last = addMonths(periodOf(opts.now), 1);
  if (period > last)
    return { ok: false, reason: 'PERIOD_IN_FUTURE', detail: `${period} is after next month (${last})` };
  if (period < PROGRAMME_START) {
    return {
      ok: false,
      reason: 'PERIOD_BEFORE_PROGRAMME',
      detail: `${period} is before the programme's start (${PROGRAMME_START})`,
    };
  }
  const first = opts.firstPeriod ?? PROGRAMME_START;
  if (period >= first) return { ok: true, late: false };
  if (opts.late) return { ok: true, late: true };
  return {
    ok: false,
    reason: 'PERIOD_BEFORE_POOL',
    detail: `${period} is before the pool's first month (${first}); send it as late (--late) if it is`,
  };
}
