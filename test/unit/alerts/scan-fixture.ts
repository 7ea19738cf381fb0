import type { AgencyCode, IsoDate, Period, Tier } from '#domain/model.ts';
import { jakartaInstant } from '#domain/period.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeForecastPool } from '#shared/use-cases/forecast-pool.ts';
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
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';
import { InMemoryObjectStore, InMemoryWorkerRegistry } from '#test/support/in-memory-intake.ts';

export const POOL = '15.04';
export const BUCKET = 'reports';
export const nik = (n: number): string => `150401010190${String(n).padStart(4, '0')}`;

/** The whole pipeline around the scan, on in-memory fakes, with a settable Jakarta clock. */
export function scanWorld(opts: { pageSize?: number; chunkSize?: number } = {}) {
  let now = jakartaInstant('2026-01-01', 7);
  const clock = { now: () => now };
  const f = {
    ledger: new InMemoryCredits(),
    log: new InMemoryAllocationLog(),
    coverage: new InMemoryCoverageStore(),
    plans: new InMemoryPlanStore(),
    workers: new InMemoryWorkers(),
    pools: new InMemoryPools(),
    allocJobs: new InMemoryJobs(),
    deliveries: new InMemoryDeliveries(),
    alerts: new InMemoryAlertLog(),
    states: new InMemoryScanStates(),
    digests: new InMemoryDigestLog(),
    publisher: new InMemoryPublisher(),
    objects: new InMemoryObjectStore(),
    scanJobs: new InMemoryScanJobs(),
    registry: new InMemoryWorkerRegistry(),
  };
  f.pools.add(POOL);
  const pages = new InMemoryCoveragePages(f.coverage);
  const allocate = makeAllocatePool({
    ...f,
    jobs: f.allocJobs,
    clock,
    rates: defaultRateTable,
    chunkSize: opts.chunkSize ?? 4,
  });
  const scan = makeScanLapses({
    ...f,
    coverage: pages,
    jobs: f.scanJobs,
    workers: f.registry,
    reportsBucket: BUCKET,
    clock,
    rates: defaultRateTable,
    pageSize: opts.pageSize ?? 3,
  });
  const forecast = makeForecastPool({ ...f, rates: defaultRateTable });

  const at = (date: IsoDate, hour = 7) => {
    now = jakartaInstant(date, hour);
  };
  const enrol = (n: number, tier: Tier = 'JKK_JKM', enrolledOn = '2025-12-01') => {
    f.workers.add(POOL, { nik: nik(n), name: `Siti Aminah ${n}`, tier, enrolledOn });
    void f.registry.recordChange({
      pool: POOL,
      nik: nik(n),
      change: 'ENROLLED',
      after: {
        pool: POOL,
        nik: nik(n),
        name: `Siti Aminah ${n}`,
        tier,
        occupation: 'Petani',
        enrolledOn,
        updatedAt: '2025-12-01T00:00:00Z',
        fileId: 'f1',
      },
      recordedAt: '2025-12-01T00:00:00Z',
      fileId: 'f1',
      line: n,
    });
  };
  /** A payroll file of one agency: credits the pool and records the delivery. */
  const payroll = (agency: AgencyCode, period: Period, total: number, rows: number) => {
    f.ledger.add(POOL, period, { deductions: total, deductionRows: rows });
    f.deliveries.add(POOL, agency, period, total, rows);
  };
  const grant = (period: Period, amount: number) => f.ledger.add(POOL, period, { grants: amount });
  const runMonth = async (month: Period) => {
    let step: AllocateStep;
    do step = await allocate({ pool: POOL, month });
    while (step.state === 'CONTINUING');
    return step.run;
  };
  /** Drives the scan of one day to the end as the queue would: one step per message. */
  const scanDay = async (date: IsoDate): Promise<ScanStep[]> => {
    at(date);
    const steps: ScanStep[] = [];
    let step: ScanStep;
    do {
      step = await scan({ pool: POOL, date });
      steps.push(step);
    } while (step.outcome === 'CONTINUING');
    return steps;
  };
  const csv = (date: IsoDate) => f.objects.getText(BUCKET, `reports/alerts/${POOL}/${date}.csv`);
  /** Alert ids first recorded on `date`, sorted. */
  const newOn = (date: IsoDate) =>
    [...f.alerts.alerts.values()]
      .filter((a) => a.firstSeen === date)
      .map((a) => a.id)
      .sort();
  return { ...f, pages, allocate, scan, forecast, at, enrol, payroll, grant, runMonth, scanDay, csv, newOn };
}

export type ScanWorld = ReturnType<typeof scanWorld>;
