import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ALERT_KINDS, type AlertKind } from '#domain/alerts.ts';
import { maskNik } from '#domain/masking.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { type Reconciliation, reconcileMonth } from '#domain/statements.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileDeliveries } from '#shared/adapters/dynamodb-file-deliveries.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import type { PoolReportModel } from '#shared/charts/pool-report-model.ts';
import { listKeys } from '#shared/local-cloud/list-keys.ts';
import type { LocalRuntime } from '#shared/local-cloud/local-runtime.ts';
import { makeForecastPool } from '#shared/use-cases/forecast-pool.ts';
import type { SyntheticRegion } from './types.ts';

/** Coverage records read right after a month's allocation run. */
export type MonthCoverage = { readonly month: Period; readonly records: readonly StoredCoverage[] };

/** A worker whose coverage lapsed in the run: who (masked) and why, for the summary. */
export type LapseNote = {
  readonly nik: string;
  readonly month: Period;
  readonly paidThrough?: Period;
  /** Left the programme (the exit file's reason), or the pool could not pay for 3 months running. */
  readonly exited?: string;
};

export type DemoMonth = {
  readonly month: Period;
  readonly reconciliation?: Reconciliation;
  /** Active workers who were behind (1-2 unpaid months) and were funded again: lapses prevented. */
  readonly recovered: number;
  readonly newlyLapsed: number;
  readonly lapses: readonly LapseNote[];
  /** Alerts first raised in this month, by kind. */
  readonly alerts: Readonly<Record<AlertKind, number>>;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly files: number;
};

/** The scripted events of the region (from the generator), told beside what the pipeline did. */
export type DemoStory = {
  readonly stoppedAgency?: {
    readonly code: string;
    readonly name: string;
    readonly lastPeriod: Period;
    readonly returnsFrom: Period;
  };
  readonly grants: readonly { readonly arrivedOn: string; readonly amount: number }[];
};

export type DemoResult = {
  readonly pool: PoolCode;
  readonly poolName: string;
  readonly story: DemoStory;
  readonly months: readonly DemoMonth[];
  readonly workersEverCovered: number;
  readonly workerMonths: number;
  readonly alerts: Readonly<Record<AlertKind, number>>;
  readonly alertDays: number;
  readonly filesRejectedWhole: number;
  readonly reportsDir: string;
  readonly htmlReport: string;
  readonly wallSeconds: number;
  readonly expectedBadRows: number;
};

function countByKind(list: readonly { readonly kind: string }[]): Record<AlertKind, number> {
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, list.filter((a) => a.kind === k).length])) as Record<
    AlertKind,
    number
  >;
}

