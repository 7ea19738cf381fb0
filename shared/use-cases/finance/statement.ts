import { NotFoundError } from '#domain/errors.ts';
import type { AgencyCode, Period, PoolCode, Rupiah } from '#domain/model.ts';
import { hundredthsToDecimal } from '#domain/statements.ts';
import type { FinanceDeps } from './deps.ts';
import { type MonthShares, monthShares } from './shares.ts';

/** Month apportionments shared by several statements of one request (each is a full read of the month). */
export type SharesCache = Map<string, Promise<MonthShares>>;

export type StatementLine = {
  readonly pool: PoolCode;
  readonly period: Period;
  readonly agencies: readonly AgencyCode[];
  /** Σ of the donor's DEDUCTION rows of the period. */
  readonly deducted: Rupiah;
  /** Σ of the donor's CORRECTION rows (signed) of the period. */
  readonly corrected: Rupiah;
  readonly net: Rupiah;
  readonly poolNetPayroll: Rupiah;
  readonly poolAllocated: Rupiah;
  readonly poolPayrollFunded: Rupiah;
  /** The donor's pro-rata part of the payroll-funded allocations of coverage month = period. */
  readonly rupiah: Rupiah;
  readonly workerMonths: string;
  /** PENDING: coverage month not allocated yet (nothing funded by it so far). */
  readonly status: 'ALLOCATED' | 'PENDING';
};

export type DonorStatement = {
  readonly nip: string;
  readonly lines: readonly StatementLine[];
  readonly totals: { readonly net: Rupiah; readonly rupiah: Rupiah; readonly workerMonths: string };
};

/**
 * What a donor (NIP) gave and what it funded: per pool and payroll period, the deductions and
 * corrections of the ledger (committed chunks only) and the donor's share of that month's
 * payroll-funded allocations (statements.ts explains the rule and how grants are kept apart).
 */
export async function donorStatement(
  deps: FinanceDeps,
  nip: string,
  cache: SharesCache = new Map(),
): Promise<DonorStatement> {
  const memberships = await deps.ledger.donorMemberships(nip);
  if (memberships.length === 0)
    throw new NotFoundError('no deductions are recorded for this NIP', { code: 'DONOR_UNKNOWN' });
  const byPool = new Map<PoolCode, Set<AgencyCode>>();
  for (const m of memberships) byPool.set(m.pool, (byPool.get(m.pool) ?? new Set()).add(m.agency));

  const lines: StatementLine[] = [];
  let months100 = 0;
  for (const [pool, agencies] of [...byPool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const summaries = await deps.ledger.creditSummaries(pool);
    const committed = new Set<string>();
    const periods = new Set<Period>();
    for (const s of summaries) {
      if (s.kind === 'GRANT' || !agencies.has(s.agency)) continue;
      committed.add(s.chunkId);
      periods.add(s.period);
    }
    for (const period of [...periods].sort()) {
      let deducted = 0;
      let corrected = 0;
      const seenIn: AgencyCode[] = [];
      for (const agency of [...agencies].sort()) {
        let any = false;
        for await (const page of deps.ledger.deductionRows(pool, period, agency, nip)) {
          for (const row of page) {
            if (row.nip !== nip || !committed.has(row.chunkId)) continue;
            any = true;
            if (row.kind === 'DEDUCTION') deducted += row.amount;
            else corrected += row.amount;
          }
        }
        if (any) seenIn.push(agency);
      }
      if (seenIn.length === 0) continue;
      const key = `${pool}|${period}`;
      const cached = cache.get(key) ?? monthShares(deps, pool, period);
      cache.set(key, cached);
      const shares = await cached;
      const mine = shares.donors.get(nip);
      months100 += mine?.workerMonths100 ?? 0;
      lines.push({
        pool,
        period,
        agencies: seenIn,
        deducted,
        corrected,
        net: deducted + corrected,
        poolNetPayroll: shares.funding.netPayroll,
        poolAllocated: shares.funding.allocated,
        poolPayrollFunded: shares.funding.payrollFunded,
        rupiah: mine?.rupiah ?? 0,
        workerMonths: hundredthsToDecimal(mine?.workerMonths100 ?? 0),
        status: shares.allocatedYet ? 'ALLOCATED' : 'PENDING',
      });
    }
  }
  return {
    nip,
    lines,
    totals: {
      net: lines.reduce((s, l) => s + l.net, 0),
      rupiah: lines.reduce((s, l) => s + l.rupiah, 0),
      workerMonths: hundredthsToDecimal(months100),
    },
  };
}
