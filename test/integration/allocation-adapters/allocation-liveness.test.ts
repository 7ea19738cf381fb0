import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import { allocationJobSchema } from '#domain/messages.ts';
import type { AllocateJob } from '#domain/ports/allocation/allocation-job-queue.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeSweepAllocations, type SweepJob } from '#shared/use-cases/allocation/sweep-allocations.ts';
import { makeWriteMonthOutputs, monthOutputKeys } from '#shared/use-cases/allocation/write-month-outputs.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * The allocation's recovery paths on the emulators (docs/allocation-liveness.md), with the real DynamoDB, SQS and S3 adapters
 * and a small chunk size so a run takes several steps: a continuation lost after its last receive is
 * found by the sweeper; a commit whose answer is lost (applied, the SDK's retry conflicts) still moves on.
 */
const cloud = useLocalCloud();
const clock = new SimulatedClock(new Date('2026-01-02T01:00:00Z'));
let pipeline: Pipeline;

beforeAll(async () => {
  // Intake only: the allocation is driven by hand below, one message at a time.
  pipeline = await startPipeline(cloud(), {
    clock,
    maxBatchingWindowSeconds: 0,
    only: ['registerWorkers', 'splitPayrollFile', 'ingestDeductions'],
  });
  const niks = [1, 2, 3, 4, 5].map((seq) =>
    makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: false, seq }),
  );
  const put = (key: string, body: string) =>
    cloud().clients.s3.send(
      new PutObjectCommand({ Bucket: cloud().names.buckets.intake, Key: key, Body: body }),
    );
  await put(
    'incoming/workers/15.04/awal.csv',
    [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      ...niks.map((n) => `${n};Pekerja;;JKK_JKM;buruh tani;2025-12-01`),
    ].join('\n'),
  );
  for (const [seq, pool] of ['15.04', '15.05'].entries()) {
    const nip = makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq: seq + 1 });
    await put(
      `incoming/payroll/${pool}/2026-01/DINKES-${pool}.csv`,
      `nip;nama;periode;jumlah\n${nip};A;2026-01;2000000`,
    );
  }
  await put(
    'incoming/workers/15.05/awal.csv',
    [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      ...[1, 2, 3, 4, 5].map(
        (seq) =>
          `${makeNik({ regency: '15.05', district: '01', birth: '1991-05-17', female: false, seq })};P;;JKK_JKM;buruh;2025-12-01`,
      ),
    ].join('\n'),
  );
  await cloud().drain({ timeoutMs: 60_000 });
  clock.set(new Date('2026-01-09T23:00:00Z'));
});
afterAll(async () => {
  await pipeline?.stop();
});

function allocation(ddb: DynamoDBDocumentClient = cloud().clients.ddb) {
  const { names, clients } = cloud();
  const log = new DynamoDbAllocationLog({ ddb, tableName: names.tables.ledger });
  const jobs = new SqsJobQueue<AllocateJob>(clients.sqs, names.queues.allocationJobs.url);
  const objects = new S3ObjectStore({ s3: clients.s3 });
  const pools = new DynamoDbPoolSettings({ ddb, tableName: names.tables.registry });
  const allocate = makeAllocatePool({
    ledger: new DynamoDbCreditLedger({ ddb, tableName: names.tables.ledger }),
    log,
    coverage: new DynamoDbCoverageStore({ ddb, tableName: names.tables.registry }),
    plans: new ObjectStorePlanStore(objects, names.buckets.reports),
    workers: new DynamoDbWorkerRegistry({ ddb, tableName: names.tables.registry }),
    pools,
    jobs,
    clock,
    rates: defaultRateTable,
    chunkSize: 2,
    writeOutputs: makeWriteMonthOutputs({ log, objects, bucket: names.buckets.reports }),
  });
  const sweep = makeSweepAllocations({
    pools: new DynamoDbPoolRegistry({ ddb, tableName: names.tables.registry }),
    continuation: new SqsJobQueue<SweepJob>(clients.sqs, names.queues.allocationJobs.url),
    log,
    jobs,
    allocationStart: { day: 10, hour: 6, minute: 0 },
    idleMs: 20 * 60_000,
  });
  return { allocate, sweep, log };
}

