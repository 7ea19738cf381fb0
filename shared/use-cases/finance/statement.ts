import { corrections } from '#domain/corrections.ts';
import { NotFoundError } from '#domain/errors.ts';
import type { DonorStatement, StatementCorrection, StatementLine } from '#domain/finance-answers.ts';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import { addMonths, periodOf } from '#domain/period.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { DeductionRow } from '#domain/ports/finance.ts';
import { hundredthsToDecimal } from '#domain/statements.ts';
import type { FinanceDeps } from './deps.ts';
import { type MonthShares, monthShares } from './shares.ts';

/** Month apportionments shared by several statements of one request (each is a full read of the month). */
export type SharesCache = Map<string, Promise<MonthShares>>;

/**
 * The reference definition of a donor statement (DESIGN §7 in the spec; the rule in statements.ts): per
 * pool and payroll period, the donor's committed deductions and corrections and its share of that
 * month's payroll-funded allocations, apportioned live from every row of the pool. Reads the whole pool:
 * kept as the oracle the stored shares are tested against, and for months without stored shares.
 */
export async function wholePoolStatement(
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
  for (const [pool, agencies] of [...byPool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const runs = await deps.allocations.listRuns(pool);
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
      const mineRows: DeductionRow[] = [];
      for (const agency of [...agencies].sort()) {
        let any = false;
        for await (const page of deps.ledger.deductionRows(pool, period, agency, nip)) {
          for (const row of page) {
            if (row.nip !== nip || !committed.has(row.chunkId)) continue;
            any = true;
            mineRows.push(row);
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
        ...correctionsOf(mineRows, runs),
      });
    }
  }
  return withTotals(nip, lines);
}

/**
 * The donor's committed rows of a period that are corrections (docs/one-truth.md), with the run that
 * counted each; `{}` when there are none, so a line without corrections keeps its shape.
 */
export function correctionsOf(
  rows: readonly DeductionRow[],
  runs: readonly RunRecord[],
): { corrections?: StatementCorrection[] } {
  const found = corrections(
    rows.map((r) => ({
      period: r.period,
      agency: r.agency,
      kind: r.kind,
      amount: r.amount,
      recordedAt: r.recordedAt,
    })),
    runs,
  ).map((c) => ({
    amount: c.amount,
    recordedAt: c.recordedAt,
    ...(c.countedIn === undefined ? {} : { countedIn: c.countedIn }),
  }));
  return found.length === 0 ? {} : { corrections: found };
}

/** The donor's committed rows of one period, per agency (one Query each, and one BatchGet of chunks). */
async function committedDonorRows(
  deps: FinanceDeps,
  q: { pool: PoolCode; period: Period; nip: string; agencies: readonly AgencyCode[] },
): Promise<DeductionRow[]> {
  const out: DeductionRow[] = [];
  for (const agency of q.agencies) {
    const rows: DeductionRow[] = [];
    for await (const page of deps.ledger.deductionRows(q.pool, q.period, agency, q.nip))
      rows.push(...page.filter((r) => r.nip === q.nip));
    if (rows.length === 0) continue;
    const committed = await deps.ledger.committedChunks(
      q.pool,
      q.period,
      agency,
      rows.map((r) => r.chunkId),
    );
    out.push(...rows.filter((r) => committed.has(r.chunkId)));
  }
  return out;
}

const sumKind = (rows: readonly DeductionRow[], kind: DeductionRow['kind']) =>
  rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.amount, 0);

const withTotals = (nip: string, lines: StatementLine[]): DonorStatement => ({
  nip,
  lines,
  totals: {
    net: lines.reduce((s, l) => s + l.net, 0),
    rupiah: lines.reduce((s, l) => s + l.rupiah, 0),
    workerMonths: hundredthsToDecimal(
      lines.reduce((s, l) => s + Math.round(Number(l.workerMonths) * 100), 0),
    ),
  },
});

/**
 * What a donor (NIP) gave and what it funded, read from the month shares stored at each run's end
 * (docs/finance-queries.md): one Query for the donor's pools (DONOR#<nip>), one for its stored lines
 * (DSHARE#<nip>), and per pool one Query of the apportioned months and one of the runs. Months not
 * apportioned yet are read live for this donor only: its rows of each such period (one Query per agency)
 * and, if it has any, the period's chunk summaries for the pool's net payroll (PENDING lines). A month
 * whose run exists but whose shares are not stored (run in progress, or apportioned before shares were
 * stored) falls back to the whole-pool reference, which reads the pool's month. Raises NotFoundError
 * (DONOR_UNKNOWN) for a NIP the ledger has never seen.
 */
