import { composeDigest, digestDue, digestName, openByKind } from '#domain/alert-digest.ts';
import {
  type Alert,
  addCounts,
  atRiskAlert,
  CSV_HEADER,
  csvRow,
  digestSeverity,
  emptyCounts,
  mergeUrgent,
  type RecordedAlert,
  runOutcomeAlert,
  runwayLowAlert,
} from '#domain/alerts.ts';
import { stateBefore } from '#domain/coverage.ts';
import { addToGroups, fundingLine, groupKey } from '#domain/forecast.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { addDays, monthsBetween } from '#domain/period.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';
import type { ScanState } from '#domain/ports/alerts/scan-state-store.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import { poolOutlook, projectOutlook, rateOfTable } from '#shared/use-cases/forecast-pool.ts';
import { pageMemo } from './coverage-page-memo.ts';
import type { ScanLapsesDeps, ScanStep } from './scan-lapses-deps.ts';
import { type PartBuffer, partBuffer } from './scan-part-buffer.ts';

export type { ScanLapsesDeps, ScanStep } from './scan-lapses-deps.ts';

/**
 * scanLapses: the daily lapse scan of one pool for one Jakarta date (docs/design.md#alerts), chunked: a call
 * reads at most one page of coverage records (steps that need no new page follow in the same call).
 *
 * Two passes over the pool's coverage records, a page per call, with the page token and everything
 * counted so far in a scan-state item keyed pool+date, moved by a conditional write on `step`:
 *  1. COUNT: active workers before the coming run, by policy key, which gives the funding line of the
 *     forecast (balance + credits still expected for the coming month);
 *  2. ALERT: UNFUNDED/LAPSED from the latest completed run, AT_RISK below the funding line; each alert
 *     recorded once in the alert log (deterministic id) and written to a CSV part;
 *  3. FINAL: pool alerts (ALLOCATION_STALLED/LATE, FILE_MISSING, RUNWAY_LOW), the full CSV, the digest text;
 *  4. DIGEST: publish, then record the digest (conditional, pool+date).
 * An invocation commits once, when it ends (and before it publishes: see below), so a small pool's
 * whole day is one conditional write. A crash anywhere redoes the invocation's steps from the last
 * committed state, which yields the same alerts (already in the log: counted as new again when first
 * seen today) and overwrites the same CSV parts, so nothing is counted or announced twice. Two chains
 * for one pool+date (a doubled fan-out) meet at their commit; the loser stops. The digest text is
 * committed in the scan state before it is published (the state is the outbox), so a retry publishes
 * the same message. The one window left: the
 * process dies after SNS accepted the digest and before the DIGEST item is written; the retry then
 * publishes it again. Only that put sits between the two, and the repeat carries the same `digestId`
 * (attribute and body line, alert-digest.ts), so a receiver can tell it is a repeat.
 */

export const alertsCsvKey = (pool: PoolCode, date: IsoDate): string => `reports/alerts/${pool}/${date}.csv`;
/** Parts of the day's list while the scan runs: working files under `work/`, which expires (resources.ts). */
const partKey = (pool: PoolCode, date: IsoDate, n: number): string =>
  `work/alerts/${pool}/${date}/part-${String(n).padStart(5, '0')}.csv`;
const CSV_TYPE = 'text/csv; charset=utf-8';

const previousDate = (date: IsoDate): IsoDate => addDays(date, -1);

/**
 * The scan's steps, each a function of the deps and the scan state: `initial` (the state of pool+date
 * before any step), then countStep, alertStep, finalStep and digestStep in phase order (runStep picks
 * one); `save` commits what an invocation reached by one conditional write.
 */
async function initial(deps: ScanLapsesDeps, pool: PoolCode, date: IsoDate): Promise<ScanState> {
  const [outlook, unconfirmed] = await Promise.all([
    poolOutlook(deps, pool, date),
    deps.paymentUnconfirmed?.(pool, date),
  ]);
  return {
    pool,
    date,
    step: 0,
    phase: 'COUNT',
    context: outlook.context,
    groups: [],
    boundaryLeft: 0,
    poolAlerts: [...outlook.runAlerts, ...outlook.fileAlerts, ...(unconfirmed ?? [])],
    counts: emptyCounts(),
    critical: 0,
    urgent: [],
    parts: 0,
    workersScanned: 0,
  };
}

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
  pages: CoveragePages,
  parts: PartBuffer,
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
  held: PartBuffer,
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
  const yesterdayState = await deps.states.get(s.pool, previousDate(s.date));
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

