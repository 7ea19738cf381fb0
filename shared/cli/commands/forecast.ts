import type { Command } from 'commander';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import { formatDateId, formatPeriodId, jakartaDateOf } from '#domain/period.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileDeliveries } from '#shared/adapters/dynamodb-file-deliveries.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import type { Table } from '#shared/csv/export.ts';
import { poolSchema } from '#shared/use-cases/finance/requests.ts';
import { makeForecastPool, type PoolForecast } from '#shared/use-cases/forecast-pool.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { type Target, targetClock, withTarget } from '../target.ts';
import { isoDateOption, parseOption } from '../usage.ts';

/**
 * `sertakan forecast --pool P [--date D]`: the next 12 months of a pool as the lapse scan sees them
 * (shared/use-cases/forecast-pool.ts): opening balance, expected credits, the cost of today's active
 * workers, closing balance, how many of them the money can fund, and the runway.
 */

type ForecastOptions = CommonOptions & { readonly pool: string; readonly date?: string };

export function forecastTable(f: PoolForecast): Table {
  return {
    header: [
      'bulan',
      'saldo_awal',
      'kredit_diharapkan',
      'total_biaya',
      'saldo_akhir',
      'pekerja_aktif',
      'dapat_didanai',
      'cukup_untuk_bulan',
    ],
    rows: f.months.map((m) => [
      m.month,
      m.opening,
      m.expectedCredits,
      m.cost,
      m.closing,
      m.active,
      m.fundable,
      m.coverMonths,
    ]),
  };
}

/** One line above the table: what the runway means in words. */
export function runwayLine(f: PoolForecast): string {
  const all = f.runwayMonths >= f.months.length;
  const runway = all
    ? `semua pekerja aktif terdanai ${f.months.length} bulan ke depan / every active worker funded for the next ${f.months.length} months`
    : `runway ${formatNumberId(f.runwayMonths)} bulan / months: ${formatPeriodId(f.months[f.runwayMonths]?.month ?? f.start)} tidak terdanai penuh / not fully funded`;
  const c = f.months[1]?.expectedCredits ?? 0;
  const trendAll = f.trend.runwayMonths >= f.trend.months.length;
  const trend = trendAll
    ? `semua terdanai ${f.trend.months.length} bulan / all funded for ${f.trend.months.length} months`
    : `${formatPeriodId(f.trend.months[f.trend.runwayMonths]?.month ?? f.start)} tidak terdanai penuh / not fully funded`;
  return [
    `Kolam ${f.pool}, per ${formatDateId(f.date)}, mulai ${formatPeriodId(f.start)}: ${runway}`,
    `  kredit diharapkan / expected credit: Rp${formatNumberId(c)} per bulan (rata-rata 3 periode terakhir, model aturan penerimaan / the admission rule's mean of the last 3 periods)`,
    `  tren (per OPD, dengan penurunan donatur) / trend (per agency, with donor decline): ${trend}`,
  ].join('\n');
}

async function forecast(
  access: Target,
  { pool, date }: { pool: PoolCode; date: IsoDate },
  opts: ForecastOptions,
): Promise<void> {
  const { ddb } = access.clients;
  const { ledger, registry } = access.names.tables;
  const forecastPool = makeForecastPool({
    ledger: new DynamoDbCreditLedger({ ddb, tableName: ledger }),
    deliveries: new DynamoDbFileDeliveries({ ddb, tableName: ledger }),
    log: new DynamoDbAllocationLog({ ddb, tableName: ledger }),
    pools: new DynamoDbPoolSettings({ ddb, tableName: registry }),
    coverage: new DynamoDbCoverageStore({ ddb, tableName: registry }),
    rates: defaultRateTable,
  });
  const f = await forecastPool({ pool, date });
  if (opts.format === 'table') process.stdout.write(`${runwayLine(f)}\n\n`);
  process.stdout.write(render(opts.format, opts.delimiter, forecastTable(f), f));
}

export function register(program: Command): void {
  withOutputOptions(
    program
      .command('forecast')
      .description('12-month projection of a pool: balance, expected credits, cost, fundable workers, runway')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .option('--date <YYYY-MM-DD>', "forecast as of this day (Asia/Jakarta); default the cloud's today"),
  ).action(async (opts: ForecastOptions) => {
    // Read-only: an embedded cloud needs no queue consumers.
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const date =
      opts.date === undefined
        ? jakartaDateOf(targetClock(opts).now())
        : parseOption(isoDateOption, opts.date, '--date');
    await withTarget(opts, (access) => forecast(access, { pool, date }, opts), {
      readOnly: true,
      needsData: true,
    });
  });
}
