import { earmarkMonth } from '#domain/late-earmarks.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import {
  apportionMonth,
  type MonthApportionment,
  MonthTally,
  type ShareBasis,
} from '#domain/month-shares.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { AllocationReader, LedgerReader } from '#domain/ports/finance.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import type { ShareStore } from '#domain/ports/shares.ts';
import { hundredthsToDecimal } from '#domain/statements.ts';
import { ALLOCATION_HEADER, allocationRow } from '#shared/csv/export.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import { monthTotals } from './shares.ts';

/**
 * apportionMonth: computes a pool's month shares once and stores them (docs/finance-queries.md). Called
 * at the end of the month's run (with the BPJS bill and reconciliation, see allocate-pool's
 * writeOutputs), after a re-run, and when the month's credits changed since (a late file or a correction:
 * the sweeper compares the stored basis). Reads the month whole -- every committed row of period M, one
 * Query per agency -- which is the one place that may; every finance query then reads only its answer.
 *
 * Idempotent: lines are overwritten by deterministic key and the head is written last, so a re-run, a
 * retried call or two racing calls leave the month's lines as the latest computation wrote them.
 * Also writes the month's exports to the reports bucket (shares and allocation log as CSV), which the
 * finance API hands out as presigned URLs instead of bodies.
 */

export type ApportionDeps = {
  readonly ledger: Pick<LedgerReader, 'creditSummaries' | 'deductionRows'>;
  readonly credits: Pick<CreditLedger, 'earmarks'>;
  readonly allocations: Pick<AllocationReader, 'listRuns' | 'allocationOf' | 'allocationsFrom'>;
  readonly store: ShareStore;
  readonly clock: Clock;
  /** Where the month's exports go; without it no files are written (unit tests). */
  readonly exports?: { readonly objects: ObjectStore; readonly bucket: string };
};

export const exportKeys = (pool: PoolCode, period: Period) => ({
  shares: `reports/shares/${pool}/${period}.csv`,
  allocations: `reports/allocations/${pool}/${period}.csv`,
});

/**
 * The basis of a month's shares as the ledger and runs stand now (one Query on the period's summaries),
 * with the runs it was read from; `runs` when the caller has just read them (the end of a run).
 */
export async function currentBasis(
  deps: Pick<ApportionDeps, 'ledger' | 'allocations'>,
  pool: PoolCode,
  period: Period,
  runs?: readonly RunRecord[],
): Promise<{
  basis: ShareBasis;
  committed: Set<string>;
  agencies: Set<string>;
  runs: readonly RunRecord[];
}> {
  const [summaries, poolRuns] = await Promise.all([
    deps.ledger.creditSummaries(pool, period),
    runs ?? deps.allocations.listRuns(pool),
  ]);
  const committed = new Set<string>();
  const agencies = new Set<string>();
  let netPayroll = 0;
  let lastRecordedAt = '';
  for (const s of summaries) {
    if (s.kind === 'GRANT') continue;
    committed.add(s.chunkId);
    agencies.add(s.agency);
    netPayroll += s.total;
    if (s.recordedAt > lastRecordedAt) lastRecordedAt = s.recordedAt;
  }
  const runCount = poolRuns.filter((r) => r.month === period).length;
  return {
    basis: { chunks: committed.size, netPayroll, lastRecordedAt, runs: runCount },
    committed,
    agencies,
    runs: poolRuns,
  };
}

