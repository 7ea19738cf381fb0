/**
 * `npm run bench`: one month (or more) of a province end to end on the local cloud with the real
 * handlers, its billed units counted on the wire, the emulator's raw write limit measured beside it,
 * a chunked allocation of a large pool, and the projected AWS bill. Prints figures; never fails on time.
 *
 *   npm run bench -- [--donors 100000] [--workers 100000] [--pools 12] [--ddb dynalite|dynamodb-local]
 *                    [--months 2] [--big-pool-workers 50000] [--agencies-per-pool 40] [--enroll files|direct]
 *                    [--finance-donors 1000,10000] [--finance-months 12] [--only finance]
 *   npm run bench -- --only latency [--runs 5] [--data-dir <demo data dir>] [--outdir <cdk.out>]
 *                    (what a person waits for, with the load average: latency.ts)
 *   npm run bench -- --villages 1562    (Jambi's BKBK year of grant-funded village pools: villages.ts)
 *   npm run bench -- --intake-rows 60000 (a payroll XLSX and a dBase table of that many rows: intake-files.ts)
 *
 * Month 1 is the province's first month on SERTAKAN: every donor is new (one donor-directory item each)
 * and every worker is enrolled. Month 2 is what every later month costs, so the default runs two and
 * the headline figures and the bill come from the last. DynamoDB keeps its tables on disk in a temp
 * dir (as `npm start` does), so the peak RSS is the pipeline's, not an in-memory copy of the tables.
 * JSON goes to bench-results/.
 */
// First, before anything that imports a handler (big-pool.ts does): no X-Ray async hook in this process.
import './support/untraced.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Period } from '#domain/model.ts';
import { addMonths } from '#domain/period.ts';
import { functions } from '#infra/resources.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { runIntakeFileBench } from './intake-files.ts';
import { printLatency, runLatencyBench } from './latency.ts';
import { runBigPool } from './support/big-pool.ts';
import { JAMBI, loadPrices, NATIONAL, projectBill, withCustomMetrics } from './support/cost.ts';
import { printFinance, runFinanceBench } from './support/finance.ts';
import { captureLogs, out } from './support/log-capture.ts';
import { sumUsage, UsageMeter } from './support/metering.ts';
import { type MonthResult, runMonth } from './support/month.ts';
import { makePools } from './support/population.ts';
import { measureRawBatchWrite } from './support/raw-write.ts';
import { monthFigures, printReport } from './support/report.ts';
import { startRssSampler } from './support/rss.ts';
import { runVillageBench } from './villages.ts';

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};
const program = new Command('bench')
  .option('--donors <n>', 'donors (deductions per month)', int(1), 100_000)
  .option('--workers <n>', 'workers', int(1), 100_000)
  .option('--pools <n>', 'pools', int(1), 12)
  .option('--agencies-per-pool <n>', 'agencies (payroll files) per pool', int(1), 40)
  .option(
    '--months <n>',
    'months to run (the last is the steady state); with --villages, the first n months of the year (default 12)',
    int(1),
    2,
  )
  .option(
    '--villages <n>',
    'run the BKBK year of this many village pools instead (test/bench/villages.ts)',
    int(0),
    0,
  )
  .option(
    '--intake-rows <n>',
    'run only the intake-file bench: an XLSX and a DBF of this many rows through the intake (intake-files.ts)',
    int(0),
    0,
  )
  .option('--big-pool-workers <n>', 'workers in the chunked-allocation pool (0 = skip)', int(0), 50_000)
  .option(
    '--enroll <how>',
    'files (register-workers, one row at a time) | direct (batched seed of registry items)',
    (v) => {
      if (v !== 'files' && v !== 'direct') throw new InvalidArgumentError('files | direct');
      return v;
    },
    'files' as 'files' | 'direct',
  )
  .option(
    '--finance-donors <list>',
    'finance queries: donors per pool, one pool per size (0 = skip)',
    '1000,10000',
  )
  .option('--finance-months <n>', 'finance queries: months of history', int(1), 12)
  .option('--only <section>', 'run one section only: finance | latency')
  .option('--runs <n>', 'latency: runs per figure (median)', int(1), 5)
  .option('--data-dir <dir>', 'latency: query this data dir (made by the demo) instead of making one')
  .option('--outdir <dir>', 'latency: the bundles of this cdk synth output instead of a fresh synth')
  .option(
    '--demo-months <n>',
    "latency: months of the demo that makes the data dir (12: npm start's own run)",
    int(1),
    12,
  )
  .option('--with-tests', 'latency: also time `npm test`')
  .option('--with-villages <n>', 'latency: also run the BKBK year at n village pools', int(1))
  .option(
    '--ddb <backend>',
    'dynalite | dynamodb-local (or local)',
    (v) => {
      if (v === 'local') return 'dynamodb-local';
      if (v !== 'dynalite' && v !== 'dynamodb-local')
        throw new InvalidArgumentError('dynalite | dynamodb-local (or local)');
      return v;
    },
    'dynalite' as 'dynalite' | 'dynamodb-local',
  )
  .parse();