async function copyReports(rt: LocalRuntime, dir: string): Promise<void> {
  const { s3 } = rt.cloud.clients;
  const Bucket = rt.cloud.names.buckets.reports;
  for (const Key of await listKeys(s3, Bucket, 'reports/')) {
    const body = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const file = join(dir, Key.slice('reports/'.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await (body.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
  }
}

export async function collectDemoResult(input: {
  readonly rt: LocalRuntime;
  readonly region: SyntheticRegion;
  readonly coverage: readonly MonthCoverage[];
  readonly dataDir: string;
  readonly startedAt: number;
}): Promise<DemoResult> {
  const { rt, region } = input;
  const { ddb } = rt.cloud.clients;
  const ledgerTable = rt.cloud.names.tables.ledger;
  const registryTable = rt.cloud.names.tables.registry;
  const log = new DynamoDbAllocationLog({ ddb, tableName: ledgerTable });
  const files = new DynamoDbFileRegistry({ ddb, tableName: registryTable });
  const runs = await log.listRuns(region.pool);

  const alertLog = new DynamoDbAlertLog({ ddb, tableName: ledgerTable });
  const alertList = await alertLog.listAlerts(region.pool);
  const exits = new Map(region.workers.flatMap((w) => (w.exit ? [[w.nik, w.exit.reason] as const] : [])));

  const covered = new Set<string>();
  let workerMonths = 0;
  let filesRejectedWhole = 0;
  const months: DemoMonth[] = [];
  for (const month of region.periods) {
    for await (const page of log.allocations(region.pool, month)) {
      for (const e of page) covered.add(e.nik);
      workerMonths += page.length;
    }
    const versions = await files.listFiles(region.pool, month);
    filesRejectedWhole += versions.filter((f) => f.status === 'REJECTED').length;
    const records = input.coverage.find((c) => c.month === month)?.records ?? [];
    const decided = records.filter((r) => r.month === month);
    const reconciliation = reconcileMonth(runs, month);
    const lapsed = decided.filter((r) => r.status === 'LAPSED' && r.prior.status === 'ACTIVE');
    months.push({
      month,
      ...(reconciliation ? { reconciliation } : {}),
      recovered: decided.filter(
        (r) => r.paidThrough === month && r.prior.status === 'ACTIVE' && r.prior.unpaidStreak > 0,
      ).length,
      newlyLapsed: lapsed.length,
      lapses: lapsed.map((r) => ({
        nik: maskNik(r.nik),
        month,
        ...(r.paidThrough ? { paidThrough: r.paidThrough } : {}),
        ...(exits.has(r.nik) ? { exited: exits.get(r.nik) } : {}),
      })),
      alerts: countByKind(alertList.filter((a) => a.firstSeen.startsWith(month))),
      rowsAccepted: versions.reduce((s, f) => s + (f.status === 'DUPLICATE' ? 0 : f.acceptedRows), 0),
      rowsRejected: versions.reduce((s, f) => s + (f.status === 'DUPLICATE' ? 0 : f.rejectedRows), 0),
      files: versions.length,
    });
  }

  const alerts = countByKind(alertList);

  const lastDay = `${region.periods.at(-1)}-28`;
  const forecast = await makeForecastPool({
    ledger: new DynamoDbCreditLedger({ ddb, tableName: ledgerTable }),
    deliveries: new DynamoDbFileDeliveries({ ddb, tableName: ledgerTable }),
    log,
    pools: new DynamoDbPoolSettings({ ddb, tableName: registryTable }),
    rates: defaultRateTable,
    coverage: new DynamoDbCoverageStore({ ddb, tableName: registryTable }),
  })({ pool: region.pool, date: lastDay });

  const perDay = new Map<string, number>();
  for (const a of alertList)
    perDay.set(`${a.firstSeen}|${a.kind}`, (perDay.get(`${a.firstSeen}|${a.kind}`) ?? 0) + 1);
  const model: PoolReportModel = {
    pool: { code: region.pool, name: region.poolName },
    generatedAt: rt.clock.now().toISOString(),
    months: months.flatMap((m) =>
      m.reconciliation
        ? [
            {
              month: m.month,
              opening: m.reconciliation.opening,
              credits: m.reconciliation.credits.deductions,
              corrections: m.reconciliation.credits.corrections,
              grants: m.reconciliation.credits.grants,
              allocations: m.reconciliation.allocated,
              closing: m.reconciliation.closing,
              funded: m.reconciliation.workers.funded,
              unfunded: m.reconciliation.workers.unfunded,
              lapsed: m.reconciliation.workers.lapsed,
              waitlisted: m.reconciliation.workers.waitlisted,
            },
          ]
        : [],
    ),
    forecast: forecast.months.map((f) => ({ month: f.month, balance: f.closing, fundable: f.fundable })),
    alerts: [...perDay].map(([key, count]) => {
      const [date, kind] = key.split('|') as [string, AlertKind];
      return { date, kind, count };
    }),
  };
  // Loaded here, not at the top: ECharts is hundreds of modules, and every CLI command imports this file.
  const { renderPoolReport } = await import('#shared/demo-report/html-report.ts');
  const html = renderPoolReport(model);
  await rt.cloud.clients.s3.send(
    new PutObjectCommand({
      Bucket: rt.cloud.names.buckets.reports,
      Key: `reports/html/${region.pool}.html`,
      Body: html,
      ContentType: 'text/html; charset=utf-8',
    }),
  );
  const reportsDir = join(input.dataDir, 'reports');
  await copyReports(rt, reportsDir);

  const stopped = region.expected.stoppedAgency;
  const story: DemoStory = {
    ...(stopped
      ? {
          stoppedAgency: {
            code: stopped.agency,
            name: region.agencies.find((a) => a.code === stopped.agency)?.name ?? stopped.agency,
            lastPeriod: stopped.lastPeriod,
            returnsFrom: stopped.returnsFrom,
          },
        }
      : {}),
    grants: region.months.flatMap((m) =>
      m.drops
        .filter((d) => d.kind === 'grants')
        .map((d) => ({
          arrivedOn: d.deliverOn,
          amount: region.expected.grants.filter((g) => g.key === d.key).reduce((s, g) => s + g.amount, 0),
        })),
    ),
  };
  return {
    pool: region.pool,
    poolName: region.poolName,
    story,
    months,
    workersEverCovered: covered.size,
    workerMonths,
    alerts,
    alertDays: new Set(alertList.map((a) => a.firstSeen)).size,
    filesRejectedWhole,
    reportsDir,
    htmlReport: join(reportsDir, 'html', `${region.pool}.html`),
    wallSeconds: (Date.now() - input.startedAt) / 1000,
    expectedBadRows: region.expected.badRows.length,
  };
}
