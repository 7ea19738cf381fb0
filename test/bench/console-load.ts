/**
 * `npx tsx test/bench/console-load.ts [--months 6] [--donors 100000] [--workers 78000] [--pools 12]
 *   [--loads 5]`: page-load time of the web console's finance overview at Jambi scale on the local
 * cloud. Measures and prints; never fails on a time.
 *
 * Seeding (what the overview and the finance page read, written by the real adapters into the real
 * DynamoDB emulator, not through the intake pipeline, which runs at about 1,800 rows/s and would take
 * longer than the measurement is worth):
 * - 12 pool records (Jambi's codes, DynamoDbPoolRegistry.ensure);
 * - every month, each pool's donors' deductions as the ingest writes them: DynamoDbCreditLedger.writeChunk
 *   of chunks of DEDUCTION_CHUNK_SIZE (50) rows per agency (rows, donor items, the chunk summary);
 * - every month one COMPLETED run per pool (DynamoDbAllocationLog.createRun, then markOutputs) funding
 *   as many of the pool's workers as its money pays, balanced to the rupiah;
 * - each pool's month apportioned to its donors and agencies (makeApportionMonth, the finance use case
 *   allocate-pool runs with the month's outputs), which allocations by agency read;
 * - every worker's coverage record after the last month (DynamoDbCoverageStore.put), which the
 *   forecast reads.
 * Then the local console (the real Lambda handler behind the local server) is opened in headless
 * Chromium as a finance user of one regency pool, and the page is loaded `--loads` times. After it,
 * the ops crisis month (every worker of that pool alerted in the last month, recorded with
 * DynamoDbAlertLog.record) as ops of the pool, and the area page as finance of the province (every
 * pool's month summaries written as the runs' month-end outputs write them), `--loads` times each.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import type { Alert } from '#domain/alerts.ts';
import { DEDUCTION_CHUNK_SIZE } from '#domain/messages.ts';
import type { DeductionChunk, Period } from '#domain/model.ts';
import { addMonths } from '#domain/period.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import { ensureConsoleBuilt } from '#shared/console/build-console.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { startLocalConsole } from '#shared/local-cloud/local-console.ts';
import { makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { launchBrowser } from '#test/e2e/html-report/chromium.ts';
import { runRecord } from '#test/support/run-records.ts';
import { type BenchPool, makePools, nikOf, nipOf, workersOf } from './support/population.ts';
import { inParallel } from './support/raw-write.ts';

const program = new Command()
  .option('--months <n>', 'months of history', '6')
  .option('--donors <n>', 'donors in the province', '100000')
  .option('--workers <n>', 'workers in the province', '78000')
  .option('--pools <n>', 'pools', '12')
  .option('--agencies <n>', 'agencies per pool', '40')
  .option('--loads <n>', 'page loads measured', '5')
  .parse();
const o = program.opts<Record<string, string>>();
const MONTHS = Number(o.months);
const LOADS = Number(o.loads);
const START: Period = '2025-01';
const RATE = 16_800;
/** The day the console believes it is: the month after the last one seeded, on the 20th. */
const TODAY = new Date(`${addMonths(START, MONTHS)}-20T05:00:00.000Z`);

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const amountOf = (g: number, m: number) => 25_000 + ((g * 7_919 + m * 131) % 40) * 1_000;

