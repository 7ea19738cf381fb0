import type { RunRecord } from '#domain/ports/allocation.ts';

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
