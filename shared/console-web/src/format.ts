/**
 * Every number, rupiah amount, date and month the console shows. In Bahasa Indonesia they are the
 * domain's own notation (shared/domain/money.ts, period.ts), the one the CLI, the CSVs and the reports
 * write; dates and months are Jakarta calendar labels. The domain writes Indonesian only, so the English
 * switch (en-GB), a fraction of worker-months and an instant's time of day go through `Intl` here, in
 * the Asia/Jakarta time zone.
 */
import { formatNumberId, formatRupiah } from '../../domain/money.ts';
import { formatDateId, formatPeriodId, jakartaDateOf, periodOf } from '../../domain/period.ts';
import { lang } from './i18n.ts';

const TZ = 'Asia/Jakarta';
const english = (): boolean => lang() === 'en';
const locale = (): string => (english() ? 'en-GB' : 'id-ID');

const EN_RUPIAH = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'IDR',
  maximumFractionDigits: 0,
});
const EN_COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
// A calendar label read at UTC midnight: no time zone can move it to another day or month.
const EN_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const EN_DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** Integer rupiah: `Rp16.800` (the domain's notation), `IDR 16,800` in English. */
export const rupiah = (n: number): string => (english() ? EN_RUPIAH.format(n) : formatRupiah(n));

/** A whole count: `1.500`, `1,500` in English. */
export const count = (n: number): string => (english() ? EN_COUNT.format(n) : formatNumberId(n));

/** A decimal the API sends as text (worker-months in hundredths, `12.50`): `12,5`, `12.5` in English. */
export const decimal = (text: string): string =>
  new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(Number(text));

/** An ISO instant as the Jakarta date and time of day. */
export const dateTime = (iso: string): string => {
  const instant = new Date(iso);
  const time = new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: TZ }).format(instant);
  return `${day(jakartaDateOf(instant))} ${time}`;
};

/** `YYYY-MM-DD` (a Jakarta calendar date): `7 Desember 2026`, `7 Dec 2026` in English. */
export const day = (isoDate: string): string =>
  english() ? EN_DAY.format(new Date(`${isoDate}T00:00:00Z`)) : formatDateId(isoDate);

/** `YYYY-MM`: `Agustus 2026`, `August 2026` in English. */
export const month = (period: string): string =>
  english() ? EN_MONTH.format(new Date(`${period}-01T00:00:00Z`)) : formatPeriodId(period);

/** The month it is now in Jakarta (`YYYY-MM`): the period a treasurer's upload starts at. */
export const currentPeriod = (): string => periodOf(new Date());
