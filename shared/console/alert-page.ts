import { z } from 'zod';
import {
  ALERT_KINDS,
  type AlertKind,
  causeOf,
  gradeSeverity,
  kindRank,
  SEVERITIES,
  type Severity,
  type Words,
} from '#domain/alert-kinds.ts';
import { ValidationError } from '#domain/errors.ts';
import type { IsoDate } from '#domain/model.ts';
import { daysUntil, dueDateOf } from '#domain/period.ts';
import type { ConsoleAlert } from '#domain/ports/alert-desk.ts';
import { decodeToken, encodeToken } from '#shared/use-cases/finance/paging.ts';
import { monthSchema } from '#shared/use-cases/finance/requests.ts';
import { parseInput } from './api.ts';

/**
 * One page of a pool's alerts for ops (docs/console.md#alerts): the coverage month (and, if asked, the
 * day they were first seen), most urgent first, every alert graded by the domain's one rule
 * (alert-kinds.ts) with its cause and the days left to its month's due date, in pages with no cap on
 * how many there are in all.
 */

export const ALERTS_PAGE_DEFAULT = 100;
export const ALERTS_PAGE_MAX = 500;

export const alertQuerySchema = z.strictObject({
  month: monthSchema.optional(),
  day: z.iso.date().optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(ALERTS_PAGE_MAX).optional(),
  next: z.string().max(200).optional(),
});
export type AlertQuery = z.infer<typeof alertQuerySchema>;

export type GradedAlert = Omit<ConsoleAlert, 'severity'> & {
  readonly severity: Severity;
  /** The due date of the alert's month (the 15th or the next working day), a Jakarta date. */
  readonly dueDate: IsoDate;
  /** Calendar days from today (Jakarta) to the due date; negative once it has passed. */
  readonly daysLeft: number;
  readonly cause: Words;
};

export type AlertPage = {
  readonly pool: string;
  readonly month: string;
  readonly day?: string;
  /** Every month that has alerts, newest first: what the month picker offers. */
  readonly months: readonly string[];
  /** Alerts of the month (and day) by kind, every kind of the registry present (0 when none). */
  readonly counts: Readonly<Record<AlertKind, number>>;
  readonly severities: Readonly<Record<Severity, number>>;
  readonly open: number;
  /** How many match the filter, over all pages. */
  readonly total: number;
  readonly items: readonly GradedAlert[];
  readonly next?: string;
};

export function grade(a: ConsoleAlert, today: Date): GradedAlert {
  const dueDate = dueDateOf(a.month);
  return {
    ...a,
    severity: gradeSeverity(a),
    dueDate,
    daysLeft: daysUntil(today, dueDate),
    cause: causeOf(a.kind, a.details),
  };
}

const unpaid = (a: GradedAlert): number =>
  Number(a.details.wouldBeUnpaidMonth ?? a.details.unpaidMonths ?? 0);

/**
 * Most urgent first: open before handled, critical before warning, fewest days left, then the
 * registry's order of kinds, the most unpaid months, the scan's own days left, newest, ref.
 */
export function byUrgency(a: GradedAlert, b: GradedAlert): number {
  return (
    Number(a.handled !== undefined) - Number(b.handled !== undefined) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.daysLeft - b.daysLeft ||
    kindRank(a.kind) - kindRank(b.kind) ||
    unpaid(b) - unpaid(a) ||
    (a.daysUntilDue ?? 99) - (b.daysUntilDue ?? 99) ||
    b.firstSeen.localeCompare(a.firstSeen) ||
    a.ref.localeCompare(b.ref)
  );
}

/** The page the query asks for, from every alert of the pool (the month defaults to the newest). */
export function alertPage(pool: string, all: readonly ConsoleAlert[], query: unknown, now: Date): AlertPage {
  const q = parseInput(alertQuerySchema, query);
  const months = [...new Set(all.map((a) => a.month))].sort().reverse();
  const month = q.month ?? months[0] ?? '';
  const ofMonth = all
    .filter((a) => a.month === month && (q.day === undefined || a.firstSeen === q.day))
    .map((a) => grade(a, now));
  const counts = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>;
  const severities: Record<Severity, number> = { CRITICAL: 0, WARNING: 0 };
  let open = 0;
  for (const a of ofMonth) {
    if (a.kind in counts) counts[a.kind as AlertKind]++;
    severities[a.severity]++;
    if (a.handled === undefined) open++;
  }
  const wanted = ofMonth
    .filter(
      (a) =>
        (q.kind === undefined || a.kind === q.kind) &&
        (q.severity === undefined || a.severity === q.severity),
    )
    .sort(byUrgency);
  const position = decodeToken(q.next);
  // The token carries the filter it was issued for: resuming it under another filter is a mistake.
  if (position !== undefined && position.f !== filterKey(month, q))
    throw new ValidationError('the `next` token belongs to another filter', { code: 'TOKEN_INVALID' });
  const from = Number(position?.o ?? 0);
  const limit = q.limit ?? ALERTS_PAGE_DEFAULT;
  const items = wanted.slice(from, from + limit);
  const more = from + limit < wanted.length;
  return {
    pool,
    month,
    ...(q.day === undefined ? {} : { day: q.day }),
    months,
    counts,
    severities,
    open,
    total: wanted.length,
    items,
    ...(more ? { next: encodeToken({ o: String(from + limit), f: filterKey(month, q) }) } : {}),
  };
}

const filterKey = (month: string, q: AlertQuery): string =>
  [month, q.day ?? '', q.kind ?? '', q.severity ?? ''].join('|');