const opts = program.opts<{
  donors: number;
  workers: number;
  pools: number;
  agenciesPerPool: number;
  months: number;
  bigPoolWorkers: number;
  villages: number;
  intakeRows: number;
  enroll: 'files' | 'direct';
  ddb: 'dynalite' | 'dynamodb-local';
  financeDonors: string;
  financeMonths: number;
  only?: 'finance' | 'latency';
  runs: number;
  dataDir?: string;
  outdir?: string;
  demoMonths: number;
  withTests?: boolean;
  withVillages?: number;
}>();

// `--only latency`: the waits of the CLI, the demo and a cold start, with the load average (latency.ts).
if (opts.only === 'latency') {
  const rows = await runLatencyBench(
    {
      runs: opts.runs,
      demoMonths: opts.demoMonths,
      ...(opts.withTests === true ? { withTests: true } : {}),
      ...(opts.withVillages === undefined ? {} : { withVillages: opts.withVillages }),
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
      ...(opts.outdir === undefined ? {} : { outdir: opts.outdir }),
    },
    (line) => out(`[bench] ${line}`),
  );
  printLatency(out, rows);
  process.exit(0);
}

// `--intake-rows N`: one payroll XLSX and one DBF of N rows through the intake, and nothing else.
if (opts.intakeRows > 0) {
  await runIntakeFileBench({ rows: opts.intakeRows, ddb: opts.ddb });
  process.exit(0);
}

// `--villages N`: the BKBK year of N grant-funded village pools (docs/pools-and-areas.md), and nothing else.
if (opts.villages > 0) {
  // `--months` counts the village year's months only when given (default: all 12).
  const months = program.getOptionValueSource('months') === 'default' ? 12 : opts.months;
  await runVillageBench({ villages: opts.villages, ddb: opts.ddb, months });
  process.exit(0);
}

const financeSizes = opts.financeDonors
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);

/** The finance section: figures per query and pool size (test/bench/support/finance.ts). */
async function financeSection(cloud: Awaited<ReturnType<typeof startLocalCloud>>) {
  if (financeSizes.length === 0) return undefined;
  const result = await runFinanceBench(
    cloud,
    {
      sizes: financeSizes,
      months: opts.financeMonths,
      agencies: 40,
      fundedPerMonth: 300,
      repeats: 20,
      oracleUpTo: 10_000,
    },
    (line) => out(`[bench] ${line}`),
  );
  printFinance(out, result);
  return result;
}

