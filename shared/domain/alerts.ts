import type { CoverageState } from '#domain/coverage.ts';
import { maskNik } from '#domain/masking.ts';
import type { AgencyCode, IsoDate, Period, PoolCode, Tier } from '#domain/model.ts';
import { allocationDeadlineOf, daysUntil, dueDateOf, jakartaInstant } from '#domain/period.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { isMonthDone, type RunRecord } from '#domain/ports/allocation/run-record.ts';
import {
  ALERT_KINDS,
  type AlertDetails,
  type AlertKind,
  CRITICAL_DAYS,
  type Severity,
} from './alert-kinds.ts';

/**
 * Alerts for BPJS ops (docs/design.md#alerts): what can be detected, their deterministic ids and urgency.
 * Pure: the scan decides when to look, this file decides what a record or a forecast means.
 *
 * An id is kind + pool + subject + month, so the same situation seen by any number of scans is the
 * same alert and is recorded (and announced) once.
 */

// The kinds, their words and their urgency live in one registry (alert-kinds.ts), read by the console too.
export { ALERT_KINDS, type AlertKind, CRITICAL_DAYS, type Severity } from './alert-kinds.ts';

/** How many alerts the digest spells out; the rest are in the CSV. */
export const URGENT_FEW = 5;

export type { AlertDetails } from './alert-kinds.ts';

export type Alert = {
  readonly id: string;
  readonly kind: AlertKind;
  readonly pool: PoolCode;
  /** Coverage month (worker and pool alerts) or payroll period (FILE_MISSING). */
  readonly month: Period;
  /** Worker NIK, agency code, or the pool code: raw, for lookups; never logged or published unmasked. */
  readonly subject: string;
  readonly subjectType: 'WORKER' | 'AGENCY' | 'POOL';
  readonly severity: Severity;
  readonly daysUntilDue?: number;
  readonly details: AlertDetails;
};

/** An alert as the log holds it: recorded once, with the Jakarta date a scan first saw it. */
export type RecordedAlert = Alert & { readonly firstSeen: IsoDate };

export const alertId = (kind: AlertKind, pool: PoolCode, subject: string, month: Period): string =>
  kind === 'RUNWAY_LOW' ? `${kind}#${pool}#${month}` : `${kind}#${pool}#${subject}#${month}`;

/** What may leave the system: a worker's NIK masked, an agency or pool code as is. */
export const maskedSubject = (a: Pick<Alert, 'subject' | 'subjectType'>): string =>
  a.subjectType === 'WORKER' ? maskNik(a.subject) : a.subject;

/**
 * UNFUNDED / LAPSED from the latest completed run for month `run`: the run wrote a record for every
 * worker whose state changed, so record.month = run means "decided in that run".
 */
export function runOutcomeAlert(pool: PoolCode, record: StoredCoverage, run: Period): Alert | undefined {
  if (record.month !== run) return undefined;
  const base = { pool, month: run, subject: record.nik, subjectType: 'WORKER' as const };
  const paidThrough = record.paidThrough ?? '-';
  if (record.status === 'LAPSED' && record.unpaidStreak === 3) {
    return {
      ...base,
      id: alertId('LAPSED', pool, record.nik, run),
      kind: 'LAPSED',
      severity: 'CRITICAL',
      details: { tier: record.tier, unpaidMonths: 3, paidThrough },
    };
  }
  const unpaid = record.status === 'ACTIVE' && (record.unpaidStreak === 1 || record.unpaidStreak === 2);
  if (unpaid && (record.paidThrough === undefined || record.paidThrough < run)) {
    return {
      ...base,
      id: alertId('UNFUNDED', pool, record.nik, run),
      kind: 'UNFUNDED',
      severity: 'WARNING',
      details: { tier: record.tier, unpaidMonths: record.unpaidStreak, paidThrough },
    };
  }
  return undefined;
}