export function makeApportionMonth(deps: ApportionDeps) {
  /** `runs`: the pool's runs when the caller has just read them (the end of a run), else read here. */
  return async function apportion(q: {
    pool: PoolCode;
    month: Period;
    runs?: readonly RunRecord[];
  }): Promise<MonthApportionment> {
    const { pool, month } = q;
    // Basis and totals from one read of the runs, so the stored basis names the runs the totals count.
    const { basis, committed, agencies, runs } = await currentBasis(deps, pool, month, q.runs);
    const totals = monthTotals(runs, month);
    const tally = new MonthTally();
    for (const agency of [...agencies].sort()) {
      for await (const page of deps.ledger.deductionRows(pool, month, agency)) {
        // A row counts only once its chunk's summary (the commit marker) exists.
        for (const row of page) if (committed.has(row.chunkId)) tally.add(row);
      }
    }
    const earmarks = (await deps.credits.earmarks(pool, month)).filter((e) => tally.donors.has(e.nip));
    // Which month's run honoured each earmark: M, or for a late file the run that counted its money.
    const honouredIn = new Map<string, Period | undefined>();
    for (const e of earmarks)
      honouredIn.set(`${e.nip}#${e.nik}`, earmarkMonth({ period: month, recordedAt: e.recordedAt }, runs));
    const names = new Map<string, string>();
    const lookups = [
      ...new Set(
        earmarks.flatMap((e) => {
          const m = honouredIn.get(`${e.nip}#${e.nik}`);
          return m === undefined ? [] : [`${m}|${e.nik}`];
        }),
      ),
    ];
    for (let i = 0; i < lookups.length; i += 16) {
      const found = await Promise.all(
        lookups.slice(i, i + 16).map((k) => {
          const [m = month, nik = ''] = k.split('|');
          return deps.allocations.allocationOf(pool, m, nik);
        }),
      );
      for (const e of found) if (e !== undefined) names.set(`${e.month}|${e.nik}`, e.name);
    }
    const fundedNiks = new Map<string, string>();
    const carried = new Map<string, { month: Period; name?: string } | 'PENDING'>();
    for (const e of earmarks) {
      const key = `${e.nip}#${e.nik}`;
      const m = honouredIn.get(key);
      const name = m === undefined ? undefined : names.get(`${m}|${e.nik}`);
      if (m === month) {
        if (name !== undefined) fundedNiks.set(e.nik, name);
      } else carried.set(key, m === undefined ? 'PENDING' : { month: m, ...(name ? { name } : {}) });
    }
    const shares = apportionMonth({
      pool,
      period: month,
      allocated: totals.allocated,
      funded: totals.funded,
      tally,
      earmarks,
      fundedNiks,
      carried,
      basis,
      computedAt: deps.clock.now().toISOString(),
    });
    const withExport = deps.exports ? await writeExports(deps, deps.exports, shares) : shares;
    await deps.store.putMonth(withExport);
    return withExport;
  };
}

async function writeExports(
  deps: ApportionDeps,
  target: NonNullable<ApportionDeps['exports']>,
  shares: MonthApportionment,
): Promise<MonthApportionment> {
  const { pool, period } = shares.head;
  const keys = exportKeys(pool, period);
  // Full NIPs: like the BPJS bill, this file is finance's audit record; the API hands it out presigned.
  async function* sharesCsv(): AsyncIterable<string> {
    yield CSV_BOM +
      csvLine([
        'jenis',
        'kode',
        'opd',
        'potongan',
        'koreksi',
        'neto',
        'bagian_rupiah',
        'bagian_pekerja_bulan',
      ]);
    for (const a of shares.agencies)
      yield csvLine([
        'OPD',
        a.agency,
        a.agency,
        '',
        '',
        a.net,
        a.rupiah,
        hundredthsToDecimal(a.workerMonths100),
      ]);
    for (const d of shares.donors)
      yield csvLine([
        'NIP',
        d.nip,
        d.agencies.join(' '),
        d.deducted,
        d.corrected,
        d.net,
        d.rupiah,
        hundredthsToDecimal(d.workerMonths100),
      ]);
  }
  await target.objects.putStream(target.bucket, keys.shares, sharesCsv(), 'text/csv; charset=utf-8');
  const log = deps.allocations;
  async function* allocationsCsv(): AsyncIterable<string> {
    yield CSV_BOM + csvLine(ALLOCATION_HEADER);
    for await (const page of log.allocationsFrom(pool, period, { pageSize: 1000 }))
      for (const e of page) yield csvLine(allocationRow(e));
  }
  await target.objects.putStream(
    target.bucket,
    keys.allocations,
    allocationsCsv(),
    'text/csv; charset=utf-8',
  );
  return { ...shares, head: { ...shares.head, exportKey: keys.shares } };
}