const START: Period = '2026-01';
const started = new Date();
const meter = new UsageMeter();
const logs = captureLogs(meter);
const rss = startRssSampler();
const progress = (line: string) => out(`[bench] ${line}`);
const dataDir = mkdtempSync(join(tmpdir(), 'sertakan-bench-'));
// The finance-only section keeps its tables in memory: seeding 10^6 items on disk is what it would time.
const cloud = await startLocalCloud({
  ddb: opts.ddb,
  stage: 'bench',
  ...(opts.only === 'finance' ? {} : { dataDir }),
});
if (opts.only === 'finance') {
  try {
    const finance = await financeSection(cloud);
    mkdirSync('bench-results', { recursive: true });
    const file = `bench-results/${started.toISOString().replaceAll(':', '-')}-finance-${opts.ddb}.json`;
    writeFileSync(
      file,
      JSON.stringify({ startedAt: started.toISOString(), options: opts, finance }, null, 2),
    );
    out(`\nwrote ${file}`);
  } finally {
    logs.restore();
    rss.stop();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  meter.attach(cloud.clients);
  const clock = new SimulatedClock(new Date(`${START}-01T00:00:00Z`));
  const pipeline = await startPipeline(cloud, {
    clock,
    maxBatchingWindowSeconds: 0,
    onInvoke: (fn, ms, records) => meter.recordInvocation(fn, ms, records, functions[fn].memoryMb),
  });
  const pools = makePools(opts);
  progress(
    `${opts.ddb}: ${opts.pools} pools, ${opts.donors} donors, ${opts.workers} workers, ${opts.months} month(s)`,
  );
  const ctx = {
    cloud,
    clock,
    meter,
    pools,
    drainTimeoutMs: 60 * 60_000,
    rssPeak: () => rss.reset().rss,
    progress,
    enroll: opts.enroll,
  };
  const months: MonthResult[] = [];
  for (let i = 0; i < opts.months; i++) months.push(await runMonth(ctx, addMonths(START, i), i === 0));
  await pipeline.stop();

  const last = months.at(-1) as MonthResult;
  meter.enter('raw');
  progress(`raw BatchWriteItem baseline: ${last.deductions} items`);
  const raw = await measureRawBatchWrite(cloud.clients.ddb, cloud.names.tables.ledger, {
    count: Math.max(1, last.deductions),
    period: last.period,
  });
  const peakRssMonth = Math.max(
    rss.peakRss(),
    ...months.flatMap((m) => Object.values(m.phases).map((p) => p.peakRss)),
  );
  const peakChild = rss.peakChildRss();

  meter.enter('big-pool');
  progress(`chunked allocation: ${opts.bigPoolWorkers} workers`);
  const bigPool =
    opts.bigPoolWorkers > 0
      ? await runBigPool(cloud, {
          workers: opts.bigPoolWorkers,
          month: START,
          extrapolateTo: 1_000_000,
          sampleRss: () => process.memoryUsage().rss,
        })
      : undefined;

  meter.enter('finance');
  const finance = await financeSection(cloud);

  const usage = (name: string) => meter.usage(name);
  const figures = months.map((m) => {
    const parts = {
      intake: usage(`intake ${m.period}`),
      allocation: usage(`allocation ${m.period}`),
      scan: usage(`scan ${m.period}`),
    };
    return monthFigures(m, { ...parts, month: sumUsage(Object.values(parts)) }, raw);
  });
  const prices = loadPrices();
  const measured = {
    intake: usage(`intake ${last.period}`),
    allocation: usage(`allocation ${last.period}`),
    scan: usage(`scan ${last.period}`),
    deductions: last.deductions,
    workers: last.workers,
    fileBytes: last.fileBytes,
  };
  const bills = [JAMBI, NATIONAL].map((scale) => ({
    scale: `${scale.name} (${scale.donors.toLocaleString('en')} donors, ${scale.workers.toLocaleString('en')} workers, ${scale.pools} pools)`,
    lines: withCustomMetrics(projectBill(measured, scale, prices), logs.customMetrics.size, prices),
  }));
  logs.restore();
  const report = {
    backend: opts.ddb,
    months: figures,
    raw,
    peakRssMb: peakRssMonth / 2 ** 20,
    peakChildRssMb: peakChild / 2 ** 20,
    bills,
    ...(bigPool ? { bigPool } : {}),
  };
  printReport(out, report);
  if (logs.errorLines.length > 0)
    out(`\n${logs.errorLines.length} error line(s) from handlers, first: ${logs.errorLines[0]}`);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/${started.toISOString().replaceAll(':', '-')}-${opts.ddb}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt: started.toISOString(),
        options: opts,
        notes: [
          'Units are counted on the wire (ReturnConsumedCapacity TOTAL on every DynamoDB request; SQS/S3/SNS requests by API).',
          'Lambda durations are local wall times of the handlers with the emulators in the same process: an upper bound for AWS.',
          `Bills extrapolate linearly from month ${last.period}: intake units per deduction, allocation per worker, scan per worker x 30 days.`,
          `Prices: shared/config/aws-prices-ap-southeast-3.json (${prices.asOf}, verify before budgeting).`,
        ],
        customMetrics: [...logs.customMetrics],
        usageByPhase: Object.fromEntries(meter.phases),
        handlerErrors: logs.errorLines,
        ...report,
        ...(finance ? { finance } : {}),
      },
      null,
      2,
    ),
  );
  out(`\nwrote ${file}`);
} finally {
  logs.restore();
  rss.stop();
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