export function atRiskAlert(
  pool: PoolCode,
  nik: string,
  tier: Tier,
  state: CoverageState,
  month: Period,
  daysUntilDue: number,
): Alert {
  return {
    id: alertId('AT_RISK', pool, nik, month),
    kind: 'AT_RISK',
    pool,
    month,
    subject: nik,
    subjectType: 'WORKER',
    severity: daysUntilDue <= CRITICAL_DAYS ? 'CRITICAL' : 'WARNING',
    daysUntilDue,
    details: {
      tier,
      unpaidMonths: state.unpaidStreak,
      paidThrough: state.paidThrough ?? '-',
      // The unpaid month this would become: the 3rd means the lapse itself.
      wouldBeUnpaidMonth: state.unpaidStreak + 1,
    },
  };
}

export function fileMissingAlert(pool: PoolCode, agency: AgencyCode, period: Period, cutoff: IsoDate): Alert {
  return {
    id: alertId('FILE_MISSING', pool, agency, period),
    kind: 'FILE_MISSING',
    pool,
    month: period,
    subject: agency,
    subjectType: 'AGENCY',
    severity: 'WARNING',
    details: { cutoff, previousPeriodDelivered: 'yes' },
  };
}

/**
 * Alerts about the allocation itself (docs/design.md#every-month-completes: silence is never an outcome), from a pool's
 * runs as seen on Jakarta date `date`:
 * - ALLOCATION_STALLED for every run that cannot continue on its own (with its cause);
 * - ALLOCATION_LATE from the month's allocation deadline on (the last working day before the due date,
 *   allocationDeadlineOf), when the date's month has no run COMPLETED with its month-end outputs
 *   (BPJS bill, reconciliation) written; its days left count to the due date (dueDateOf).
 * Subject is the pool: no personal data.
 */
export function allocationAlerts(pool: PoolCode, runs: readonly RunRecord[], date: IsoDate): Alert[] {
  const out: Alert[] = [];
  const base = { pool, subject: pool, subjectType: 'POOL' as const, severity: 'CRITICAL' as const };
  for (const r of runs) {
    if (r.status !== 'RUNNING' || r.stalled === undefined) continue;
    out.push({
      ...base,
      id: alertId('ALLOCATION_STALLED', pool, pool, r.month),
      kind: 'ALLOCATION_STALLED',
      month: r.month,
      details: { run: r.runId, since: r.stalled.at, reason: r.stalled.reason },
    });
  }
  const month = date.slice(0, 7);
  const ofMonth = runs.filter((r) => r.month === month);
  if (date >= allocationDeadlineOf(month) && !isMonthDone(ofMonth)) {
    const last = ofMonth.at(-1);
    const state =
      last === undefined
        ? 'no run'
        : last.status === 'COMPLETED'
          ? 'completed, bill and reconciliation not written'
          : last.status === 'ABORTED'
            ? `aborted by an operator, not re-run: ${last.aborted?.reason ?? ''}`
            : `${last.stalled ? 'stalled' : 'running'} at chunk ${last.nextChunk}/${last.chunkCount}`;
    out.push({
      ...base,
      id: alertId('ALLOCATION_LATE', pool, pool, month),
      kind: 'ALLOCATION_LATE',
      month,
      daysUntilDue: Math.max(0, daysUntil(jakartaInstant(date), dueDateOf(month))),
      details: { state, ...(last ? { run: last.runId } : {}) },
    });
  }
  return out;
}

/**
 * PAYMENT_UNCONFIRMED (docs/bpjs-loop.md#coverage-says-what-is-confirmed): a worker's month on the bill
 * of a month the loop is in use for (bill released, or BPJS's answer applied) that BPJS has not
 * receipted, from the month's allocation deadline on. CRITICAL once the due date (the confirmation
 * deadline) has passed, the worker not protected for the month, or at once when BPJS refused the line
 * (`details.bpjs` DITOLAK); a WARNING before it.
 */
