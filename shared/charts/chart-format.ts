/**
 * Indonesian number and month notation for charts, all from `Intl` (locale `id-ID`): axis labels are
 * compact (`Rp 17,2 jt`, `1,5 rb`), tooltips exact (`Rp 17.222.600`, `1.500 pekerja`). The formatters
 * themselves are the domain's (money.ts, period.ts); this module names them for charts. Pure and
 * browser-safe, so the web console formats its charts exactly as the HTML report does.
 */

import {
  formatCountCompact,
  formatCountId,
  formatRupiahCompact,
  formatRupiahCurrency,
} from '#domain/money.ts';
import { formatPeriodId, formatPeriodShortId } from '#domain/period.ts';

/** Rupiah (integer) for an axis: `17222600` -> `Rp 17,2 jt`, `1250000000` -> `Rp 1,3 M`. */
export const rupiahAxisLabel = (rupiah: number): string => formatRupiahCompact(rupiah);

/** Rupiah (integer) in full, for tooltips: `17222600` -> `Rp 17.222.600`. */
export const rupiahText = (rupiah: number): string => formatRupiahCurrency(rupiah);

/** A count for an axis: `1500` -> `1,5 rb`, `12` -> `12`. */
export const countAxisLabel = (count: number): string => formatCountCompact(count);

/** A count in full with its unit, for tooltips: `(1500, 'pekerja')` -> `1.500 pekerja`. */
export const countText = (count: number, unit: string): string => `${formatCountId(count)} ${unit}`;

/** The period itself, once checked to be `YYYY-MM` (RangeError otherwise: a chart's data is ours). */
function checkedPeriod(period: string): string {
  if (!/^(\d{4})-(0[1-9]|1[0-2])$/.test(period)) {
    throw new RangeError(`expected a period YYYY-MM, got ${JSON.stringify(period)}`);
  }
  return period;
}

/** `2026-08` -> `Agu`. Throws RangeError on anything but `YYYY-MM`. */
export const monthShortId = (period: string): string => formatPeriodShortId(checkedPeriod(period));

/** `2026-08` -> `Agustus 2026`. Throws RangeError on anything but `YYYY-MM`. */
export const monthLongId = (period: string): string => formatPeriodId(checkedPeriod(period));

/**
 * Category label of month `i` on a time axis: the short month, with the year on a second line for
 * the first month shown and for every January (`Jan\n2027`), so a 12-month axis reads without clutter.
 */
export function monthAxisLabel(periods: readonly string[], i: number): string {
  const period = periods[i] ?? '';
  const month = monthShortId(period);
  return i === 0 || period.endsWith('-01') ? `${month}\n${period.slice(0, 4)}` : month;
}