export async function donorStatement(
  deps: FinanceDeps,
  nip: string,
  cache: SharesCache = new Map(),
): Promise<DonorStatement> {
  const shares = deps.shares;
  if (shares === undefined) return wholePoolStatement(deps, nip, cache);
  const [memberships, stored] = await Promise.all([
    deps.ledger.donorMemberships(nip),
    shares.donorLines(nip),
  ]);
  if (memberships.length === 0)
    throw new NotFoundError('no deductions are recorded for this NIP', { code: 'DONOR_UNKNOWN' });
  const current = periodOf(deps.clock.now());
  const byPool = new Map<PoolCode, { agencies: Set<AgencyCode>; from: Period }>();
  for (const m of memberships) {
    const p = byPool.get(m.pool) ?? { agencies: new Set<AgencyCode>(), from: current };
    p.agencies.add(m.agency);
    if (m.firstPeriod !== undefined && m.firstPeriod < p.from) p.from = m.firstPeriod;
    byPool.set(m.pool, p);
  }
  const lines: StatementLine[] = [];
  for (const [pool, { agencies, from }] of [...byPool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [heads, runs] = await Promise.all([shares.monthHeads(pool), deps.allocations.listRuns(pool)]);
    const sortedAgencies = [...agencies].sort();
    const headOf = new Map(heads.map((h) => [h.period, h]));
    const ran = new Set(runs.map((r) => r.month));
    const mine = new Map(stored.filter((l) => l.pool === pool).map((l) => [l.period, l]));
    const start = heads[0] !== undefined && heads[0].period < from ? heads[0].period : from;
    const periods = new Set<Period>([...mine.keys()].filter((p) => headOf.has(p)));
    // Up to next month: a treasurer may send the coming month's file before it starts.
    const last = addMonths(current, 1);
    // Every month since the donor's first, apportioned or not: a late file can bring the donor into a
    // month apportioned without it.
    for (let p = start; p <= last; p = addMonths(p, 1)) periods.add(p);
    for (const period of [...periods].sort()) {
      const head = headOf.get(period);
      const line = mine.get(period);
      if (head !== undefined) {
        // What the ledger holds now (a correction recorded after the month was apportioned included);
        // the rupiah and worker-months stay those apportioned until the month is apportioned again.
        const rows = await committedDonorRows(deps, { pool, period, nip, agencies: sortedAgencies });
        if (line === undefined && rows.length === 0) continue;
        const deducted = sumKind(rows, 'DEDUCTION');
        const corrected = sumKind(rows, 'CORRECTION');
        lines.push({
          pool,
          period,
          agencies: [...new Set(rows.map((r) => r.agency))].sort(),
          deducted,
          corrected,
          net: deducted + corrected,
          poolNetPayroll: head.funding.netPayroll,
          poolAllocated: head.funding.allocated,
          poolPayrollFunded: head.funding.payrollFunded,
          rupiah: line?.rupiah ?? 0,
          workerMonths: hundredthsToDecimal(line?.workerMonths100 ?? 0),
          status: 'ALLOCATED',
          ...(line === undefined || line.earmarks.length === 0 ? {} : { earmarks: line.earmarks }),
          ...correctionsOf(rows, runs),
        });
        continue;
      }
      const live = await liveLine(deps, { pool, period, nip, agencies: sortedAgencies, ran, runs, cache });
      if (live !== undefined) lines.push(live);
    }
  }
  return withTotals(nip, lines);
}

/** A line of a month without stored shares: the donor's own rows, then the month's pool figures. */
async function liveLine(
  deps: FinanceDeps,
  q: {
    pool: PoolCode;
    period: Period;
    nip: string;
    agencies: readonly AgencyCode[];
    ran: ReadonlySet<Period>;
    runs: readonly RunRecord[];
    cache: SharesCache;
  },
): Promise<StatementLine | undefined> {
  const rows = await committedDonorRows(deps, q);
  if (rows.length === 0) return undefined;
  const deducted = sumKind(rows, 'DEDUCTION');
  const corrected = sumKind(rows, 'CORRECTION');
  const base = {
    pool: q.pool,
    period: q.period,
    agencies: [...new Set(rows.map((r) => r.agency))].sort(),
    deducted,
    corrected,
    net: deducted + corrected,
    ...correctionsOf(rows, q.runs),
  };
  if (q.ran.has(q.period)) {
    // Run under way, or apportioned before shares were stored: the whole-pool reference for this month.
    const key = `${q.pool}|${q.period}`;
    const cached = q.cache.get(key) ?? monthShares(deps, q.pool, q.period);
    q.cache.set(key, cached);
    const month = await cached;
    const share = month.donors.get(q.nip);
    return {
      ...base,
      poolNetPayroll: month.funding.netPayroll,
      poolAllocated: month.funding.allocated,
      poolPayrollFunded: month.funding.payrollFunded,
      rupiah: share?.rupiah ?? 0,
      workerMonths: hundredthsToDecimal(share?.workerMonths100 ?? 0),
      status: month.allocatedYet ? 'ALLOCATED' : 'PENDING',
    };
  }
  const summaries = await deps.ledger.creditSummaries(q.pool, q.period);
  const poolNet = summaries.reduce((s, x) => s + (x.kind === 'GRANT' ? 0 : x.total), 0);
  return {
    ...base,
    poolNetPayroll: poolNet,
    poolAllocated: 0,
    poolPayrollFunded: 0,
    rupiah: 0,
    workerMonths: hundredthsToDecimal(0),
    status: 'PENDING',
  };
}