export function paymentUnconfirmedAlert(
  pool: PoolCode,
  nik: string,
  month: Period,
  daysUntilDue: number,
  details: AlertDetails,
): Alert {
  return {
    id: alertId('PAYMENT_UNCONFIRMED', pool, nik, month),
    kind: 'PAYMENT_UNCONFIRMED',
    pool,
    month,
    subject: nik,
    subjectType: 'WORKER',
    severity: daysUntilDue < 0 || details.bpjs === 'DITOLAK' ? 'CRITICAL' : 'WARNING',
    daysUntilDue: Math.max(0, daysUntilDue),
    details,
  };
}

export function runwayLowAlert(
  pool: PoolCode,
  month: Period,
  runwayMonths: number,
  thresholdMonths: number,
  forecast: readonly { month: Period; closing: number; fundable: number; active: number }[],
): Alert {
  return {
    id: alertId('RUNWAY_LOW', pool, pool, month),
    kind: 'RUNWAY_LOW',
    pool,
    month,
    subject: pool,
    subjectType: 'POOL',
    severity: 'WARNING',
    details: {
      runwayMonths,
      thresholdMonths,
      // month:closing:fundable/active, compact so the item stays small.
      forecast: forecast.map((m) => `${m.month}:${m.closing}:${m.fundable}/${m.active}`).join(' '),
    },
  };
}

const KIND_RANK: Readonly<Record<AlertKind, number>> = Object.fromEntries(
  ALERT_KINDS.map((k, i) => [k, i]),
) as Record<AlertKind, number>;

/** Most urgent first: critical, then kind, then fewest days to the due date, then most unpaid months, then id. */
export function compareUrgency(a: Alert, b: Alert): number {
  const sev = (x: Alert) => (x.severity === 'CRITICAL' ? 0 : 1);
  const unpaid = (x: Alert) => Number(x.details.unpaidMonths ?? 0);
  return (
    sev(a) - sev(b) ||
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    (a.daysUntilDue ?? 99) - (b.daysUntilDue ?? 99) ||
    unpaid(b) - unpaid(a) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Keeps the `URGENT_FEW` most urgent of two lists (deterministic, so a redone chunk yields the same). */
export function mergeUrgent<T extends Alert>(current: readonly T[], more: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const a of [...current, ...more]) byId.set(a.id, a);
  return [...byId.values()].sort(compareUrgency).slice(0, URGENT_FEW);
}

export type KindCounts = Readonly<Record<AlertKind, { readonly new: number; readonly open: number }>>;

export const emptyCounts = (): KindCounts =>
  Object.fromEntries(ALERT_KINDS.map((k) => [k, { new: 0, open: 0 }])) as KindCounts;

export function addCounts(counts: KindCounts, alerts: readonly RecordedAlert[], today: IsoDate): KindCounts {
  const out = Object.fromEntries(ALERT_KINDS.map((k) => [k, { ...counts[k] }])) as Record<
    AlertKind,
    { new: number; open: number }
  >;
  for (const a of alerts) {
    out[a.kind].open++;
    if (a.firstSeen === today) out[a.kind].new++;
  }
  return out;
}

export const digestSeverity = (alerts: readonly Alert[]): Severity =>
  alerts.some((a) => a.severity === 'CRITICAL') ? 'CRITICAL' : 'WARNING';

export const CSV_HEADER = [
  'jenis/kind',
  'tingkat/severity',
  'pool',
  'subjek/subject',
  'bulan/month',
  'baru/new',
  'pertama_terlihat/first_seen',
  'hari_ke_jatuh_tempo/days_to_due',
  'rincian/details',
] as const;

/** One CSV row of the full alert list; the subject masked like everywhere outside the system. */
export const csvRow = (a: RecordedAlert, today: IsoDate): (string | number)[] => [
  a.kind,
  a.severity,
  a.pool,
  maskedSubject(a),
  a.month,
  a.firstSeen === today ? 'YA/YES' : 'TIDAK/NO',
  a.firstSeen,
  a.daysUntilDue ?? '',
  Object.entries(a.details)
    .map(([k, v]) => `${k}=${v}`)
    .join(' '),
];
