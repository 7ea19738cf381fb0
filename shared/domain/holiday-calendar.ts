/**
 * Indonesia's working days, for the BPJS due date (docs/bpjs-loop.md#the-due-date).
 *
 * BPJS keeps the contribution for coverage month M due on the 15th of M, moved to the next working day
 * when the 15th is a Saturday, a Sunday, a national holiday (libur nasional) or a collective leave day
 * (cuti bersama). The holidays are data, one file per year in shared/config/holidays/, copied from the
 * joint decree (SKB) of the Ministers of Religion, Manpower and PANRB that fixes each year's days.
 * To add a year: write `shared/config/holidays/<year>.json` in the same shape and add it to
 * HOLIDAY_FILES below (docs/bpjs-loop.md says how, and which decree each file follows).
 *
 * A year without a file, or a PROVISIONAL one, knows fewer holidays than the real year: the due date it
 * gives can only be earlier than BPJS's, never later, so money is never planned to arrive late.
 *
 * Self-contained (no import from period.ts): period.ts builds its due date on this module.
 */
import { z } from 'zod';
import y2025 from '../config/holidays/2025.json' with { type: 'json' };
import y2026 from '../config/holidays/2026.json' with { type: 'json' };
import y2027 from '../config/holidays/2027.json' with { type: 'json' };
import { RateTableError } from './errors.ts';

/** The year files shipped; one line per year. */
const HOLIDAY_FILES: readonly unknown[] = [y2025, y2026, y2027];

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` that names a real Gregorian day (the UTC round trip rejects 2025-02-29). */
const realDate = (s: string): boolean => {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === s;
};

export const HOLIDAY_KINDS = ['LIBUR_NASIONAL', 'CUTI_BERSAMA'] as const;

const holidayYearSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    /** DECREED: copied from the year's SKB. PROVISIONAL: only what is certain before the SKB. */
    status: z.enum(['DECREED', 'PROVISIONAL']),
    source: z.string().min(1, 'each year must say which decree it follows'),
    days: z.array(
      z.strictObject({
        date: z.string().refine(realDate, 'date must be a real YYYY-MM-DD day'),
        kind: z.enum(HOLIDAY_KINDS),
        name: z.string().min(1),
      }),
    ),
  })
  .superRefine((y, ctx) => {
    y.days.forEach((d, i) => {
      if (!d.date.startsWith(`${y.year}-`))
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} is not in ${y.year}` });
      const prev = y.days[i - 1];
      if (prev && prev.date >= d.date)
        ctx.addIssue({
          code: 'custom',
          path: ['days', i, 'date'],
          message: 'days must be sorted, no duplicates',
        });
    });
  });

export type HolidayYear = z.infer<typeof holidayYearSchema>;

/** A set of years' holidays: which dates are not working days, and how sure we are of each year. */
export type HolidayCalendar = {
  readonly holidays: ReadonlyMap<
    string,
    { readonly kind: (typeof HOLIDAY_KINDS)[number]; readonly name: string }
  >;
  readonly years: ReadonlyMap<number, { readonly status: HolidayYear['status']; readonly source: string }>;
};

/**
 * Builds a calendar from year files (parsed with zod). Raises RateTableError (HOLIDAYS_INVALID) naming
 * the file's year and the field when a file is malformed, or when two files claim the same year.
 */
export function buildHolidayCalendar(files: readonly unknown[]): HolidayCalendar {
  const holidays = new Map<string, { kind: (typeof HOLIDAY_KINDS)[number]; name: string }>();
  const years = new Map<number, { status: HolidayYear['status']; source: string }>();
  files.forEach((raw, i) => {
    const parsed = holidayYearSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RateTableError(
        `holiday file #${i + 1}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
        { code: 'HOLIDAYS_INVALID' },
      );
    }
    const y = parsed.data;
    if (years.has(y.year))
      throw new RateTableError(`holiday year ${y.year} given twice`, { code: 'HOLIDAYS_INVALID' });
    years.set(y.year, { status: y.status, source: y.source });
    for (const d of y.days) holidays.set(d.date, { kind: d.kind, name: d.name });
  });
  return { holidays, years };
}

/** The calendar shipped in shared/config/holidays/. */
export const HOLIDAYS: HolidayCalendar = buildHolidayCalendar(HOLIDAY_FILES);

const toUtc = (date: string): number => {
  if (!realDate(date)) throw new RangeError(`not an ISO date: ${date.slice(0, 20)}`);
  return Date.parse(`${date}T00:00:00Z`);
};
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** True for Monday-Friday dates that are neither a national holiday nor cuti bersama (a Jakarta calendar date). */
export function isWorkingDay(date: string, calendar: HolidayCalendar = HOLIDAYS): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

/** `date` itself when it is a working day, else the first working day after it. */
export function workingDayOnOrAfter(date: string, calendar: HolidayCalendar = HOLIDAYS): string {
  let ms = toUtc(date);
  while (!isWorkingDay(fromUtc(ms), calendar)) ms += DAY_MS;
  return fromUtc(ms);
}

/** The last working day strictly before `date`. */
export function workingDayBefore(date: string, calendar: HolidayCalendar = HOLIDAYS): string {
  let ms = toUtc(date) - DAY_MS;
  while (!isWorkingDay(fromUtc(ms), calendar)) ms -= DAY_MS;
  return fromUtc(ms);
}

/** How sure the calendar is of a year: DECREED, PROVISIONAL, or MISSING (weekends only). */
export function calendarStatusOf(
  year: number,
  calendar: HolidayCalendar = HOLIDAYS,
): HolidayYear['status'] | 'MISSING' {
  return calendar.years.get(year)?.status ?? 'MISSING';
}
