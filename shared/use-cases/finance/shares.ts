import type { AgencyCode, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import {
  type DonorShare,
  donorShares,
  largestRemainder,
  type MonthFunding,
  monthFunding,
} from '#domain/statements.ts';
import type { FinanceDeps } from './deps.ts';

/** A pool's coverage month seen from the donors' side (see statements.ts for the attribution rule). */
export type MonthShares = {
  readonly pool: PoolCode;
  readonly funding: MonthFunding;
  /** Runs of the month exist (else nothing was allocated yet). */
  readonly allocatedYet: boolean;
  /** Per donor NIP, across the pool's agencies. */
  readonly donors: ReadonlyMap<string, DonorShare & { readonly agencies: readonly AgencyCode[] }>;
  /** Per agency: its donors' net deductions and its share of payrollFunded (largest remainder too). */
  readonly agencies: ReadonlyMap<
    AgencyCode,
    {
      readonly net: Rupiah;
      readonly rupiah: Rupiah;
      readonly workerMonths100: number;
      readonly donors: number;
    }
  >;
};

export const monthTotals = (runs: readonly RunRecord[], month: Period) => {
  const ofMonth = runs.filter((r) => r.month === month);
  return {
    runs: ofMonth,
    allocated: ofMonth.reduce((s, r) => s + r.cursor.allocated, 0),
    funded: ofMonth.reduce((s, r) => s + r.cursor.funded, 0),
  };
};

/**
 * Reads the committed deduction rows of period M of every agency of the pool (one Query per agency,
 * page by page) and apportions the month. Holds one number per donor (~100k for a province: a few MB);
 * the largest remainder needs every donor's remainder to give each exactly the right rupiah.
 */
export async function monthShares(deps: FinanceDeps, pool: PoolCode, month: Period): Promise<MonthShares> {
  const [runs, summaries] = await Promise.all([
    deps.allocations.listRuns(pool),
    deps.ledger.creditSummaries(pool, month),
  ]);
  const totals = monthTotals(runs, month);
  const committed = new Set<string>();
  const agencyCodes = new Set<AgencyCode>();
  let netPayroll = 0;
  for (const s of summaries) {
    if (s.kind === 'GRANT') continue;
    committed.add(s.chunkId);
    agencyCodes.add(s.agency);
    netPayroll += s.total;
  }
  const nets = new Map<string, { net: Rupiah; agencies: Set<AgencyCode> }>();
  const agencyNets = new Map<AgencyCode, { net: Rupiah; donors: Set<string> }>();
  for (const agency of [...agencyCodes].sort()) {
    const a = { net: 0, donors: new Set<string>() };
    agencyNets.set(agency, a);
    for await (const page of deps.ledger.deductionRows(pool, month, agency)) {
      for (const row of page) {
        // A row counts only once its chunk's summary (the commit marker) exists.
        if (!committed.has(row.chunkId)) continue;
        const d = nets.get(row.nip) ?? { net: 0, agencies: new Set<AgencyCode>() };
        d.net += row.amount;
        d.agencies.add(agency);
        nets.set(row.nip, d);
        a.net += row.amount;
        a.donors.add(row.nip);
      }
    }
  }
  const funding = monthFunding({ month, allocated: totals.allocated, funded: totals.funded, netPayroll });
  const shares = donorShares(
    funding,
    [...nets].map(([key, v]) => ({ key, net: v.net })),
  );
  const agencyWeights = [...agencyNets].map(([key, v]) => ({ key, weight: Math.max(0, v.net) }));
  const agencyRupiah = largestRemainder(funding.payrollFunded, agencyWeights);
  // Largest remainder here too, so the agencies' worker-months add up to the pool's.
  const agencyMonths = largestRemainder(funding.payrollWorkerMonths100, agencyWeights);
  return {
    pool,
    funding,
    allocatedYet: totals.runs.length > 0,
    donors: new Map(shares.map((s) => [s.key, { ...s, agencies: [...(nets.get(s.key)?.agencies ?? [])] }])),
    agencies: new Map(
      [...agencyNets].map(([k, v]) => [
        k,
        {
          net: v.net,
          rupiah: agencyRupiah.get(k) ?? 0,
          workerMonths100: agencyMonths.get(k) ?? 0,
          donors: v.donors.size,
        },
      ]),
    ),
  };
}
