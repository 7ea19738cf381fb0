/**
 * Finance queries at pool scale (docs/finance-queries.md): seeds pools of different sizes straight into the ledger
 * table (the items the credit ledger writes, via its own `chunkItems`), runs each month's apportionment
 * through the real use case, then calls every finance query repeatedly and prints items read, read
 * units (ConsumedCapacity, as DynamoDB bills them) and latency p50/p95. The statement is repeated for a
 * donor of each pool size, so a flat figure shows it reads its answer, not the pool.
 */
import { performance } from 'node:perf_hooks';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeductionChunk, Period } from '#domain/model.ts';
import { addMonths } from '#domain/period.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditHistory } from '#shared/adapters/dynamodb-credit-history.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import { chunkItems, donorItem } from '#shared/adapters/ledger-keys.ts';
import { dynamoDbFinanceDeps } from '#shared/finance-api/wiring.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeWriteCreditClosing } from '#shared/use-cases/finance/credit-closing.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { runRecord } from '#test/support/run-records.ts';
import { nipOf } from './population.ts';
import { batchWrite, inParallel } from './raw-write.ts';

export type FinanceBenchOptions = {
  readonly sizes: readonly number[];
  readonly months: number;
  readonly agencies: number;
  readonly fundedPerMonth: number;
  readonly repeats: number;
  /** Also time the whole-pool statement (the reference) once per size up to this many donors. */
  readonly oracleUpTo: number;
};

export type QueryFigure = {
  readonly pool: string;
  readonly donors: number;
  readonly query: string;
  readonly items: number;
  readonly readUnits: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
};

const START: Period = '2025-01';
const RATE = 16_800;

/** Counts items returned, read units and requests of every DynamoDB read while `on`. */
function readCounter(cloud: LocalCloud) {
  const c = { on: false, items: 0, units: 0, requests: 0 };
  cloud.clients.ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const name = String(context.commandName ?? '');
      if (!c.on || !/^(Get|BatchGet|Query|Scan)/.test(name)) return out;
      const o = (out.output ?? {}) as {
        Item?: unknown;
        Items?: unknown[];
        Responses?: Record<string, unknown[]>;
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
      };
      c.requests += 1;
      c.items += (o.Item ? 1 : 0) + (o.Items?.length ?? 0);
      for (const list of Object.values(o.Responses ?? {})) c.items += list.length;
      const cc = o.ConsumedCapacity;
      for (const x of Array.isArray(cc) ? cc : cc ? [cc] : []) c.units += x.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize', name: 'financeBenchReadCounter' },
  );
  return c;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Seeds one pool: `donors` donors over `agencies` agencies, `months` periods, runs and allocations. */
