import { ALERT_KIND_INFO } from '#domain/alert-kinds.ts';
import {
  ALERT_KINDS,
  type AlertKind,
  type KindCounts,
  maskedSubject,
  type RecordedAlert,
  type Severity,
} from '#domain/alerts.ts';
import { maskName } from '#domain/masking.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import { dueDateOf, formatDateId, formatPeriodId } from '#domain/period.ts';
import type { DigestMessage } from '#domain/ports/alert-publisher.ts';

/**
 * The daily ops digest of one pool: Indonesian first, then English; counts per kind, the change since
 * yesterday, the most urgent few (NIK and names masked) and where the full CSV list is.
 *
 * When is one sent? When today's scan found at least one alert not seen before, or when the open counts
 * differ from yesterday's (something was resolved). A quiet day sends nothing: a still-open alert was
 * already announced, and repeating it daily is the noise §6 forbids. The CSV is written every day.
 */

export type DigestInput = {
  readonly pool: PoolCode;
  readonly date: IsoDate;
  readonly counts: KindCounts;
  /** Open per kind on the previous day's scan; undefined when there was none. */
  readonly yesterday?: Readonly<Record<AlertKind, number>>;
  readonly urgent: readonly RecordedAlert[];
  /** Masked names by alert id, for the urgent few that are workers. */
  readonly names: ReadonlyMap<string, string>;
  readonly severity: Severity;
  readonly csvUri: string;
};

export const totalNew = (c: KindCounts): number => ALERT_KINDS.reduce((s, k) => s + c[k].new, 0);
export const totalOpen = (c: KindCounts): number => ALERT_KINDS.reduce((s, k) => s + c[k].open, 0);

export const openByKind = (c: KindCounts): Record<AlertKind, number> =>
  Object.fromEntries(ALERT_KINDS.map((k) => [k, c[k].open])) as Record<AlertKind, number>;

export function digestDue(
  counts: KindCounts,
  yesterday: Readonly<Record<AlertKind, number>> | undefined,
): boolean {
  if (totalNew(counts) > 0) return true;
  return ALERT_KINDS.some((k) => counts[k].open !== (yesterday?.[k] ?? 0));
}

const signed = (n: number): string => (n > 0 ? `+${formatNumberId(n)}` : formatNumberId(n));

function urgentLine(a: RecordedAlert, names: ReadonlyMap<string, string>, lang: 'id' | 'en'): string {
  const who = maskedSubject(a) + (names.has(a.id) ? ` (${names.get(a.id)})` : '');
  const month = lang === 'id' ? formatPeriodId(a.month) : a.month;
  const days =
    a.daysUntilDue === undefined
      ? ''
      : lang === 'id'
        ? `, ${formatNumberId(a.daysUntilDue)} hari lagi jatuh tempo (${formatDateId(dueDateOf(a.month))})`
        : `, ${a.daysUntilDue} days to the due date (${dueDateOf(a.month)})`;
  const unpaid = a.details.unpaidMonths;
  const why =
    unpaid === undefined || unpaid === 0
      ? ''
      : lang === 'id'
        ? `, ${unpaid} bulan tidak dibayar`
        : `, ${unpaid} unpaid month(s)`;
  return `- [${a.severity}] ${a.kind} ${who}, ${month}${days}${why}`;
}

export function composeDigest(input: DigestInput): DigestMessage {
  const { counts, yesterday } = input;
  const kinds = ALERT_KINDS.filter((k) => counts[k].open > 0);
  const row = (k: AlertKind, lang: 'id' | 'en') => {
    const c = counts[k];
    const delta = yesterday ? c.open - yesterday[k] : undefined;
    const label = ALERT_KIND_INFO[k].digest[lang];
    const since =
      delta === undefined
        ? ''
        : lang === 'id'
          ? `, ${signed(delta)} dari kemarin`
          : `, ${signed(delta)} vs yesterday`;
    return lang === 'id'
      ? `- ${k} (${label}): ${formatNumberId(c.open)} terbuka, ${formatNumberId(c.new)} baru${since}`
      : `- ${k} (${label}): ${c.open} open, ${c.new} new${since}`;
  };
  const shown = ALERT_KINDS.filter((k) => counts[k].open > 0 || (yesterday?.[k] ?? 0) > 0);
  const id = [
    `SERTAKAN - ringkasan peringatan pool ${input.pool}, ${formatDateId(input.date)} (${input.severity})`,
    `Baru hari ini: ${formatNumberId(totalNew(counts))}. Masih terbuka: ${formatNumberId(totalOpen(counts) - totalNew(counts))}.`,
    ...shown.map((k) => row(k, 'id')),
    'Paling mendesak:',
    ...input.urgent.map((a) => urgentLine(a, input.names, 'id')),
    `Daftar lengkap (CSV): ${input.csvUri}`,
    `ID ringkasan: ${digestIdOf(input.pool, input.date)} (pesan lain dengan ID yang sama adalah kiriman ulang)`,
  ];
  const en = [
    `SERTAKAN - alert digest for pool ${input.pool}, ${input.date} (${input.severity})`,
    `New today: ${totalNew(counts)}. Still open: ${totalOpen(counts) - totalNew(counts)}.`,
    ...shown.map((k) => row(k, 'en')),
    'Most urgent:',
    ...input.urgent.map((a) => urgentLine(a, input.names, 'en')),
    `Full list (CSV): ${input.csvUri}`,
    `Digest id: ${digestIdOf(input.pool, input.date)} (another message with the same id is a repeat)`,
  ];
  return {
    subject: `SERTAKAN ${input.severity} pool ${input.pool} ${input.date}: ${totalNew(counts)} baru/new`,
    body: `${id.join('\n')}\n\n--- English ---\n${en.join('\n')}\n`,
    attributes: {
      pool: input.pool,
      kinds,
      severity: input.severity,
      digestId: digestIdOf(input.pool, input.date),
    },
  };
}

/**
 * The identity of pool P's digest of Jakarta date D: the same on every send of it. SNS delivers at least
 * once and the scan may publish again if it dies between the publish and recording it (the scan state
 * is the outbox; only that one write sits between the two), so a receiver drops a message whose id it
 * has already seen. Carried as the `digestId` message attribute and as a line of the body.
 */
export const digestIdOf = (pool: PoolCode, date: IsoDate): string => `digest-${pool}-${date}`;

/** Masks a worker's name for the digest (kept here so the use case never handles the raw name twice). */
export const digestName = (name: string): string => maskName(name);
