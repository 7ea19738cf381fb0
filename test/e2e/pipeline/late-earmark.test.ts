import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import { maskNik } from '#domain/masking.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import { buildDeps as financeDeps, makeHandler as financeHandler } from '#functions/finance-api/handler.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { FINANCE_CALLER, iamContext } from '#test/support/audit.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * A late donor's named worker, through the real handlers on the local cloud
 * (docs/design.md#earmarks-travel-with-the-money): January's run funds two workers; a second agency's
 * January file, naming a third worker, arrives on the 20th, after that run; February's run counts its
 * money and funds the named worker first (EARMARK), and the donor's statement says which run honoured
 * the earmark. Before the rule, February funded the two active workers and left the named one out.
 */
const cloud = useLocalCloud();
const clock = new SimulatedClock(new Date('2026-01-02T01:00:00Z'));
let pipeline: Pipeline;

const POOL = '15.04';
const [w1, w2, named] = [1, 2, 3].map((seq) =>
  makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: false, seq }),
) as [string, string, string];
const [donorA, donorB] = [1, 2].map((seq) =>
  makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq }),
) as [string, string];

const put = (key: string, body: string) =>
  cloud().clients.s3.send(
    new PutObjectCommand({ Bucket: cloud().names.buckets.intake, Key: key, Body: body }),
  );

const allocate = async (month: string, at: string) => {
  clock.set(new Date(at));
  await cloud().clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: cloud().names.queues.allocationJobs.url,
      MessageBody: JSON.stringify({ kind: 'ALLOCATE', pool: POOL, month, cause: `schedule:${at}` }),
    }),
  );
  await cloud().drain({ timeoutMs: 30_000 });
};

const get = (path: string, accept: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { accept },
    // the finance API answers only callers in its table (docs/access.md): this one is scoped to Jambi
    requestContext: { http: { method: 'GET', path }, ...iamContext() },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

let log: DynamoDbAllocationLog;
const entries = async (month: string): Promise<string[]> => {
  const out: AllocationEntry[] = [];
  for await (const page of log.allocations(POOL, month)) out.push(...page);
  const label = new Map([
    [w1, 'w1'],
    [w2, 'w2'],
    [named, 'named'],
  ]);
  return out.map((e) => `${e.priority}:${label.get(e.nik)}`).sort();
};

beforeAll(async () => {
  pipeline = await startPipeline(cloud(), { clock, maxBatchingWindowSeconds: 0 });
  log = new DynamoDbAllocationLog({ ddb: cloud().clients.ddb, tableName: cloud().names.tables.ledger });
});
afterAll(async () => {
  await pipeline?.stop();
});

describe('a late donor file: its earmark travels with its money', () => {
  it("funds the late file's named worker first in the next run, and the statement says so", async () => {
    // prepare: three workers; January's payroll (on time) sustains two of them
    await put(
      `incoming/workers/${POOL}/awal.csv`,
      [
        'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
        `${w1};Siti;;JKK_JKM;buruh tani;2025-12-01`,
        `${w2};Budi;;JKK_JKM;tukang;2025-12-02`,
        `${named};Rahmat;;JKK_JKM;guru ngaji;2025-12-03`,
      ].join('\n'),
    );
    await put(
      `incoming/payroll/${POOL}/2026-01/DINKES.csv`,
      `nip;nama;periode;jumlah\n${donorA};A;2026-01;33600`,
    );
    await cloud().drain({ timeoutMs: 30_000 });
    await allocate('2026-01', '2026-01-09T23:00:00.000Z');
    // act: BAPPEDA's January file, naming a worker, arrives on the 20th; February's payroll on the 2nd
    clock.set(new Date('2026-01-20T02:00:00Z'));
    await put(
      `incoming/payroll/${POOL}/2026-01/BAPPEDA.csv`,
      `nip;nama;periode;jumlah;nik_pekerja\n${donorB};B;2026-01;16800;${named}`,
    );
    await cloud().drain({ timeoutMs: 30_000 });
    clock.set(new Date('2026-02-02T02:00:00Z'));
    await put(
      `incoming/payroll/${POOL}/2026-02/DINKES.csv`,
      `nip;nama;periode;jumlah\n${donorA};A;2026-02;33600`,
    );
    await cloud().drain({ timeoutMs: 30_000 });
    await allocate('2026-02', '2026-02-09T23:00:00.000Z');

    // assess: January funded the two sustained workers; February the named worker first, then both
    expect(await entries('2026-01')).toEqual(['WAITLIST:w1', 'WAITLIST:w2']);
    expect(await entries('2026-02')).toEqual(['ACTIVE:w1', 'ACTIVE:w2', 'EARMARK:named']);
    const runs: RunRecord[] = await log.listRuns(POOL);
    const february = runs.find((r) => r.month === '2026-02');
    expect(february).toMatchObject({
      status: 'COMPLETED',
      available: 33_600 + 16_800,
      lateEarmarks: [{ period: '2026-01', earmarks: 1 }],
    });
    expect(february?.cursor).toMatchObject({ funded: 3, allocated: 50_400, balance: 0 });

    // The donor's statement, through the finance API handler on the same tables.
    const handle = financeHandler(
      financeDeps(
        { ...cloud().env, FINANCE_CALLERS: JSON.stringify([FINANCE_CALLER]) },
        cloud().clients,
        clock,
      ),
    );
    const json = (await handle(
      get(`/donors/${donorB}/statement`, 'application/json'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(json.statusCode).toBe(200);
    const statement = JSON.parse(String(json.body));
    expect(statement.lines).toHaveLength(1);
    expect(statement.lines[0]).toMatchObject({
      period: '2026-01',
      agencies: ['BAPPEDA'],
      net: 16_800,
      earmarks: [{ nik: maskNik(named), funded: true, month: '2026-02' }],
    });
    const csv = (await handle(
      get(`/donors/${donorB}/statement`, 'text/csv'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(String(csv.body)).toContain(
      `${maskNik(named)} DIDANAI 2026-02 (earmark dari file 2026-01 dihitung di run 2026-02)`,
    );
  });
});
