import { composeDigest, digestDue, digestName, openByKind } from '#domain/alert-digest.ts';
import {
  type Alert,
  addCounts,
  atRiskAlert,
  CSV_HEADER,
  csvRow,
  digestSeverity,
  mergeUrgent,
  type RecordedAlert,
  runOutcomeAlert,
  runwayLowAlert,
} from '#domain/alerts.ts';
import { stateBefore } from '#domain/coverage.ts';
import { addToGroups, fundingLine, groupKey } from '#domain/forecast.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { monthsBetween } from '#domain/period.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';
import type { ScanState } from '#domain/ports/alerts/scan-state-store.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import { projectOutlook, rateOfTable } from '#shared/use-cases/forecast-pool.ts';
import type { ScanLapsesDeps } from './scan-lapses-deps.ts';
import type { PartBuffer } from './scan-part-buffer.ts';

/**
 * The steps of the daily lapse scan (scan-lapses.ts): COUNT, ALERT, FINAL and DIGEST, each a function of
 * the deps, the scan state and what the invocation holds; `runStep` picks the one the state's phase names.
 * None of them commits: the invocation does (scan-lapses.ts).
 */
export const alertsCsvKey = (pool: PoolCode, date: IsoDate): string => `reports/alerts/${pool}/${date}.csv`;
/** Parts of the day's list while the scan runs: working files under `work/`, which expires (resources.ts). */
const partKey = (pool: PoolCode, date: IsoDate, n: number): string =>
  `work/alerts/${pool}/${date}/part-${String(n).padStart(5, '0')}.csv`;
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** What one invocation holds across its steps: pages read, CSV parts written, yesterday's state. */
export type Invocation = {
  readonly pages: CoveragePages;
  readonly parts: PartBuffer;
  readonly yesterday: Promise<ScanState | undefined>;
};

/** Records alerts, writes their CSV part, and folds them into the counts. */
async function tally(
  deps: ScanLapsesDeps,
  s: ScanState,
  found: readonly Alert[],
  parts: PartBuffer,
): Promise<{ next: ScanState; fresh: number }> {
  if (found.length === 0) return { next: s, fresh: 0 };
  const logged = new Map((await deps.alerts.record(found, s.date)).map((a) => [a.id, a.firstSeen]));
  // The log keeps the first sighting; the digest shows today's view (days left, severity) of each.
  const recorded: RecordedAlert[] = found.map((a) => ({ ...a, firstSeen: logged.get(a.id) ?? s.date }));
  const body = recorded.map((a) => csvLine(csvRow(a, s.date))).join('');
  parts.put(partKey(s.pool, s.date, s.parts), body);
  return {
    fresh: recorded.filter((a) => a.firstSeen === s.date).length,
    next: {
      ...s,
      parts: s.parts + 1,
      counts: addCounts(s.counts, recorded, s.date),
      critical: s.critical + recorded.filter((a) => a.severity === 'CRITICAL').length,
      urgent: mergeUrgent(s.urgent, recorded),
    },
  };
}

async function countStep(deps: ScanLapsesDeps, s: ScanState, pages: CoveragePages): Promise<ScanState> {
  const rateOf = rateOfTable(deps.rates);
  const page = await pages.page(s.pool, s.token, deps.pageSize);
  const active = [];
  for (const r of page.records) {
    const before = stateBefore(r, s.context.coming, monthsBetween);
    if (before.status === 'ACTIVE')
      active.push({ unpaidStreak: before.unpaidStreak, paidThrough: before.paidThrough, tier: r.tier });
  }
  const groups = addToGroups(s.groups, active);
  const scanned = s.workersScanned + page.records.length;
  if (page.next !== undefined) return { ...s, token: page.next, groups, workersScanned: scanned };
  const { coming, moneyForComing, runwayAlertMonths } = s.context;
  const line = fundingLine(groups, moneyForComing, (tier) => rateOf(tier, coming));
  const forecast = projectOutlook(s.context, groups, deps.rates);
  const runway =
    line.active > 0 && forecast.runwayMonths < runwayAlertMonths
      ? [runwayLowAlert(s.pool, coming, forecast.runwayMonths, runwayAlertMonths, forecast.months)]
      : [];
  const { token: _, ...rest } = s;
  return {
    ...rest,
    phase: 'ALERT',
    groups,
    line,
    boundaryLeft: line.boundaryBudget,
    poolAlerts: [...s.poolAlerts, ...runway],
    workersScanned: scanned,
  };
}