/** Takes the allocation-jobs messages one by one and runs them, as the event source mapping would. */
async function work(allocate: ReturnType<typeof allocation>['allocate'], only: string): Promise<number> {
  const { clients, names } = cloud();
  let steps = 0;
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: names.queues.allocationJobs.url,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 0,
      }),
    );
    const m = Messages[0];
    if (!m) return steps;
    const job = allocationJobSchema.parse(JSON.parse(m.Body ?? ''));
    if (job.kind === 'ALLOCATE' && job.pool === only) {
      await allocate({ pool: job.pool, month: job.month, ...(job.cause ? { cause: job.cause } : {}) });
      steps += 1;
    }
    await clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: names.queues.allocationJobs.url, ReceiptHandle: m.ReceiptHandle }),
    );
  }
}

const billExists = (pool: string) =>
  cloud()
    .clients.s3.send(
      new HeadObjectCommand({
        Bucket: cloud().names.buckets.reports,
        Key: monthOutputKeys(pool, '2026-01').billCsv,
      }),
    )
    .then(
      () => true,
      () => false,
    );

describe('allocation liveness on the emulators', () => {
  it('a continuation lost after its last receive: the sweeper finds the idle run and it completes', async () => {
    // prepare: the first step, then the continuation is lost (purged, as after its last receive)
    const { allocate, sweep, log } = allocation();
    const first = await allocate({
      pool: '15.04',
      month: '2026-01',
      cause: 'schedule:2026-01-09T23:00:00.000Z',
    });
    await cloud().clients.sqs.send(
      new PurgeQueueCommand({ QueueUrl: cloud().names.queues.allocationJobs.url }),
    );
    expect(first.state).toBe('CONTINUING');
    // act: an hour later the sweeper runs
    clock.set(new Date('2026-01-10T00:30:00Z'));
    const findings = await sweep(clock.now());
    const steps = await work(allocate, '15.04');
    // assess
    expect(findings).toContainEqual({ pool: '15.04', month: '2026-01', what: 'RESUMED_IDLE_RUN' });
    expect(steps).toBe(2);
    const [run] = await log.listRuns('15.04');
    expect(run).toMatchObject({
      status: 'COMPLETED',
      nextChunk: 3,
      chunkCount: 3,
      cause: 'schedule:2026-01-09T23:00:00.000Z',
    });
    expect(run?.outputsAt).toBeDefined();
    expect(await billExists('15.04')).toBe(true);
    // a sweep after that finds nothing to do
    clock.set(new Date('2026-01-10T01:30:00Z'));
    expect((await sweep(clock.now())).filter((f) => f.pool === '15.04')).toEqual([]);
  });

  it('a commit applied whose answer was lost (the retry fails its condition) still moves the run on', async () => {
    // prepare: a client that, for the first chunk commit, sends the UpdateItem twice as the SDK's retry would
    const ddb = cloud().clients.ddb;
    let lost = 0;
    const lossy = new Proxy(ddb, {
      get: (target, prop) =>
        prop === 'send'
          ? async (command: unknown) => {
              const c = command as UpdateCommand;
              if (
                c instanceof UpdateCommand &&
                String(c.input.ConditionExpression).includes('nextChunk') &&
                lost === 0
              ) {
                lost += 1;
                await target.send(c);
              }
              return target.send(command as never);
            }
          : Reflect.get(target, prop, target),
    }) as DynamoDBDocumentClient;
    const { allocate, log } = allocation(lossy);
    // (the sweeps of the test above asked for this pool's missing run too: start from an empty queue)
    await cloud().clients.sqs.send(
      new PurgeQueueCommand({ QueueUrl: cloud().names.queues.allocationJobs.url }),
    );
    // act
    const first = await allocate({
      pool: '15.05',
      month: '2026-01',
      cause: 'schedule:2026-01-09T23:00:00.000Z',
    });
    const steps = await work(allocate, '15.05');
    // assess
    expect(lost).toBe(1);
    expect(first.state).toBe('CONTINUING');
    expect(steps).toBe(2);
    const [run] = await log.listRuns('15.05');
    expect(run).toMatchObject({ status: 'COMPLETED', nextChunk: 3 });
    expect(run?.cursor.funded).toBe(5);
    expect(await billExists('15.05')).toBe(true);
  });
});
