import type { Period } from '#domain/model.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';

/** A run record for tests: COMPLETED, one chunk, zero money, unless `over` says otherwise. */
export const runRecord = (over: Partial<RunRecord> & Pick<RunRecord, 'month' | 'seq'>): RunRecord => ({
  pool: '15.04',
  runId: `${over.pool ?? '15.04'}/${over.month}/${String(over.seq).padStart(3, '0')}`,
  status: 'COMPLETED',
  startedAt: `${over.month}-10T00:00:00.000Z`,
  completedAt: `${over.month}-10T00:05:00.000Z`,
  planKey: 'p',
  chunkCount: 1,
  nextChunk: 1,
  credits: { deductions: 0, corrections: 0, grants: 0 },
  allocatedBefore: 0,
  previousClosing: 0,
  available: 0,
  horizonMonths: 12,
  recurring: { sum: 0, periods: 0 },
  cursor: {
    balance: 0,
    need: 0,
    funded: 0,
    allocated: 0,
    unfunded: 0,
    lapsed: 0,
    admitted: 0,
    waitlistSkipped: 0,
  },
  workersPlanned: 0,
  fundedEarlier: 0,
  earmarksUnmatched: 0,
  ...over,
});

/**
 * A COMPLETED first run of `month` that funded `funded` JKK+JKM workers (Rp16.800 each) with exactly
 * the money it had: the month the finance tests query.
 */
export const fundedRun = (month: Period, funded: number): RunRecord => {
  const money = funded * 16_800;
  const base = runRecord({ month, seq: 1 });
  return runRecord({
    month,
    seq: 1,
    completedAt: `${month}-10T00:01:00.000Z`,
    credits: { deductions: money, corrections: 0, grants: 0 },
    available: money,
    cursor: { ...base.cursor, funded, allocated: money },
    workersPlanned: funded,
  });
};

/** Allocation `i` of pool 15.04's first run of `month`: NIK `15040141079` + i in 5 digits, Rp16.800. */
export const allocationEntry = (
  i: number,
  month: Period,
  over: Partial<Pick<AllocationEntry, 'name' | 'kpj'>> = {},
): AllocationEntry => ({
  pool: '15.04',
  month,
  nik: `15040141079${String(i).padStart(5, '0')}`,
  tier: 'JKK_JKM',
  amount: 16_800,
  priority: 'ACTIVE',
  runId: `15.04/${month}/001`,
  name: over.name ?? `Pekerja ${i}`,
  kpj: over.kpj ?? `2600${String(i).padStart(7, '0')}`,
  allocatedAt: `${month}-10T00:00:00.000Z`,
});

/**
 * What the finance tests seed: a month whose run funded one worker per entry of `workers` (name and
 * KPJ as given), the run and its allocations.
 */
export const fundedMonth = (
  month: Period,
  workers: readonly Partial<Pick<AllocationEntry, 'name' | 'kpj'>>[],
): { readonly run: RunRecord; readonly entries: AllocationEntry[] } => ({
  run: fundedRun(month, workers.length),
  entries: workers.map((w, i) => allocationEntry(i, month, w)),
});
