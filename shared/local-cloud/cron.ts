/**
 * EventBridge Scheduler cron expressions, `cron(minutes hours day-of-month month day-of-week year)`,
 * evaluated in a fixed-offset time zone. Supported per field: numbers, `*`, `?`, lists `a,b`, ranges
 * `a-b` and steps `a/n` or `a-b/n`. Not supported (rejected with a reason): `L`, `W`, `#`, names.
 * Day-of-week is 1-7 = SUN-SAT, as in EventBridge.
 */

export class CronExpressionError extends Error {
  override readonly name = 'CronExpressionError';
}

export type CronSchedule = {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** undefined when the field is `?` (or `*` while day-of-week is restricted). */
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  readonly years: ReadonlySet<number> | undefined;
};

type Range = { readonly min: number; readonly max: number; readonly label: string };

const ranges = {
  minutes: { min: 0, max: 59, label: 'minutes' },
  hours: { min: 0, max: 23, label: 'hours' },
  daysOfMonth: { min: 1, max: 31, label: 'day-of-month' },
  months: { min: 1, max: 12, label: 'month' },
  daysOfWeek: { min: 1, max: 7, label: 'day-of-week' },
  years: { min: 1970, max: 2199, label: 'year' },
} as const satisfies Record<string, Range>;

const parseNumber = (text: string, range: Range): number => {
  if (!/^\d+$/.test(text)) throw new CronExpressionError(`${range.label}: "${text}" is not supported`);
  const n = Number(text);
  if (n < range.min || n > range.max) {
    throw new CronExpressionError(`${range.label}: ${n} is outside ${range.min}-${range.max}`);
  }
  return n;
};

/** undefined means "any" (`*` or `?`). */
const parseField = (text: string, range: Range): Set<number> | undefined => {
  if (text === '*' || text === '?') return undefined;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [base = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : parseNumber(stepText, { ...range, min: 1 });
    let from: number;
    let to: number;
    if (base === '*') {
      from = range.min;
      to = range.max;
    } else if (base.includes('-')) {
      const [a = '', b = ''] = base.split('-');
      from = parseNumber(a, range);
      to = parseNumber(b, range);
      if (from > to) throw new CronExpressionError(`${range.label}: range ${base} is reversed`);
    } else {
      from = parseNumber(base, range);
      to = stepText === undefined ? from : range.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
};

export const parseCron = (expression: string): CronSchedule => {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  const fields = match?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) {
    throw new CronExpressionError(
      `"${expression}" is not cron(min hour day-of-month month day-of-week year)`,
    );
  }
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if (dom !== '?' && dow !== '?') {
    throw new CronExpressionError('one of day-of-month and day-of-week must be "?"');
  }
  const minutes = parseField(min, ranges.minutes);
  const hours = parseField(hour, ranges.hours);
  const months = parseField(month, ranges.months);
  const all = (r: Range) => new Set(Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i));
  return {
    minutes: minutes ?? all(ranges.minutes),
    hours: hours ?? all(ranges.hours),
    daysOfMonth: parseField(dom, ranges.daysOfMonth),
    months: months ?? all(ranges.months),
    daysOfWeek: parseField(dow, ranges.daysOfWeek),
    years: parseField(year, ranges.years),
  };
};

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/**
 * Every instant the schedule fires with `from < t <= to` (exclusive start, so stepping a clock from
 * one point to the next fires each occurrence exactly once). `utcOffsetMinutes` is the zone's fixed
 * offset (Asia/Jakarta: +420, no daylight saving).
 */
export const occurrencesBetween = (
  schedule: CronSchedule,
  from: Date,
  to: Date,
  utcOffsetMinutes: number,
): Date[] => {
  const offsetMs = utcOffsetMinutes * minuteMs;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const result: Date[] = [];
  // Walk local calendar days; Date.UTC on local wall-clock fields, minus the offset, gives the instant.
  const firstLocalDay = Math.floor((fromMs + offsetMs) / dayMs) * dayMs;
  for (let day = firstLocalDay; day - offsetMs <= toMs; day += dayMs) {
    const d = new Date(day);
    if (schedule.years !== undefined && !schedule.years.has(d.getUTCFullYear())) continue;
    if (!schedule.months.has(d.getUTCMonth() + 1)) continue;
    if (schedule.daysOfMonth !== undefined && !schedule.daysOfMonth.has(d.getUTCDate())) continue;
    if (schedule.daysOfWeek !== undefined && !schedule.daysOfWeek.has(d.getUTCDay() + 1)) continue;
    for (const hour of [...schedule.hours].sort((a, b) => a - b)) {
      for (const minute of [...schedule.minutes].sort((a, b) => a - b)) {
        const instant = day + (hour * 60 + minute) * minuteMs - offsetMs;
        if (instant > fromMs && instant <= toMs) result.push(new Date(instant));
      }
    }
  }
  return result;
};

/** Fixed offsets of the zones resources.ts may name. */
export const utcOffsetMinutesOf = (timeZone: string): number => {
  const offsets: Record<string, number> = { 'Asia/Jakarta': 7 * 60, UTC: 0 };
  const offset = offsets[timeZone];
  if (offset === undefined) throw new CronExpressionError(`time zone ${timeZone} is not supported locally`);
  return offset;
};
