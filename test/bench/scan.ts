/**
 * Scan rate of the daily lapse scan (workers/s) on a 100,000-worker pool with in-memory fakes.
 * A benchmark, not a test: prints figures, never fails on a time.
 * Run: npx tsx test/bench/scan.ts [workers] [pageSize]
 */
import { performance } from 'node:perf_hooks';
import { jakartaInstant } from '#domain/period.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { makeScanLapses, type ScanStep } from '#shared/use-cases/scan-lapses.ts';
import {
  InMemoryAlertLog,
  InMemoryCoveragePages,
  InMemoryDeliveries,
  InMemoryDigestLog,
  InMemoryPublisher,
  InMemoryScanJobs,
  InMemoryScanStates,
} from '#test/support/in-memory-alerts.ts';
import {
  InMemoryAllocationLog,
  InMemoryCoverageStore,
  InMemoryCredits,
  InMemoryPools,
} from '#test/support/in-memory-allocation.ts';
import { InMemoryObjectStore } from '#test/support/in-memory-intake.ts';
import { runRecord } from '#test/support/run-records.ts';

const WORKERS = Number(process.argv[2] ?? 100_000);
const PAGE = Number(process.argv[3] ?? 4_000);
const POOL = '15.04';

async function main() {
  const coverage = new InMemoryCoverageStore();
  const records: StoredCoverage[] = [];
  for (let i = 0; i < WORKERS; i++) {
    // 90% paid for February, 8% left unfunded by the February run, 2% lapsed in it.
    const unpaid = i % 50 === 0 ? 3 : i % 12 === 0 ? 1 : 0;
    records.push({
      nik: `1504${String(i).padStart(12, '0')}`,
      tier: i % 4 === 0 ? 'JKK_JKM_JHT' : 'JKK_JKM',
      month: '2026-02',
      status: unpaid === 3 ? 'LAPSED' : 'ACTIVE',
      paidThrough: unpaid === 0 ? '2026-02' : '2025-11',
      unpaidStreak: unpaid,
      prior: {
        status: 'ACTIVE',
        paidThrough: unpaid === 0 ? '2026-01' : '2025-11',
        unpaidStreak: Math.max(0, unpaid - 1),
      },
    });
  }
  await coverage.put(POOL, records, { month: '2026-01', seq: 1 });
  const ledger = new InMemoryCredits();
  const deliveries = new InMemoryDeliveries();
  // Credits cover ~85% of the active workers: a realistic mix of AT_RISK alerts.
  const monthly = Math.floor(WORKERS * 0.85 * 21_800);
  for (const p of ['2026-01', '2026-02', '2026-03']) {
    for (let a = 0; a < 20; a++) {
      ledger.add(POOL, p, { deductions: Math.floor(monthly / 20), deductionRows: 500 });
      deliveries.add(POOL, `AG-${a}`, p, Math.floor(monthly / 20), 500);
    }
  }
  const log = new InMemoryAllocationLog();
  // The February run spent January's and February's credits: March starts from a small balance.
  const cursor = {
    balance: 0,
    need: 0,
    funded: 0,
    allocated: 2 * 20 * Math.floor(monthly / 20),
    unfunded: 0,
    lapsed: 0,
    admitted: 0,
    waitlistSkipped: 0,
  };
  // The shared factory's run, as the bench always had it: no completion time, no plan.
  const { completedAt: _completedAt, ...february } = runRecord({
    pool: POOL,
    month: '2026-02',
    seq: 1,
    startedAt: '2026-02-09T23:00:00Z',
    planKey: 'none',
    chunkCount: 0,
    nextChunk: 0,
    credits: { deductions: cursor.allocated, corrections: 0, grants: 0 },
    available: cursor.allocated,
    cursor,
    workersPlanned: WORKERS,
  });
  await log.createRun(february);
  const pools = new InMemoryPools();
  pools.add(POOL);
  const alerts = new InMemoryAlertLog();
  const scan = makeScanLapses({
    ledger,
    deliveries,
    log,
    pools,
    rates: defaultRateTable,
    coverage: new InMemoryCoveragePages(coverage),
    alerts,
    states: new InMemoryScanStates(),
    digests: new InMemoryDigestLog(),
    publisher: new InMemoryPublisher(),
    objects: new InMemoryObjectStore(),
    reportsBucket: 'reports',
    jobs: new InMemoryScanJobs(),
    clock: { now: () => jakartaInstant('2026-03-03', 7) },
    pageSize: PAGE,
  });
  for (const date of ['2026-03-03', '2026-03-04']) {
    const started = performance.now();
    let steps = 0;
    let step: ScanStep;
    do {
      step = await scan({ pool: POOL, date });
      steps++;
    } while (step.outcome === 'CONTINUING');
    const seconds = (performance.now() - started) / 1000;
    // Each record is read twice (COUNT and ALERT passes); the rate counts workers of the pool.
    console.log(
      `${date}: ${WORKERS.toLocaleString('en')} workers, ${steps} steps of ${PAGE}, ${seconds.toFixed(2)} s, ` +
        `${Math.round(WORKERS / seconds).toLocaleString('en')} workers/s, alerts in log ${alerts.alerts.size.toLocaleString('en')}, ` +
        `new today ${step.state.counts.AT_RISK.new + step.state.counts.UNFUNDED.new + step.state.counts.LAPSED.new}`,
    );
  }
}

await main();
