import { HOLIDAYS, type HolidayCalendar } from '#domain/holiday-calendar.ts';
import { allocationDeadlineOf } from '#domain/period.ts';

/**
 * When the AllocationDeadlineReached marker fires (docs/bpjs-loop.md#the-due-date): at 09:00 WIB on each
 * month's allocation deadline, the last working day before BPJS's due date, computed at synth from the
 * holiday calendar in shared/config/holidays/. EventBridge cron takes a year and a list of months, so a
 * year needs one schedule per day of the month a deadline falls on (the 11th to the 14th: at most four).
 *
 * Covered: every year the calendar has a file for, and the year after it (weekends only: a deadline
 * that can only be earlier than BPJS's, as docs/bpjs-loop.md explains). After that a recurring 14th
 * takes over, so a stack nobody redeployed since the calendar ran out still marks a deadline each
 * month; adding next year's file and deploying moves it on.
 */
export type DeadlineSchedule = {
  /** Construct id part: `2026Day13`, or `After2028` for the fallback. */
  readonly id: string;
  /** An EventBridge Scheduler cron in Asia/Jakarta. */
  readonly expression: string;
  /** The fallback's first instant (UTC): 1 January 00:00 WIB of the first year not listed. */
  readonly start?: Date;
};

/** 09:00 WIB, the hour the marker fires on a deadline day. */
export const DEADLINE_HOUR = 9;

/** The years with a schedule of their own: the calendar's, and one more. */
export function deadlineYears(calendar: HolidayCalendar = HOLIDAYS): number[] {
  const years = [...calendar.years.keys()].sort((a, b) => a - b);
  const last = years.at(-1);
  return last === undefined ? [] : [...years, last + 1];
}

export function allocationDeadlineSchedules(calendar: HolidayCalendar = HOLIDAYS): DeadlineSchedule[] {
  const out: DeadlineSchedule[] = [];
  const years = deadlineYears(calendar);
  for (const year of years) {
    const byDay = new Map<number, number[]>();
    for (let month = 1; month <= 12; month++) {
      const deadline = allocationDeadlineOf(`${year}-${String(month).padStart(2, '0')}`, calendar);
      // The deadline is always in the month itself: the due date is the first working day from the 15th.
      const day = Number(deadline.slice(8, 10));
      byDay.set(day, [...(byDay.get(day) ?? []), month]);
    }
    for (const [day, months] of [...byDay.entries()].sort(([a], [b]) => a - b))
      out.push({
        id: `${year}Day${day}`,
        expression: `cron(0 ${DEADLINE_HOUR} ${day} ${months.join(',')} ? ${year})`,
      });
  }
  const after = years.at(-1);
  if (after !== undefined)
    out.push({
      id: `After${after}`,
      expression: `cron(0 ${DEADLINE_HOUR} 14 * ? *)`,
      // 1 January of the next year, 00:00 in Jakarta (UTC+7).
      start: new Date(Date.UTC(after + 1, 0, 1) - 7 * 3_600_000),
    });
  return out;
}
