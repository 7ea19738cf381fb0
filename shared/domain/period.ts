/**
 * Coverage months (`YYYY-MM`) and calendar dates (`YYYY-MM-DD`), all in Asia/Jakarta.
 *
 * Asia/Jakarta (WIB) has been a fixed UTC+7 with no daylight saving since 1964, so a constant
 * offset is exact for every date this system can meet. Using it instead of Intl time zones keeps
 * the logic pure, fast, and independent of the ICU data bundled with the Node runtime.
 */
import { ValidationError } from './errors.ts';
import { HOLIDAYS, type HolidayCalendar, workingDayBefore, workingDayOnOrAfter } from './holiday-calendar.ts';
import type { IsoDate, Period } from './model.ts';
import { fail, ok, type Result } from './result.ts';

export type { IsoDate, Period } from './model.ts';

const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_PERIOD_YEAR = 2000;
const MAX_PERIOD_YEAR = 2100;
// Birth dates (of donors and workers) go back well before 2000.
const MIN_DATE_YEAR = 1900;
const MAX_DATE_YEAR = 2100;

// Month names from Intl (id-ID), read as UTC: a period or date here is a calendar label, not an instant.
const MONTH_YEAR_ID = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH_SHORT_ID = new Intl.DateTimeFormat('id-ID', { month: 'short', timeZone: 'UTC' });
const DAY_MONTH_YEAR_ID = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const PERIOD_PATTERNS: readonly { re: RegExp; year: number; month: number }[] = [
  { re: /^(\d{4})-(\d{2})$/, year: 1, month: 2 },
  { re: /^(\d{4})\/(\d{2})$/, year: 1, month: 2 },
  { re: /^(\d{2})\/(\d{4})$/, year: 2, month: 1 },
  { re: /^(\d{2})-(\d{4})$/, year: 2, month: 1 },
];

/** Accepts `YYYY-MM`, `YYYY/MM`, `MM/YYYY`, `MM-YYYY` (years 2000-2100); returns `YYYY-MM`. */
export function parsePeriod(s: unknown): Result<Period, 'PERIOD_INVALID'> {
  if (typeof s !== 'string') return fail('PERIOD_INVALID');
  const text = s.trim();
  for (const { re, year, month } of PERIOD_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const y = Number(m[year]);
    const mo = Number(m[month]);
    if (y < MIN_PERIOD_YEAR || y > MAX_PERIOD_YEAR || mo < 1 || mo > 12) return fail('PERIOD_INVALID');
    return ok(`${y}-${pad2(mo)}`);
  }
  return fail('PERIOD_INVALID');
}

/** True only for the canonical form `YYYY-MM` within 2000-2100. */
export function isPeriod(s: unknown): s is Period {
  return typeof s === 'string' && /^\d{4}-\d{2}$/.test(s) && parsePeriod(s).ok;
}

function periodIndex(p: Period): number {
  if (!isPeriod(p))
    throw new ValidationError(`not a period: ${String(p).slice(0, 20)}`, { code: 'PERIOD_INVALID' });
  return Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;
}