async function alertStep(
  deps: ScanLapsesDeps,
  s: ScanState,
  { pages, parts }: Invocation,
): Promise<{ next: ScanState; fresh: number }> {
  const rateOf = rateOfTable(deps.rates);
  const page = await pages.page(s.pool, s.token, deps.pageSize);
  const { lastRun, coming, daysUntilDue } = s.context;
  const line = s.line;
  let left = s.boundaryLeft;
  const found: Alert[] = [];
  for (const r of page.records) {
    const outcome = lastRun === undefined ? undefined : runOutcomeAlert(s.pool, r, lastRun);
    if (outcome) found.push(outcome);
    if (!line || line.allFunded) continue;
    const before = stateBefore(r, coming, monthsBetween);
    if (before.status !== 'ACTIVE') continue;
    const key = groupKey(before);
    let funded = key < line.boundaryKey;
    if (key === line.boundaryKey && left >= rateOf(r.tier, coming)) {
      left -= rateOf(r.tier, coming);
      funded = true;
    }
    if (!funded) found.push(atRiskAlert(s.pool, r.nik, r.tier, before, coming, daysUntilDue));
  }
  const { next, fresh } = await tally(deps, { ...s, boundaryLeft: left }, found, parts);
  if (page.next !== undefined) return { next: { ...next, token: page.next }, fresh };
  const { token: _, ...rest } = next;
  return { next: { ...rest, phase: 'FINAL' }, fresh };
}

async function finalStep(
  deps: ScanLapsesDeps,
  s: ScanState,
  { parts: held, yesterday: yesterdayRead }: Invocation,
): Promise<{ next: ScanState; fresh: number }> {
  const { next, fresh } = await tally(deps, s, s.poolAlerts, held);
  const csvKey = alertsCsvKey(s.pool, s.date);
  const parts = Array.from({ length: next.parts }, (_, i) => partKey(s.pool, s.date, i));
  await deps.objects.putStream(
    deps.reportsBucket,
    csvKey,
    (async function* () {
      yield CSV_BOM + csvLine(CSV_HEADER);
      for (const key of parts) yield await held.text(key);
    })(),
    CSV_TYPE,
  );
  held.clear();
  const yesterdayState = await yesterdayRead;
  const yesterday = yesterdayState?.phase === 'DONE' ? openByKind(yesterdayState.counts) : undefined;
  if (!digestDue(next.counts, yesterday))
    return { next: { ...next, csvKey, phase: 'DONE', digest: 'NOTHING_NEW' }, fresh };
  const names = new Map<string, string>();
  for (const a of next.urgent) {
    if (a.subjectType !== 'WORKER' || !deps.workers) continue;
    const w = await deps.workers.getEnrollment(s.pool, a.subject);
    if (w) names.set(a.id, digestName(w.name));
  }
  const message = composeDigest({
    pool: s.pool,
    date: s.date,
    counts: next.counts,
    ...(yesterday ? { yesterday } : {}),
    urgent: next.urgent,
    names,
    severity: next.critical > 0 ? 'CRITICAL' : digestSeverity(next.urgent),
    csvUri: `s3://${deps.reportsBucket}/${csvKey}`,
  });
  return { next: { ...next, csvKey, phase: 'DIGEST', message }, fresh };
}

/** Publishes once: the DIGEST phase is committed by exactly one invocation (conditional commit). */
async function digestStep(
  deps: ScanLapsesDeps,
  s: ScanState,
): Promise<{ next: ScanState; published?: string }> {
  const existing = await deps.digests.get(s.pool, s.date);
  if (existing || !s.message || !s.csvKey) return { next: { ...s, phase: 'DONE', digest: 'SENT' } };
  const messageId = await deps.publisher.publish(s.message);
  await deps.digests.record({
    pool: s.pool,
    date: s.date,
    messageId,
    csvKey: s.csvKey,
    counts: s.counts,
    sentAt: deps.clock.now().toISOString(),
  });
  return { next: { ...s, phase: 'DONE', digest: 'SENT' }, published: messageId };
}

export async function runStep(
  deps: ScanLapsesDeps,
  s: ScanState,
  inv: Invocation,
): Promise<{ next: ScanState; fresh: number; published?: string }> {
  if (s.phase === 'COUNT') return { next: await countStep(deps, s, inv.pages), fresh: 0 };
  if (s.phase === 'ALERT') return alertStep(deps, s, inv);
  if (s.phase === 'FINAL') return finalStep(deps, s, inv);
  return { ...(await digestStep(deps, s)), fresh: 0 };
}