/**
 * Commits `next` over the state last committed (`committed`: its step, or undefined when pool+date has
 * no state yet): a create, or an advance conditional on that step. False when another chain was first.
 */
async function save(deps: ScanLapsesDeps, committed: number | undefined, next: ScanState): Promise<boolean> {
  if (committed === undefined) return (await deps.states.create({ ...next, step: 0 })) === 'CREATED';
  return (await deps.states.advance({ ...next, step: committed + 1 }, committed)) === 'COMMITTED';
}

async function runStep(
  deps: ScanLapsesDeps,
  s: ScanState,
  pages: CoveragePages,
  parts: PartBuffer,
): Promise<{ next: ScanState; fresh: number; published?: string }> {
  if (s.phase === 'COUNT') return { next: await countStep(deps, s, pages), fresh: 0 };
  if (s.phase === 'ALERT') return alertStep(deps, s, pages, parts);
  if (s.phase === 'FINAL') return finalStep(deps, s, parts);
  return { ...(await digestStep(deps, s)), fresh: 0 };
}

export function makeScanLapses(deps: ScanLapsesDeps) {
  /**
   * Runs the next steps of the scan of pool+date: starts it, continues it, or is a no-op when done.
   * An invocation goes on to the next step while it has read at most one page of coverage records (a
   * page it already holds costs nothing: a pool that fits in one page is counted and alerted from one
   * read), so a small pool's scan is one invocation and a large pool's is still one page per
   * invocation. What it reached is committed once at its end, and before the digest is published.
   */
  return async function scanLapses(input: { pool: PoolCode; date: IsoDate }): Promise<ScanStep> {
    const stored = await deps.states.get(input.pool, input.date);
    if (stored?.phase === 'DONE') return { state: stored, outcome: 'ALREADY_DONE', newAlerts: 0 };
    let s = stored ?? (await initial(deps, input.pool, input.date));
    let committed = stored?.step;
    let dirty = false;
    const pages = pageMemo(deps.coverage);
    const parts = partBuffer(deps.objects, deps.reportsBucket, CSV_TYPE);
    let fresh = 0;
    let published: string | undefined;
    const commit = async (): Promise<boolean> => {
      // Parts not yet read into the day's CSV go to S3 first: a later invocation's FINAL reads them.
      await parts.flush();
      if (!(await save(deps, committed, s))) return false;
      s = { ...s, step: committed === undefined ? 0 : committed + 1 };
      committed = s.step;
      dirty = false;
      return true;
    };
    const lost = (): ScanStep => ({
      state: stored ?? s,
      outcome: 'ALREADY_DONE',
      newAlerts: fresh,
      ...(published ? { published } : {}),
    });
    while (s.phase !== 'DONE') {
      const readsCoverage = s.phase === 'COUNT' || s.phase === 'ALERT';
      if (readsCoverage && pages.reads() > 0 && !pages.holds(s.pool, s.token, deps.pageSize)) break;
      // The digest text is committed before it is published: the scan state is its outbox.
      if (s.phase === 'DIGEST' && dirty && !(await commit())) return lost();
      const stepped = await runStep(deps, s, pages, parts);
      s = stepped.next;
      dirty = true;
      fresh += stepped.fresh;
      published ??= stepped.published;
    }
    if (dirty && !(await commit())) return lost();
    if (s.phase !== 'DONE') await deps.jobs.send({ kind: 'SCAN', pool: s.pool, date: s.date });
    return {
      state: s,
      outcome: s.phase === 'DONE' ? 'DONE' : 'CONTINUING',
      newAlerts: fresh,
      ...(published ? { published } : {}),
    };
  };
}

export type ScanLapses = ReturnType<typeof makeScanLapses>;