async function seed(cloud: Awaited<ReturnType<typeof startLocalCloud>>, pools: readonly BenchPool[]) {
  const { ddb } = cloud.clients;
  const ledger = new DynamoDbCreditLedger({ ddb, tableName: cloud.names.tables.ledger });
  const runs = new DynamoDbAllocationLog({ ddb, tableName: cloud.names.tables.ledger });
  const registry = new DynamoDbPoolRegistry({ ddb, tableName: cloud.names.tables.registry });
  const coverage = new DynamoDbCoverageStore({ ddb, tableName: cloud.names.tables.registry });
  // As allocate-pool wires it: each month's shares are apportioned with the run's outputs.
  const apportion = makeApportionMonth({
    ledger: new DynamoDbLedgerQueries({ ddb, tableName: cloud.names.tables.ledger }),
    credits: ledger,
    allocations: runs,
    store: new DynamoDbShareStore({ ddb, tableName: cloud.names.tables.ledger }),
    clock: { now: () => TODAY },
  });
  let rows = 0;
  let chunks = 0;
  const t0 = performance.now();
  for (const p of pools) await registry.ensure(p.code, 'PAYROLL', new Date(`${START}-01T00:00:00Z`));
  const state = new Map(pools.map((p) => [p.code, { closing: 0, deductions: 0 }]));
  for (let m = 0; m < MONTHS; m++) {
    const period = addMonths(START, m);
    const work: { chunk: DeductionChunk; at: Date }[] = [];
    const net = new Map<string, number>();
    for (const p of pools) {
      const [from, to] = p.donors;
      for (const [a, agency] of p.agencies.entries()) {
        const mine: number[] = [];
        for (let g = from + a; g < to; g += p.agencies.length) mine.push(g);
        for (let c = 0; c * DEDUCTION_CHUNK_SIZE < mine.length; c++) {
          const entries = mine
            .slice(c * DEDUCTION_CHUNK_SIZE, (c + 1) * DEDUCTION_CHUNK_SIZE)
            .map((g, k) => ({ nip: nipOf(g), amount: amountOf(g, m), line: k + 2 }));
          net.set(p.code, (net.get(p.code) ?? 0) + entries.reduce((s, e) => s + e.amount, 0));
          const fileId = `bench${p.code.replace('.', '')}${period.replace('-', '')}${String(a).padStart(3, '0')}`;
          work.push({
            chunk: {
              chunkId: `${fileId}#D${String(c).padStart(5, '0')}`,
              fileId,
              kind: 'DEDUCTION',
              pool: p.code,
              period,
              agency,
              entries,
            },
            at: new Date(`${period}-02T0${a % 10}:00:00.000Z`),
          });
        }
      }
    }
    await inParallel(work, 32, ({ chunk, at }) => ledger.writeChunk(chunk, at));
    chunks += work.length;
    rows += work.reduce((s, w) => s + w.chunk.entries.length, 0);
    for (const p of pools) {
      const s = state.get(p.code) ?? { closing: 0, deductions: 0 };
      const credits = net.get(p.code) ?? 0;
      const available = s.closing + credits;
      const funded = Math.min(p.workers, Math.floor(available / RATE));
      const base = runRecord({ pool: p.code, month: period, seq: 1 });
      s.deductions += credits;
      const run = runRecord({
        pool: p.code,
        month: period,
        seq: 1,
        previousClosing: s.closing,
        available,
        credits: { deductions: s.deductions, corrections: 0, grants: 0 },
        cursor: { ...base.cursor, funded, allocated: funded * RATE, balance: available - funded * RATE },
        workersPlanned: p.workers,
      });
      await runs.createRun(run);
      // The month-end outputs (bill, reconciliation) written: the run is DONE, as the overview lists.
      await runs.markOutputs(run, `${period}-10T00:10:00.000Z`);
      await apportion({ pool: p.code, month: period });
      s.closing = available - funded * RATE;
      state.set(p.code, s);
    }
    log(
      `seeded ${period}: ${work.length} chunks, ${rows.toLocaleString('en')} rows so far, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  const last = addMonths(START, MONTHS - 1);
  let workers = 0;
  for (const p of pools) {
    const records: StoredCoverage[] = workersOf(p, START).map((w) => ({
      nik: w.nik,
      tier: w.tier,
      month: last,
      status: 'ACTIVE',
      paidThrough: last,
      unpaidStreak: 0,
      prior: { status: 'ACTIVE', paidThrough: addMonths(last, -1), unpaidStreak: 0 },
    }));
    for (let i = 0; i < records.length; i += 500)
      await coverage.put(p.code, records.slice(i, i + 500), { month: last, seq: 1 });
    workers += records.length;
  }
  log(`seeded ${workers.toLocaleString('en')} coverage records`);
  return { rows, chunks, workers, seconds: (performance.now() - t0) / 1000 };
}

/** Counts items and requests of every DynamoDB read while `on` (the console shares the cloud's client). */
function readCounter(cloud: Awaited<ReturnType<typeof startLocalCloud>>) {
  const c = { on: false, items: 0, requests: 0 };
  cloud.clients.ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (!c.on || !/^(Get|BatchGet|Query|Scan)/.test(String(context.commandName ?? ''))) return out;
      const r = (out.output ?? {}) as {
        Item?: unknown;
        Items?: unknown[];
        Responses?: Record<string, unknown[]>;
      };
      c.requests += 1;
      c.items += (r.Item ? 1 : 0) + (r.Items?.length ?? 0);
      for (const list of Object.values(r.Responses ?? {})) c.items += list.length;
      return out;
    },
    { step: 'initialize', name: 'consoleLoadReadCounter' },
  );
  return c;
}

async function main() {
  const pools = makePools({
    pools: Number(o.pools),
    donors: Number(o.donors),
    workers: Number(o.workers),
    agenciesPerPool: Number(o.agencies),
  });
  const launch = await launchBrowser();
  if (!launch.ok) throw new Error(`no headless browser: ${launch.reasons.join('; ')}`);
  const webDir = await ensureConsoleBuilt(log);
  const cloud = await startLocalCloud({ retryDelaySeconds: 0 });
  const seeded = await seed(cloud, pools);
  const counter = readCounter(cloud);
  const web = await startLocalConsole({ cloud, clock: { now: () => TODAY }, webDir });
  const pool = pools.find((p) => p.code === '15.04') ?? pools[1] ?? pools[0];
  if (pool === undefined) throw new Error('no pool');

  const page = await (await launch.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(web.url);
  await page.selectOption('select[name=role]', 'finance');
  await page.fill('input[name=pools]', pool.code);
  await page.fill('input[name=agency]', '');
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=balance]');
  // Let the first load finish (allocations by agency, forecast) before anything is timed.
  await page.waitForSelector('[data-testid=agency-total]', { timeout: 300_000 });
  await page.waitForSelector('#h-forecast ~ div [data-testid=runway]', { timeout: 300_000 });
  const token = await page.evaluate<string>("sessionStorage.getItem('sertakan.token') ?? ''");

  // The overview API alone, as the page calls it.
  const api: number[] = [];
  let apiItems = 0;
  let apiRequests = 0;
  let months = 0;
  for (let i = 0; i < LOADS; i++) {
    Object.assign(counter, { on: true, items: 0, requests: 0 });
    const t = performance.now();
    const res = await fetch(`${web.url}/api/pools/${pool.code}/overview`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { months: unknown[] };
    api.push(performance.now() - t);
    counter.on = false;
    if (res.status !== 200) throw new Error(`overview ${res.status}`);
    months = body.months.length;
    apiItems = counter.items;
    apiRequests = counter.requests;
  }

  // The page: navigation to the overview rendered (balance, chart and the months' table), and to the
  // rest of the finance page (allocations by agency and the forecast) on the same load.
  const nav: { overview: number; overviewPerf: number; whole: number; items: number; requests: number }[] =
    [];
  for (let i = 0; i < LOADS; i++) {
    Object.assign(counter, { on: true, items: 0, requests: 0 });
    const t = performance.now();
    await page.goto(`${web.url}/keuangan`);
    await page.waitForSelector('.chart svg');
    await page.waitForSelector('[data-testid=balance]');
    const overview = performance.now() - t;
    const overviewPerf = await page.evaluate<number>('performance.now()');
    await page.waitForSelector('[data-testid=agency-total]', { timeout: 300_000 });
    await page.waitForSelector('#h-forecast ~ div [data-testid=runway]', { timeout: 300_000 });
    const whole = performance.now() - t;
    counter.on = false;
    nav.push({ overview, overviewPerf, whole, items: counter.items, requests: counter.requests });
  }
  await page.screenshot({ path: '.tmp/console-load-finance.png', fullPage: true });

  // The ops crisis month: every worker of the pool alerted in the last month seeded (a third UNFUNDED,
  // the rest AT_RISK, a tenth of those in the last funded month before lapse), as the scan records them.
  const crisisMonth = addMonths(START, MONTHS - 1);
  const crisis: Alert[] = Array.from({ length: pool.workers }, (_, k): Alert => {
    const nik = nikOf(pool, k);
    const kind = k % 3 === 0 ? 'UNFUNDED' : 'AT_RISK';
    return {
      id: `${kind}#${pool.code}#${nik}#${crisisMonth}`,
      kind,
      pool: pool.code,
      month: crisisMonth,
      subject: nik,
      subjectType: 'WORKER',
      severity: 'WARNING',
      ...(kind === 'AT_RISK' ? { daysUntilDue: 9 } : {}),
      details: (kind === 'AT_RISK'
        ? { tier: 'JKK_JKM', unpaidMonths: k % 10 === 1 ? 2 : 0, wouldBeUnpaidMonth: k % 10 === 1 ? 3 : 1 }
        : { tier: 'JKK_JKM', unpaidMonths: 1, paidThrough: addMonths(crisisMonth, -1) }) as Alert['details'],
    };
  });
  const t1 = performance.now();
  await new DynamoDbAlertLog({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger }).record(
    crisis,
    `${crisisMonth}-10`,
  );
  const alertSeconds = (performance.now() - t1) / 1000;
  // Every pool's month summaries, as each run's month-end outputs write them: the area page reads them.
  const writeSummary = makeWritePoolMonthSummary({
    log: new DynamoDbAllocationLog({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger }),
    summaries: new DynamoDbAreaSummaries({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger }),
    clock: { now: () => TODAY },
  });
  for (const p of pools)
    for (let m = 0; m < MONTHS; m++) await writeSummary({ pool: p.code, month: addMonths(START, m) });

  const signInAs = async (role: string, scope: string) => {
    const ctx = await launch.browser.newContext({ viewport: { width: 1366, height: 800 } });
    const pg = await ctx.newPage();
    await pg.goto(web.url);
    await pg.selectOption('select[name=role]', role);
    await pg.fill('input[name=pools]', scope);
    await pg.fill('input[name=agency]', '');
    await pg.click('form button[type=submit]');
    await pg.waitForSelector('main h1');
    return pg;
  };
  const opsPage = await signInAs('ops', pool.code);
  await opsPage.waitForSelector('[data-testid=alert-shown]', { timeout: 300_000 });
  const opsToken = await opsPage.evaluate<string>("sessionStorage.getItem('sertakan.token') ?? ''");
  const alertApi: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const t = performance.now();
    const res = await fetch(`${web.url}/api/pools/${pool.code}/alerts?month=${crisisMonth}&limit=100`, {
      headers: { authorization: `Bearer ${opsToken}` },
    });
    await res.json();
    alertApi.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`alerts ${res.status}`);
  }
  const opsNav: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const t = performance.now();
    await opsPage.goto(`${web.url}/ops`);
    await opsPage.waitForSelector('[data-testid=alert-shown]', { timeout: 300_000 });
    opsNav.push(performance.now() - t);
  }
  const areaPage = await signInAs('finance', '15');
  await areaPage.waitForSelector('#h-area ~ div table', { timeout: 300_000 });
  const areaNav: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const t = performance.now();
    await areaPage.goto(`${web.url}/keuangan`);
    await areaPage.waitForSelector('#h-area ~ div table', { timeout: 300_000 });
    areaNav.push(performance.now() - t);
  }

  log('');
  log(
    `load average while measuring (2 cores, shared): ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  log(
    `Jambi scale: ${pools.length} pools, ${Number(o.donors).toLocaleString('en')} donors, ${seeded.workers.toLocaleString('en')} workers, ${MONTHS} months`,
  );
  log(
    `seeded ${seeded.rows.toLocaleString('en')} deduction rows in ${seeded.chunks.toLocaleString('en')} chunks, ${pools.length * MONTHS} runs, ${seeded.workers.toLocaleString('en')} coverage records in ${seeded.seconds.toFixed(0)} s`,
  );
  log(
    `finance overview of pool ${pool.code} (${(pool.donors[1] - pool.donors[0]).toLocaleString('en')} donors, ${pool.workers.toLocaleString('en')} workers, ${months} months):`,
  );
  log(
    `  API GET /overview: median ${median(api).toFixed(0)} ms (${api.map((x) => x.toFixed(0)).join(', ')}), ${apiItems.toLocaleString('en')} items read in ${apiRequests} requests`,
  );
  log(
    `  page, navigation -> overview rendered: median ${median(nav.map((n) => n.overview)).toFixed(0)} ms (${nav.map((n) => n.overview.toFixed(0)).join(', ')}); performance.now() in the page: median ${median(nav.map((n) => n.overviewPerf)).toFixed(0)} ms`,
  );
  log(
    `  page, navigation -> allocations by agency and forecast rendered too: median ${median(nav.map((n) => n.whole)).toFixed(0)} ms (${nav.map((n) => n.whole.toFixed(0)).join(', ')}), ${nav[0]?.items.toLocaleString('en')} items read in ${nav[0]?.requests} requests per load`,
  );
  log(
    `ops crisis month ${crisisMonth} of pool ${pool.code}: ${crisis.length.toLocaleString('en')} alerts recorded in ${alertSeconds.toFixed(0)} s`,
  );
  log(
    `  API GET /alerts (first page of 100, most urgent first): median ${median(alertApi).toFixed(0)} ms (${alertApi.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(
    `  page, navigation -> the month's alerts rendered: median ${median(opsNav).toFixed(0)} ms (${opsNav.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(
    `area page, finance of province 15 (${pools.length} pools): navigation -> the area's month rendered: median ${median(areaNav).toFixed(0)} ms (${areaNav.map((x) => x.toFixed(0)).join(', ')})`,
  );
  await launch.browser.close();
  await web.close();
  await cloud.stop();
}

await main();
