/**
 * Indonesian number and month notation for charts, all from `Intl` (locale `id-ID`): axis labels are
 * compact (`Rp 17,2 jt`, `1,5 rb`), tooltips exact (`Rp 17.222.600`, `1.500 pekerja`). Pure and
 * browser-safe, so the web console formats its charts exactly as the HTML report does.
 */

const RUPIAH_COMPACT = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const RUPIAH = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  maximumFractionDigits: 0,
});
const COUNT_COMPACT = new Intl.NumberFormat('id-ID', { notation: 'compact', maximumFractionDigits: 1 });
const COUNT = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
// A period is a calendar month, not an instant: read it at UTC midnight so no time zone can shift it.
const MONTH_SHORT = new Intl.DateTimeFormat('id-ID', { month: 'short', timeZone: 'UTC' });
const MONTH_LONG = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Rupiah (integer) for an axis: `17222600` -> `Rp 17,2 jt`, `1250000000` -> `Rp 1,3 M`. */
export const rupiahAxisLabel = (rupiah: number): string => RUPIAH_COMPACT.format(rupiah);

/** Rupiah (integer) in full, for tooltips: `17222600` -> `Rp 17.222.600`. */
export const rupiahText = (rupiah: number): string => RUPIAH.format(rupiah);

/** A count for an axis: `1500` -> `1,5 rb`, `12` -> `12`. */
export const countAxisLabel = (count: number): string => COUNT_COMPACT.format(count);

/** A count in full with its unit, for tooltips: `(1500, 'pekerja')` -> `1.500 pekerja`. */
export const countText = (count: number, unit: string): string => `${COUNT.format(count)} ${unit}`;

function monthDate(period: string): Date {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw new RangeError(`expected a period YYYY-MM, got ${JSON.stringify(period)}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** `2026-08` -> `Agu`. Throws RangeError on anything but `YYYY-MM`. */
export const monthShortId = (period: string): string => MONTH_SHORT.format(monthDate(period));

/** `2026-08` -> `Agustus 2026`. Throws RangeError on anything but `YYYY-MM`. */
export const monthLongId = (period: string): string => MONTH_LONG.format(monthDate(period));

/**
 * Category label of month `i` on a time axis: the short month, with the year on a second line for
 * the first month shown and for every January (`Jan\n2027`), so a 12-month axis reads without clutter.
 */
export function monthAxisLabel(periods: readonly string[], i: number): string {
  const period = periods[i] ?? '';
  const month = monthShortId(period);
  return i === 0 || period.endsWith('-01') ? `${month}\n${period.slice(0, 4)}` : month;
}
