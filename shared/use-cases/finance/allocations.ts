import { correctionLines, corrections, creditOfSummary } from '#domain/corrections.ts';
import { NotFoundError } from '#domain/errors.ts';
import type { AgencyShare } from '#domain/finance-answers.ts';
import type { AgencyCode, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { hundredthsToDecimal } from '#domain/statements.ts';
import { type FinanceDeps, requirePastOrCurrent, requirePool } from './deps.ts';
import { decodeToken, type Page, takePage } from './paging.ts';
import { monthShares } from './shares.ts';

export type PageRequest = { readonly limit: number; readonly next?: string };

/** The allocation log of a pool's month, in NIK order, one page per call. */
export async function allocationsByMonth(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period } & PageRequest,
): Promise<Page<AllocationEntry>> {
  await requirePool(deps, q.pool);
  requirePastOrCurrent(deps, q.month);
  const after = decodeToken(q.next)?.after;
  const pages = deps.allocations.allocationsFrom(q.pool, q.month, {
    ...(after === undefined ? {} : { after }),
    pageSize: q.limit + 1,
  });
  return takePage(
    pages,
    q.limit,
    () => true,
    (e) => ({ after: e.nik }),
  );
}

/** One run's allocations: the month's log filtered to the run (a re-run's entries are few). */
export async function allocationsByRun(
  deps: FinanceDeps,
  q: { pool: PoolCode; runId: string } & PageRequest,
): Promise<Page<AllocationEntry>> {
  await requirePool(deps, q.pool);
  const run = (await deps.allocations.listRuns(q.pool)).find((r) => r.runId === q.runId);
  if (run === undefined)
    throw new NotFoundError(`run ${q.runId} not found in pool ${q.pool}`, { code: 'RUN_UNKNOWN' });
  const after = decodeToken(q.next)?.after;
  const pages = deps.allocations.allocationsFrom(q.pool, run.month, {
    ...(after === undefined ? {} : { after }),
    pageSize: Math.max(q.limit + 1, 500),
  });
  return takePage(
    pages,
    q.limit,
    (e) => e.runId === q.runId,
    (e) => ({ after: e.nik }),
  );
}

/** Every month a worker was funded by the pool: one GetItem per month the pool ran (months from its runs). */
export async function allocationsByNik(
  deps: FinanceDeps,
  q: { pool: PoolCode; nik: string; month?: Period },
): Promise<Page<AllocationEntry>> {
  await requirePool(deps, q.pool);
  if (q.month !== undefined) requirePastOrCurrent(deps, q.month);
  const months = [...new Set((await deps.allocations.listRuns(q.pool)).map((r) => r.month))].filter(
    (m) => q.month === undefined || m === q.month,
  );
  const found = await Promise.all(months.map((m) => deps.allocations.allocationOf(q.pool, m, q.nik)));
  return { items: found.filter((e): e is AllocationEntry => e !== undefined) };
}

const agencyUnknown = (q: { pool: PoolCode; month: Period; agency: AgencyCode }) =>
  new NotFoundError(`agency ${q.agency} has no deductions in pool ${q.pool} for ${q.month}`, {
    code: 'AGENCY_UNKNOWN',
  });

/**
 * An agency's pro-rata share of a pool's month (rupiah and worker-months, largest remainder across the
 * month's agencies, so the agencies add up to the pool), plus the workers its donors earmarked. Reads the
 * stored agency line (one GetItem), the pool's month heads (one Query) and one GetItem per earmarked
 * worker funded; a month without stored shares is apportioned live (whole month). Raises NotFoundError
 * (POOL_UNKNOWN, AGENCY_UNKNOWN) and ValidationError (MONTH_IN_FUTURE).
 */
