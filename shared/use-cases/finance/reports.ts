import { type MonthCorrections, monthCorrections } from '#domain/corrections.ts';
import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { BillHeader } from '#domain/finance-answers.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { type AllocationEntry, monthStatus } from '#domain/ports/allocation/run-record.ts';
import { type RunStatusView, runStatusOf } from '#domain/run-status.ts';
import { balanceAsOf, type PoolBalance, type Reconciliation, reconcileMonth } from '#domain/statements.ts';
import { monthOutputKeys } from '#shared/use-cases/allocation/write-month-outputs.ts';
import type { PageRequest } from './allocations.ts';
import { exportKeys } from './apportion.ts';
import { poolCorrections } from './corrections.ts';
import { creditsAsOf } from './credit-closing.ts';
import { type FinanceDeps, requirePastOrCurrent, requirePool } from './deps.ts';
import { decodeToken, type Page, takePage } from './paging.ts';
import { monthTotals } from './shares.ts';

/** A month's reconciliation with the corrections its runs counted and those still pending. */
export type ReconciliationWithCorrections = Reconciliation & { readonly corrections: MonthCorrections };

/**
 * Reconciliation of a pool's coverage month, from its run records (balances to the rupiah), with the
 * corrections (docs/one-truth.md) its runs counted, each naming the period it corrects, and those
 * recorded since the pool's last run (counted in the next one). Reads the run records and the pool's
 * credit summaries. Raises NotFoundError (POOL_UNKNOWN, MONTH_NOT_ALLOCATED), ValidationError
 * (MONTH_IN_FUTURE).
 */
export async function reconciliation(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period },
): Promise<ReconciliationWithCorrections> {
  await requirePool(deps, q.pool);
  requirePastOrCurrent(deps, q.month);
  const runs = await deps.allocations.listRuns(q.pool);
  const found = reconcileMonth(runs, q.month);
  if (found === undefined) {
    throw new NotFoundError(`pool ${q.pool} has no allocation run for ${q.month}`, {
      code: 'MONTH_NOT_ALLOCATED',
    });
  }
  return { ...found, corrections: monthCorrections(await poolCorrections(deps, q.pool, runs), q.month) };
}

/**
 * The reconciliations of several months of a pool (the console's overview) from one read of its runs
 * and one of its credit summaries. Months without a run are left out.
 */
export async function reconciliations(
  deps: FinanceDeps,
  q: { pool: PoolCode; months: readonly Period[] },
): Promise<ReconciliationWithCorrections[]> {
  await requirePool(deps, q.pool);
  const runs = await deps.allocations.listRuns(q.pool);
  const all = await poolCorrections(deps, q.pool, runs);
  return q.months.flatMap((month) => {
    const found = reconcileMonth(runs, month);
    return found === undefined ? [] : [{ ...found, corrections: monthCorrections(all, month) }];
  });
}

/** The BPJS bill of a month: totals from the run records, lines page by page from the allocation log. */
export async function bill(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period } & PageRequest,
): Promise<BillHeader & { readonly page: Page<AllocationEntry> }> {
  const header = await billHeader(deps, q);
  const after = decodeToken(q.next)?.after;
  const pages = deps.allocations.allocationsFrom(q.pool, q.month, {
    ...(after === undefined ? {} : { after }),
    pageSize: q.limit + 1,
  });
  return {
    ...header,
    page: await takePage(
      pages,
      q.limit,
      () => true,
      (e) => ({ after: e.nik }),
    ),
  };
}

export async function billHeader(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period },
): Promise<BillHeader> {
  await requirePool(deps, q.pool);
  requirePastOrCurrent(deps, q.month);
  const totals = monthTotals(await deps.allocations.listRuns(q.pool), q.month);
  const status = monthStatus(totals.runs);
  return { pool: q.pool, month: q.month, status, workers: totals.funded, total: totals.allocated };
}

/** The pool as it stood at `asOf` (default now): credits recorded and runs completed by then. */
export async function poolBalance(
  deps: FinanceDeps,
  q: { pool: PoolCode; asOf?: Date },
): Promise<PoolBalance> {
  await requirePool(deps, q.pool);
  const now = deps.clock.now();
  const asOf = q.asOf ?? now;
  if (asOf.getTime() > now.getTime()) {
    throw new ValidationError('asOf is in the future: the history only reaches today', {
      code: 'DATE_IN_FUTURE',
    });
  }
  const [credits, runs] = await Promise.all([
    creditsAsOf(deps, q.pool, asOf),
    deps.allocations.listRuns(q.pool),
  ]);
  return balanceAsOf(credits, runs, asOf);
}

/**
 * The pool's runs one page at a time, oldest first, for the HTTP API: the cursor is the last run id
 * given (runs are never deleted or renumbered, so a page never shifts). Reads the pool's run records
 * (about 12 a year; docs/finance-queries.md).
 */
export async function runsPage(
  deps: FinanceDeps,
  q: { pool: PoolCode; month?: Period } & PageRequest,
): Promise<Page<RunStatusView>> {
  const all = await runs(deps, q);
  const after = decodeToken(q.next)?.after;
  async function* pages() {
    yield all.filter((r) => after === undefined || r.runId > after);
  }
  return takePage(
    pages(),
    q.limit,
    () => true,
    (r) => ({ after: r.runId }),
  );
}

/** The pool's allocation runs (of one month, or all), oldest first, as operators and finance see them. */
export async function runs(
  deps: FinanceDeps,
  q: { pool: PoolCode; month?: Period },
): Promise<RunStatusView[]> {
  await requirePool(deps, q.pool);
  const now = deps.clock.now();
  return (await deps.allocations.listRuns(q.pool))
    .filter((r) => q.month === undefined || r.month === q.month)
    .map((r) => runStatusOf(r, now));
}

export const EXPORT_KINDS = ['bill', 'allocations', 'shares'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export type ExportLink = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly kind: ExportKind;
  /** Presigned GET of the CSV in the reports bucket, valid until `expiresAt`. */
  readonly url: string;
  readonly expiresAt: string;
};

/**
 * A short-lived link to a month's file, written at the run's end (bill: write-month-outputs.ts;
 * allocation log and shares: apportion.ts): the file itself may be far over API Gateway's 6 MB.
 * One HeadObject and a local signature, whatever the file's size. Raises NotFoundError
 * (EXPORT_NOT_READY) when the month's file is not written yet, POOL_UNKNOWN, MONTH_IN_FUTURE.
 */
export async function exportLink(
  deps: FinanceDeps,
  q: { pool: PoolCode; month: Period; kind: ExportKind },
): Promise<ExportLink> {
  await requirePool(deps, q.pool);
  requirePastOrCurrent(deps, q.month);
  const key =
    q.kind === 'bill' ? monthOutputKeys(q.pool, q.month).billCsv : exportKeys(q.pool, q.month)[q.kind];
  const link = deps.exports === undefined ? undefined : await deps.exports.link(key);
  if (link === undefined) {
    throw new NotFoundError(`the ${q.kind} file of pool ${q.pool} for ${q.month} is not written yet`, {
      code: 'EXPORT_NOT_READY',
    });
  }
  return { pool: q.pool, month: q.month, kind: q.kind, ...link };
}
