import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeductionChunk, Grant, Tier } from '#domain/model.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditHistory } from '#shared/adapters/dynamodb-credit-history.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeWriteCreditClosing } from '#shared/use-cases/finance/credit-closing.ts';
import { type FinanceDeps, makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import {
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';

/**
 * A four-month history of one pool written through the real adapters: payroll chunks of three agencies
 * (donors joining and leaving, one superseded file posted as corrections, an earmark), a BKBK grant,
 * a half-written chunk that never committed, the monthly runs, and a re-run after late money.
 * The test keeps its own record of every credit (`credits`) to check the queries against.
 */
export const POOL = '15.04';
export const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'] as const;
export const AGENCIES = ['DINKES', 'DISDIK', 'SETDA'] as const;

export const nipOf = (i: number): string => `1986092620150510${String(i).padStart(2, '0')}`;
export const nikOf = (i: number): string => `15040141079${String(i).padStart(5, '0')}`;

export type CreditRecord = {
  period: string;
  kind: 'DEDUCTION' | 'CORRECTION' | 'GRANT';
  agency?: string;
  nip?: string;
  amount: number;
  recordedAt: string;
};

const donorAmount = (i: number, month: number): number => 15_000 + ((i * 7_919 + month * 1_231) % 40) * 1_000;

export async function buildHistory(cloud: LocalCloud) {
  const { ddb } = cloud.clients;
  const ledgerTable = cloud.names.tables.ledger;
  const registryTable = cloud.names.tables.registry;
  await ddb.send(
    // A whole pool record, as `pool add` or the first file writes it (the intake reads its settings).
    new PutCommand({
      TableName: registryTable,
      Item: {
        pk: 'POOL',
        sk: POOL,
        name: 'Batanghari',
        level: 'REGENCY',
        parent: '15',
        horizonMonths: 12,
        runwayAlertMonths: 2,
        fileCutoffDay: 5,
        createdAt: '2025-12-01T00:00:00.000Z',
      },
    }),
  );
  const ledger = new DynamoDbCreditLedger({ ddb, tableName: ledgerTable });
  const log = new DynamoDbAllocationLog({ ddb, tableName: ledgerTable, pageSize: 9 });
  const coverage = new DynamoDbCoverageStore({ ddb, tableName: registryTable });
  const workers = new InMemoryWorkers();
  const pools = new InMemoryPools();
  pools.add(POOL);
  for (let i = 0; i < 45; i++) {
    const tier: Tier = i % 4 === 0 ? 'JKK_JKM_JHT' : 'JKK_JKM';
    workers.add(POOL, {
      nik: nikOf(i),
      name: `Pekerja Nomor ${i}`,
      kpj: `2600${String(i).padStart(7, '0')}`,
      tier,
      enrolledOn: `2025-12-${String(1 + (i % 28)).padStart(2, '0')}`,
    });
  }

  const credits: CreditRecord[] = [];
  const writeChunk = async (chunk: DeductionChunk, at: string) => {
    await ledger.writeChunk(chunk, new Date(at));
    for (const e of chunk.entries)
      credits.push({
        period: chunk.period,
        kind: chunk.kind,
        agency: chunk.agency,
        nip: e.nip,
        amount: e.amount,
        recordedAt: at,
      });
  };
  const writeGrant = async (grant: Grant, at: string) => {
    await ledger.writeGrant(grant, new Date(at));
    credits.push({ period: grant.period, kind: 'GRANT', amount: grant.amount, recordedAt: at });
  };

  let now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const shares = new DynamoDbShareStore({ ddb, tableName: ledgerTable });
  const apportion = makeApportionMonth({
    ledger: new DynamoDbLedgerQueries({ ddb, tableName: ledgerTable, pageSize: 6 }),
    credits: ledger,
    allocations: log,
    store: shares,
    clock,
  });
  const history = new DynamoDbCreditHistory({ ddb, tableName: ledgerTable });
  const writeClosing = makeWriteCreditClosing({ credits: ledger, history, clock });
  const allocate = makeAllocatePool({
    ledger,
    log,
    coverage,
    plans: new InMemoryPlanStore(),
    workers,
    pools,
    jobs: new InMemoryJobs(),
    clock,
    rates: defaultRateTable,
    chunkSize: 8,
    // As the allocate-pool function wires it: the month's shares and the closing of the month before
    // today are written with its outputs.
    writeOutputs: async (run) => {
      await apportion({ pool: run.pool, month: run.month });
      await writeClosing(run.pool);
    },
  });
  const runMonth = async (month: string, at: string) => {
    now = new Date(at);
    let step: AllocateStep;
    // Each call is the month's schedule firing at `at` (a re-run needs a new cause and new money).
    do step = await allocate({ pool: POOL, month, cause: `schedule:${at}` });
    while (step.state === 'CONTINUING');
  };

  for (const [m, month] of MONTHS.entries()) {
    for (const [a, agency] of AGENCIES.entries()) {
      // Donors 0..29, 10 per agency; donor 9 leaves after February, donor 30 joins in March.
      const donors = [...Array(10).keys()].map((k) => a * 10 + k).filter((i) => !(i === 9 && m >= 2));
      if (agency === 'SETDA' && m >= 2) donors.push(30);
      const fileId = `f-${agency}-${month}`;
      await writeChunk(
        {
          chunkId: `${fileId}#0`,
          fileId,
          kind: 'DEDUCTION',
          pool: POOL,
          period: month,
          agency,
          entries: donors.map((i, line) => ({
            nip: nipOf(i),
            amount: donorAmount(i, m),
            line: line + 2,
            ...(i === 3 && month === '2026-02' ? { workerNik: nikOf(44) } : {}),
          })),
        },
        `${month}-02T01:00:00.000Z`,
      );
    }
    if (month === '2026-02') {
      // DISDIK re-uploads February: donor 11 paid 5,000 less, donor 12 was missing 2,000.
      await writeChunk(
        {
          chunkId: 'f-DISDIK-2026-02-v2#0',
          fileId: 'f-DISDIK-2026-02-v2',
          kind: 'CORRECTION',
          pool: POOL,
          period: month,
          agency: 'DISDIK',
          entries: [
            { nip: nipOf(11), amount: -5_000, line: 3 },
            { nip: nipOf(12), amount: 2_000, line: 4 },
          ],
        },
        '2026-02-05T03:00:00.000Z',
      );
    }
    if (month === '2026-03') {
      await writeGrant(
        {
          pool: POOL,
          reference: 'BKBK-2026-01',
          source: 'BKBK',
          period: month,
          amount: 400_000,
          fileId: 'g1',
          line: 2,
        },
        '2026-03-03T02:00:00.000Z',
      );
      // A chunk whose writer crashed after the rows, before the summary: it must count nowhere.
      await ddb.send(
        new PutCommand({
          TableName: ledgerTable,
          Item: {
            pk: `DED#${POOL}#${month}#DINKES`,
            sk: `${nipOf(1)}#ghost#D`,
            amount: 999_000,
            line: 2,
            chunkId: 'ghost#0',
            kind: 'DEDUCTION',
            recordedAt: '2026-03-04T00:00:00.000Z',
          },
        }),
      );
      // Its recording-time index item (written with the rows, before the summary that never came); one
      // of an earlier attempt at a chunk that committed later (it crashed before its summary), and one
      // of a later attempt at it (it lost the race).
      for (const item of [
        { pk: `CREDITREC#${POOL}#2026-03`, sk: `2026-03-04T00:00:00.000Z#${month}#DINKES#ghost#0` },
        {
          pk: `CREDITREC#${POOL}#2026-03`,
          sk: `2026-03-01T12:00:00.000Z#${month}#DINKES#f-DINKES-${month}#0`,
        },
        {
          pk: `CREDITREC#${POOL}#2026-03`,
          sk: `2026-03-05T00:00:00.000Z#${month}#DINKES#f-DINKES-${month}#0`,
        },
      ])
        await ddb.send(new PutCommand({ TableName: ledgerTable, Item: item }));
    }
    await runMonth(month, `${month}-10T00:00:00.000Z`);
  }
  // Late April money and a re-run of April.
  await writeGrant(
    {
      pool: POOL,
      reference: 'CSR-1',
      source: 'CSR',
      period: '2026-04',
      amount: 150_000,
      fileId: 'g2',
      line: 2,
    },
    '2026-04-12T00:00:00.000Z',
  );
  await runMonth('2026-04', '2026-04-13T00:00:00.000Z');

  const deps: FinanceDeps = {
    allocations: log,
    ledger: new DynamoDbLedgerQueries({ ddb, tableName: ledgerTable, pageSize: 6 }),
    credits: ledger,
    pools: new DynamoDbPoolRegistry({ ddb, tableName: registryTable }),
    clock: { now: () => new Date('2026-04-20T00:00:00Z') },
    shares,
    history,
  };
  // The reference definition: each month apportioned live from every row of the pool, the balance
  // from every chunk summary.
  const { shares: _stored, history: _closings, ...wholePool } = deps;
  return {
    deps,
    queries: makeFinanceQueries(deps),
    oracle: makeFinanceQueries(wholePool),
    credits,
    log,
    apportion,
  };
}
