import { randomUUID } from 'node:crypto';
import { emptyCounts } from '#domain/alerts.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { addDays } from '#domain/period.ts';
import type { ScanState } from '#domain/ports/alerts/scan-state-store.ts';
import { poolOutlook } from '#shared/use-cases/forecast-pool.ts';
import { pageMemo } from './coverage-page-memo.ts';
import type { ScanLapsesDeps, ScanStep } from './scan-lapses-deps.ts';
import { partBuffer } from './scan-part-buffer.ts';
import { CSV_TYPE, type Invocation, runStep } from './scan-steps.ts';

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
 * for one pool+date (a doubled fan-out) meet at their commit; the loser stops (having rewritten the
 * same CSV from the same reads). A commit whose answer was lost (applied, then refused on the SDK's
 * retry) is known by the invocation's writer id in the state, and the scan goes on. The digest text
 * is committed in the scan state before it is published (the state is the outbox), so a retry
 * publishes the same message. The one window left: the process dies after SNS accepted the digest and
 * before the DIGEST item is written; the retry then publishes it again. Only that put sits between
 * the two, and the repeat carries the same `digestId`
 * (attribute and body line, alert-digest.ts), so a receiver can tell it is a repeat.
 */

const previousDate = (date: IsoDate): IsoDate => addDays(date, -1);

/** A read started ahead of need: awaiting it still throws, leaving it unawaited does not crash the process. */
const handled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => {});
  return p;
};

/**
 * The state of pool+date before any step (its steps are in scan-steps.ts): the pool's outlook and the
 * pool alerts known at the start of the day.
 */
async function initial(deps: ScanLapsesDeps, pool: PoolCode, date: IsoDate): Promise<ScanState> {
  // The pool's runs are read once, for the outlook and for the unconfirmed payments.
  const runs = handled(deps.log.listRuns(pool));
  const [outlook, unconfirmed] = await Promise.all([
    poolOutlook({ ...deps, log: { listRuns: () => runs } }, pool, date),
    deps.paymentUnconfirmed?.(pool, date, { runs }),
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

/**
 * Commits `next` over the state last committed (`committed`: its step, or undefined when pool+date has
 * no state yet): a create, or an advance conditional on that step. False when another chain was first.
 */
async function save(deps: ScanLapsesDeps, committed: number | undefined, next: ScanState): Promise<boolean> {
  if (committed === undefined) return (await deps.states.create({ ...next, step: 0 })) === 'CREATED';
  return (await deps.states.advance({ ...next, step: committed + 1 }, committed)) === 'COMMITTED';
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
    // Yesterday's state (for FINAL's digest) is read beside today's.
    const yesterday = handled(deps.states.get(input.pool, previousDate(input.date)));
    const stored = await deps.states.get(input.pool, input.date);
    if (stored?.phase === 'DONE') return { state: stored, outcome: 'ALREADY_DONE', newAlerts: 0 };
    let s = stored ?? (await initial(deps, input.pool, input.date));
    let committed = stored?.step;
    let dirty = false;
    const writer = randomUUID();
    const pages = pageMemo(deps.coverage);
    const parts = partBuffer(deps.objects, deps.reportsBucket, CSV_TYPE);
    const inv: Invocation = { pages, parts, yesterday };
    let fresh = 0;
    let published: string | undefined;
    const commit = async (): Promise<boolean> => {
      // Parts not yet read into the day's CSV go to S3 first: a later invocation's FINAL reads them.
      await parts.flush();
      const step = committed === undefined ? 0 : committed + 1;
      if (!(await save(deps, committed, { ...s, writer }))) {
        // Lost to another chain, or the answer to our own write was lost and its retry found it done.
        const now = await deps.states.get(input.pool, input.date);
        if (now?.writer !== writer || now.step !== step) return false;
      }
      s = { ...s, writer, step };
      committed = s.step;
      dirty = false;
      return true;
    };
    // The chain that committed reports the alerts; this one found its work done by another.
    const lost = (): ScanStep => ({
      state: stored ?? s,
      outcome: 'ALREADY_DONE',
      newAlerts: 0,
      ...(published ? { published } : {}),
    });
    while (s.phase !== 'DONE') {
      const readsCoverage = s.phase === 'COUNT' || s.phase === 'ALERT';
      if (readsCoverage && pages.reads() > 0 && !pages.holds(s.pool, s.token, deps.pageSize)) break;
      // The digest text is committed before it is published: the scan state is its outbox.
      if (s.phase === 'DIGEST' && dirty && !(await commit())) return lost();
      const stepped = await runStep(deps, s, inv);
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
