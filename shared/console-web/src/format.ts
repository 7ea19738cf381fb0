/**
 * Every number, rupiah amount, date and month the console shows, through `Intl` in the chosen language
 * (id-ID by default) and the Asia/Jakarta time zone. No hand-written formatting.
 */
import { lang } from './i18n.ts';

const TZ = 'Asia/Jakarta';
const locale = () => (lang() === 'id' ? 'id-ID' : 'en-GB');

export const rupiah = (n: number): string =>
  new Intl.NumberFormat(locale(), { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(n);

export const count = (n: number): string => new Intl.NumberFormat(locale()).format(n);

/** An ISO instant as a Jakarta date and time. */
export const dateTime = (iso: string): string =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: TZ }).format(
    new Date(iso),
  );

/** `YYYY-MM-DD` (a Jakarta calendar date) as a date. */
export const day = (isoDate: string): string =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: TZ }).format(
    new Date(`${isoDate}T12:00:00+07:00`),
  );

/** `YYYY-MM` as a month name and year. */
export const month = (period: string): string =>
  new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: TZ }).format(
    new Date(`${period}-15T12:00:00+07:00`),
  );