async function seedPool(
  cloud: LocalCloud,
  pool: string,
  donors: number,
  o: FinanceBenchOptions,
  first: number,
  progress: (line: string) => void,
) {
  const { ddb } = cloud.clients;
  const ledger = cloud.names.tables.ledger;
  await ddb.send(new PutCommand({ TableName: cloud.names.tables.registry, Item: { pk: 'POOL', sk: pool } }));
  const log = new DynamoDbAllocationLog({ ddb, tableName: ledger });
  const credits = new DynamoDbCreditLedger({ ddb, tableName: ledger });
  let closingNow = new Date();
  // As allocate-pool writes it with each month's outputs (on the 10th): the closing of the month before.
  const writeClosing = makeWriteCreditClosing({
    credits,
    history: new DynamoDbCreditHistory({ ddb, tableName: ledger }),
    clock: { now: () => closingNow },
  });
  const apportion = makeApportionMonth({
    ledger: new DynamoDbLedgerQueries({ ddb, tableName: ledger }),
    credits,
    allocations: log,
    store: new DynamoDbShareStore({ ddb, tableName: ledger }),
    clock: { now: () => new Date() },
  });
  let apportionMs = 0;
  for (let m = 0; m < o.months; m++) {
    const period = addMonths(START, m);
    const at = `${period}-02T00:00:00.000Z`;
    const items: Record<string, unknown>[] = [];
    let net = 0;
    for (let a = 0; a < o.agencies; a++) {
      const mine = [...Array(donors).keys()].filter((i) => i % o.agencies === a);
      for (let c = 0; c * 1000 < mine.length; c++) {
        const chunk: DeductionChunk = {
          chunkId: `bench-${period}-${a}-${c}`,
          fileId: `bench-${period}-${a}`,
          kind: 'DEDUCTION',
          pool,
          period,
          agency: `OPD-${a}`,
          entries: mine.slice(c * 1000, (c + 1) * 1000).map((i, k) => ({
            nip: nipOf(first + i),
            amount: 25_000 + ((i * 7_919 + m) % 40) * 1_000,
            line: k + 2,
          })),
        };
        const { rows, summary, recorded } = chunkItems(chunk, at);
        items.push(...rows, recorded, summary);
        if (m === 0) items.push(...chunk.entries.map((e) => donorItem(e.nip, chunk, at)));
        net += summary.total;
      }
    }
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    await inParallel(batches, 8, (b) => batchWrite(ddb, ledger, b));
    const funded = Math.min(o.fundedPerMonth, Math.floor(net / RATE));
    // Allocation items only for the last month (what the page, NIK and export queries read); earlier
    // months' runs carry their totals, which is all the statement and reconciliation read of them.
    const entries: AllocationEntry[] = [...Array(funded).keys()].map((w) => ({
      pool,
      month: period,
      nik: `1504014107${String(w).padStart(6, '0')}`,
      tier: 'JKK_JKM',
      amount: RATE,
      priority: 'ACTIVE',
      runId: `${pool}/${period}/001`,
      name: 'Pekerja Bench',
      allocatedAt: `${period}-10T00:00:00.000Z`,
    }));
    if (m === o.months - 1) await log.writeAllocations(entries);
    const cursor = {
      balance: 0,
      need: 0,
      funded,
      allocated: funded * RATE,
      unfunded: 0,
      lapsed: 0,
      admitted: 0,
      waitlistSkipped: 0,
    };
    await log.createRun(
      runRecord({
        pool,
        month: period,
        seq: 1,
        cursor,
        available: net,
        credits: { deductions: net, corrections: 0, grants: 0 },
      }),
    );
    const t = performance.now();
    await apportion({ pool, month: period });
    apportionMs += performance.now() - t;
    closingNow = new Date(`${period}-10T00:00:00+07:00`);
    await writeClosing(pool);
    progress(
      `finance: ${pool} ${period} seeded, apportioned in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return { apportionMs };
}

/** Seeds the pools, measures every query, returns the figures (printing is the caller's). */
export async function runFinanceBench(
  cloud: LocalCloud,
  o: FinanceBenchOptions,
  progress: (line: string) => void,
): Promise<{
  figures: QueryFigure[];
  seeding: { pool: string; donors: number; seconds: number; apportionSecondsPerMonth: number }[];
}> {
  const counter = readCounter(cloud);
  const figures: QueryFigure[] = [];
  const seeding = [];
  let first = 0;
  const last = addMonths(START, o.months - 1);
  const now = new Date(`${addMonths(last, 1)}-20T00:00:00+07:00`);
  for (const [i, donors] of o.sizes.entries()) {
    const pool = `15.${String(i + 1).padStart(2, '0')}`;
    progress(`finance: seeding pool ${pool} with ${donors} donors x ${o.months} months`);
    const t0 = performance.now();
    const { apportionMs } = await seedPool(cloud, pool, donors, o, first, progress);
    seeding.push({
      pool,
      donors,
      seconds: (performance.now() - t0) / 1000,
      apportionSecondsPerMonth: apportionMs / 1000 / o.months,
    });
    const deps = dynamoDbFinanceDeps({
      ddb: cloud.clients.ddb,
      ledgerTable: cloud.names.tables.ledger,
      registryTable: cloud.names.tables.registry,
      clock: { now: () => now },
    });
    const q = makeFinanceQueries(deps);
    const { shares: _s, ...wholePoolDeps } = deps;
    const oracle = makeFinanceQueries(wholePoolDeps);
    const nip = nipOf(first + 1);
    const measure = async (query: string, call: () => Promise<unknown>, repeats = o.repeats) => {
      await call(); // warm (a Lambda container's pool-directory cache, connection)
      const times: number[] = [];
      Object.assign(counter, { items: 0, units: 0, requests: 0, on: true });
      for (let r = 0; r < repeats; r++) {
        const t = performance.now();
        await call();
        times.push(performance.now() - t);
      }
      counter.on = false;
      figures.push({
        pool,
        donors,
        query,
        items: counter.items / repeats,
        readUnits: counter.units / repeats,
        requests: counter.requests / repeats,
        p50Ms: pct(times, 50),
        p95Ms: pct(times, 95),
      });
    };
    await measure(`donor statement (${o.months} months)`, () => q.statement(nip));
    if (donors <= o.oracleUpTo)
      await measure('donor statement, whole-pool reference', () => oracle.statement(nip), 1);
    await measure('allocations by agency', () =>
      q.allocationsByAgency({ pool, month: last, agency: 'OPD-1' }),
    );
    await measure('worker history by NIK', () => q.allocationsByNik({ pool, nik: '1504014107000001' }));
    await measure('allocations of a month (page of 100)', () =>
      q.allocationsByMonth({ pool, month: last, limit: 100 }),
    );
    await measure('reconciliation', () => q.reconciliation({ pool, month: last }));
    const asOf = new Date(`${last}-15T00:00:00Z`);
    await measure('balance as of a date', () => q.balance({ pool, asOf }));
    const { history: _h, ...fullScanDeps } = deps;
    const fullScan = makeFinanceQueries(fullScanDeps);
    await measure('balance as of a date, full-scan reference', () => fullScan.balance({ pool, asOf }), 1);
    const [viaClosing, reference] = await Promise.all([
      q.balance({ pool, asOf }),
      fullScan.balance({ pool, asOf }),
    ]);
    if (JSON.stringify(viaClosing) !== JSON.stringify(reference))
      throw new Error(`balance as of ${asOf.toISOString()}: closing path differs from the full scan`);
    await measure('run list', () => q.runs({ pool }));
    first += donors;
  }
  return { figures, seeding };
}

/** The finance table: one row per query and pool size. */
export function printFinance(
  print: (line: string) => void,
  r: Awaited<ReturnType<typeof runFinanceBench>>,
): void {
  print('\nFinance queries (per call; items = items DynamoDB returned, RU = read units consumed)');
  for (const s of r.seeding)
    print(
      `  pool ${s.pool}: ${s.donors.toLocaleString('en')} donors seeded in ${s.seconds.toFixed(0)} s; apportioning one month took ${s.apportionSecondsPerMonth.toFixed(1)} s`,
    );
  print(
    `  ${'query'.padEnd(42)} ${'donors'.padStart(8)} ${'items'.padStart(9)} ${'RU'.padStart(9)} ${'reqs'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
  );
  for (const f of r.figures)
    print(
      `  ${f.query.padEnd(42)} ${String(f.donors).padStart(8)} ${f.items.toFixed(0).padStart(9)} ${f.readUnits.toFixed(1).padStart(9)} ${f.requests.toFixed(0).padStart(6)} ${f.p50Ms.toFixed(1).padStart(8)} ${f.p95Ms.toFixed(1).padStart(8)}`,
    );
}