export async function allocationsByAgency(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period; agency: AgencyCode },
): Promise<AgencyShare> {
  await requirePool(deps, q.pool);
  requirePastOrCurrent(deps, q.month);
  const now = await agencyNow(deps, q);
  if (deps.shares !== undefined) {
    const [line, heads] = await Promise.all([
      deps.shares.agencyLine(q.pool, q.month, q.agency),
      deps.shares.monthHeads(q.pool),
    ]);
    const head = heads.find((h) => h.period === q.month);
    if (head !== undefined) {
      // An agency whose first rows of the month came after it was apportioned: its rows are shown (and
      // its corrections), its share is 0 until the month is apportioned again.
      if (line === undefined && !now.seen) throw agencyUnknown(q);
      // A late file's earmark was funded in the month of the run that counted its money.
      const funded = (line?.earmarks ?? [])
        .filter((e) => e.funded)
        .map((e) => `${e.month ?? q.month}|${e.nik}`);
      const entries = await Promise.all(
        [...new Set(funded)].map((k) => {
          const [month = q.month, nik = ''] = k.split('|');
          return deps.allocations.allocationOf(q.pool, month, nik);
        }),
      );
      return {
        pool: q.pool,
        month: q.month,
        agency: q.agency,
        donors: line?.donors ?? 0,
        netDeduction: now.net,
        poolNetPayroll: now.poolNet,
        funding: head.funding,
        rupiah: line?.rupiah ?? 0,
        workerMonths: hundredthsToDecimal(line?.workerMonths100 ?? 0),
        earmarked: entries.filter((e): e is AllocationEntry => e !== undefined && e.priority === 'EARMARK'),
        corrections: now.corrections,
      };
    }
  }
  const shares = await monthShares(deps, q.pool, q.month);
  const mine = shares.agencies.get(q.agency);
  if (mine === undefined) throw agencyUnknown(q);
  const { funding } = shares;
  const months100 = mine.workerMonths100;
  const marks = (await deps.credits.earmarks(q.pool, q.month)).filter((e) => e.agency === q.agency);
  const earmarked = (
    await Promise.all(
      [...new Set(marks.map((m) => m.nik))].map((nik) => deps.allocations.allocationOf(q.pool, q.month, nik)),
    )
  ).filter((e): e is AllocationEntry => e !== undefined && e.priority === 'EARMARK');
  return {
    pool: q.pool,
    month: q.month,
    agency: q.agency,
    donors: mine.donors,
    netDeduction: mine.net,
    poolNetPayroll: funding.netPayroll,
    funding,
    rupiah: mine.rupiah,
    workerMonths: hundredthsToDecimal(months100),
    earmarked,
    corrections: now.corrections,
  };
}

/**
 * The agency's month as the ledger holds it now, from the pool's credit summaries and runs: its net
 * and the pool's net payroll of the month (a correction recorded after the month was apportioned
 * included; the rupiah and worker-months stay those apportioned until the month is apportioned again),
 * and its corrections (docs/one-truth.md).
 */
async function agencyNow(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period; agency: AgencyCode },
): Promise<{ net: Rupiah; poolNet: Rupiah; seen: boolean; corrections: AgencyShare['corrections'] }> {
  const [summaries, runs] = await Promise.all([
    deps.ledger.creditSummaries(q.pool),
    deps.allocations.listRuns(q.pool),
  ]);
  const payroll = summaries.filter((s) => s.kind !== 'GRANT' && s.period === q.month);
  const mine = corrections(summaries.map(creditOfSummary), runs).filter((c) => c.agency === q.agency);
  return {
    seen: payroll.some((x) => x.kind !== 'GRANT' && x.agency === q.agency),
    net: payroll.reduce((s, x) => s + (x.kind !== 'GRANT' && x.agency === q.agency ? x.total : 0), 0),
    poolNet: payroll.reduce((s, x) => s + (x.kind !== 'GRANT' ? x.total : 0), 0),
    corrections: {
      countedHere: correctionLines(mine.filter((c) => c.countedIn?.month === q.month)),
      ofThisMonth: correctionLines(mine.filter((c) => c.period === q.month)),
    },
  };
}