function periodFromIndex(index: number): Period {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${pad2((index % 12) + 1)}`;
}

export function addMonths(p: Period, n: number): Period {
  if (!Number.isInteger(n)) throw new RangeError(`addMonths expects an integer, got ${n}`);
  return periodFromIndex(periodIndex(p) + n);
}

/** `to - from` in months: `monthsBetween('2025-11', '2026-02') === 3`. */
export function monthsBetween(from: Period, to: Period): number {
  return periodIndex(to) - periodIndex(from);
}

export function comparePeriods(a: Period, b: Period): -1 | 0 | 1 {
  return Math.sign(periodIndex(a) - periodIndex(b)) as -1 | 0 | 1;
}

export function previousPeriod(p: Period): Period {
  return addMonths(p, -1);
}

export function nextPeriod(p: Period): Period {
  return addMonths(p, 1);
}

/**
 * BPU rule as BPJS keeps it: the contribution for coverage month M is due by the 15th of M, moved to
 * the next working day when the 15th is a weekend, a national holiday or cuti bersama
 * (shared/domain/holiday-calendar.ts; docs/bpjs-loop.md#the-due-date). A Jakarta calendar date.
 */
export function dueDateOf(p: Period, calendar: HolidayCalendar = HOLIDAYS): IsoDate {
  periodIndex(p);
  return workingDayOnOrAfter(`${p}-15`, calendar);
}

/**
 * The day by which month M's allocation must be complete, with its bill written: the last working day
 * before M's due date, so finance has a working day to approve, release and pay. From this day on a
 * month without a finished run raises ALLOCATION_LATE.
 */
export function allocationDeadlineOf(p: Period, calendar: HolidayCalendar = HOLIDAYS): IsoDate {
  return workingDayBefore(dueDateOf(p, calendar), calendar);
}

/** The calendar date in Jakarta at that instant. */
export function jakartaDateOf(instant: Date): IsoDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('jakartaDateOf: invalid Date');
  return new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Jakarta calendar month at that instant. */
export function periodOf(instant: Date): Period {
  return jakartaDateOf(instant).slice(0, 7);
}

/** The instant at which Jakarta's wall clock shows `date hour:minute`. */
export function jakartaInstant(date: IsoDate, hour = 0, minute = 0): Date {
  return new Date(utcMidnightOf(date) + hour * 3_600_000 + minute * 60_000 - JAKARTA_OFFSET_MS);
}

/**
 * The last millisecond of Jakarta's day `date` (23:59:59.999 WIB): "as of" a date includes all of it.
 */
export function jakartaEndOfDay(date: IsoDate): Date {
  return new Date(jakartaInstant(date, 24).getTime() - 1);
}

/** The calendar date `n` days after `date` (before it when negative): `addDays('2026-03-01', -1)` is `2026-02-28`. */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays expects an integer, got ${n}`);
  return new Date(utcMidnightOf(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from the Jakarta date of `instant` to `date` (negative once it has passed). */
export function daysUntil(instant: Date, date: IsoDate): number {
  return Math.round((utcMidnightOf(date) - utcMidnightOf(jakartaDateOf(instant))) / DAY_MS);
}

function utcMidnightOf(date: IsoDate): number {
  const parsed = parseIsoDate(date);
  if (!parsed.ok || parsed.value !== date) {
    throw new ValidationError(`not an ISO date: ${String(date).slice(0, 20)}`, { code: 'DATE_INVALID' });
  }
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

const DATE_PATTERNS: readonly { re: RegExp; year: number; month: number; day: number }[] = [
  { re: /^(\d{4})-(\d{2})-(\d{2})$/, year: 1, month: 2, day: 3 },
  { re: /^(\d{2})\/(\d{2})\/(\d{4})$/, year: 3, month: 2, day: 1 },
  { re: /^(\d{2})-(\d{2})-(\d{4})$/, year: 3, month: 2, day: 1 },
];

/**
 * Accepts `YYYY-MM-DD`, and `DD/MM/YYYY` or `DD-MM-YYYY` (Indonesian day-first order, never US
 * month-first). Rejects impossible dates such as `2025-02-29`. Returns `YYYY-MM-DD`.
 */
export function parseIsoDate(s: unknown): Result<IsoDate, 'DATE_INVALID'> {
  if (typeof s !== 'string') return fail('DATE_INVALID');
  const text = s.trim();
  for (const { re, year, month, day } of DATE_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const y = Number(m[year]);
    const mo = Number(m[month]);
    const d = Number(m[day]);
    if (y < MIN_DATE_YEAR || y > MAX_DATE_YEAR || !isRealDate(y, mo, d)) return fail('DATE_INVALID');
    return ok(`${y}-${pad2(mo)}-${pad2(d)}`);
  }
  return fail('DATE_INVALID');
}

/** True when year/month/day name a day that exists in the Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `2026-01-15` -> `15 Januari 2026` (Intl, id-ID). Raises ValidationError (DATE_INVALID) for an invalid date. */
export function formatDateId(date: IsoDate): string {
  return DAY_MONTH_YEAR_ID.format(utcMidnightOf(date));
}

/** `2026-01` -> `Januari 2026` (Intl, id-ID). Raises ValidationError (PERIOD_INVALID) for an invalid period. */
export function formatPeriodId(p: Period): string {
  periodIndex(p);
  return MONTH_YEAR_ID.format(new Date(`${p}-01T00:00:00Z`));
}

/** `2026-08` -> `Agu` (Intl, id-ID, short month). Raises ValidationError (PERIOD_INVALID) for an invalid period. */
export function formatPeriodShortId(p: Period): string {
  periodIndex(p);
  return MONTH_SHORT_ID.format(new Date(`${p}-01T00:00:00Z`));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
