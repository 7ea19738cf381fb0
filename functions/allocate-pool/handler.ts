import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ValidationError } from '#domain/errors.ts';
import { type AllocationJob, allocationJobSchema } from '#domain/messages.ts';
import { ALLOCATION_IDLE_MS } from '#domain/ports/allocation/run-record.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditHistory } from '#shared/adapters/dynamodb-credit-history.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { MONTHLY_ALLOCATION_START } from '#shared/config/operations.ts';
import {
  type AwsClients,
  makeDynamoDbClientsFromEnv,
  makeS3ClientFromEnv,
  makeSqsClientFromEnv,
} from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { logger, metrics } from '#shared/runtime/powertools.ts';
import { parseRecordBody, type SqsErrorPolicy, sqsBatchHandler } from '#shared/runtime/sqs-batch-handler.ts';
import { makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeFanOutAllocation } from '#shared/use-cases/allocation/fan-out-allocation.ts';
import { makeFinishAllocationMonth } from '#shared/use-cases/allocation/finish-allocation-month.ts';
import {
  type AllocationJobDeps,
  type AllocationJobOutcome,
  makeRunAllocationJob,
} from '#shared/use-cases/allocation/run-allocation-job.ts';
import { type ApportionJob, makeSweepAllocations } from '#shared/use-cases/allocation/sweep-allocations.ts';
import { makeWriteMonthOutputs } from '#shared/use-cases/allocation/write-month-outputs.ts';
import { makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeWriteCreditClosing } from '#shared/use-cases/finance/credit-closing.ts';

/** Workers per invocation (the default of the ALLOCATION_CHUNK_SIZE setting). */
export { ALLOCATION_CHUNK_SIZE } from '#shared/config/function-env.ts';

/** The use cases an allocation job routes to (run-allocation-job.ts). */
export type AllocatePoolHandlerDeps = AllocationJobDeps;

/** A run with no commit for this long is idle: above the function's 900 s timeout (one rule, shared with abort). */
export { ALLOCATION_IDLE_MS };

/** A job that breaks a rule (e.g. a closed month) never succeeds: said once, then dropped. */
export const allocationJobErrors: SqsErrorPolicy<AllocationJob> = {
  what: 'allocation job',
  drop: [{ error: ValidationError, because: 'the job breaks an allocation rule (e.g. a closed month)' }],
  fields: (job) => ({
    kind: job.kind,
    ...(job.kind === 'ALLOCATE' ? { pool: job.pool, month: job.month } : {}),
  }),
};

/** Logs and metrics of one job's outcome: counts and codes only, never a NIK, NIP or name. */
const report = (outcome: AllocationJobOutcome): void => {
  if (outcome.kind === 'FAN_OUT') {
    const { pools, month, cause, next } = outcome.result;
    logger.info('allocation fan-out', { month, pools, after: outcome.after, next, cause });
    return;
  }
  if (outcome.kind === 'APPORTION') {
    logger.info('month shares apportioned', { pool: outcome.pool, month: outcome.month });
    return;
  }
  if (outcome.kind === 'SWEEP') {
    for (const f of outcome.findings) logger.warn('allocation sweep finding', { ...f });
    metrics.addMetric('AllocationSweepFindings', MetricUnit.Count, outcome.findings.length);
    return;
  }
  const { step } = outcome;
  logger.info('allocation step', {
    runId: step.run.runId,
    state: step.state,
    chunk: step.run.nextChunk,
    chunks: step.run.chunkCount,
    funded: step.run.cursor.funded,
  });
  if (step.state === 'COMPLETED') {
    metrics.addMetric('AllocationRunsCompleted', MetricUnit.Count, 1);
    metrics.addMetric('WorkersFunded', MetricUnit.Count, step.run.fundedEarlier + step.run.cursor.funded);
    metrics.addMetric('WorkersUnfunded', MetricUnit.Count, step.run.cursor.unfunded);
  }
  if (step.state === 'STALLED')
    logger.error('allocation run stalled; ops must act', {
      runId: step.run.runId,
      reason: step.run.stalled?.reason,
    });
};

/** SQS event -> one allocation job per record, routed by the use case; failures by the error policy. */
export const makeHandler = (deps: AllocatePoolHandlerDeps) => {
  const run = makeRunAllocationJob(deps);
  return sqsBatchHandler({
    parse: (record) => parseRecordBody(record, allocationJobSchema, 'allocation job'),
    process: async (job: AllocationJob) => report(await run(job)),
    errors: allocationJobErrors,
  });
};

/** Real adapters from the environment (Lambda) or from a local cloud's env and clients. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 'sqs' | 's3'> = {
    // Only the clients this function calls: its bundle carries no other SDK client.
    ...makeDynamoDbClientsFromEnv(env),
    sqs: makeSqsClientFromEnv(env),
    s3: makeS3ClientFromEnv(env),
  },
  clock: Clock = systemClock,
): AllocatePoolHandlerDeps => {
  const cfg = readFunctionEnv('allocatePool', env);
  const { ddb } = clients;
  const jobs = new SqsJobQueue<AllocationJob>(clients.sqs, cfg.queues.allocationJobs);
  const pools = new DynamoDbPoolSettings({ ddb, tableName: cfg.tables.registry });
  const poolRegistry = new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry });
  const log = new DynamoDbAllocationLog({ ddb, tableName: cfg.tables.ledger });
  const objects = new S3ObjectStore({ s3: clients.s3 });
  const credits = new DynamoDbCreditLedger({ ddb, tableName: cfg.tables.ledger });
  const shares = new DynamoDbShareStore({ ddb, tableName: cfg.tables.ledger });
  // Month shares are apportioned once, with the bill (docs/finance-queries.md).
  const apportion = makeApportionMonth({
    ledger: new DynamoDbLedgerQueries({ ddb, tableName: cfg.tables.ledger }),
    credits,
    allocations: log,
    store: shares,
    clock,
    exports: { objects, bucket: cfg.buckets.reports },
  });
  const writeClosing = makeWriteCreditClosing({
    credits,
    history: new DynamoDbCreditHistory({ ddb, tableName: cfg.tables.ledger }),
    clock,
  });
  // The pool's month for area views (docs/pools-and-areas.md), after its bill and reconciliation.
  const writeSummary = makeWritePoolMonthSummary({
    log,
    summaries: new DynamoDbAreaSummaries({ ddb, tableName: cfg.tables.ledger }),
    clock,
  });
  const finishMonth = makeFinishAllocationMonth({
    listRuns: (pool) => log.listRuns(pool),
    writeMonthOutputs: makeWriteMonthOutputs({ log, objects, bucket: cfg.buckets.reports }),
    apportion,
    writeSummary,
    writeClosing,
  });
  return {
    clock,
    fanOut: makeFanOutAllocation({
      pools: poolRegistry,
      jobs,
      clock,
    }),
    sweep: makeSweepAllocations({
      pools: poolRegistry,
      continuation: jobs,
      log,
      jobs,
      allocationStart: MONTHLY_ALLOCATION_START,
      idleMs: ALLOCATION_IDLE_MS,
      staleShares: {
        credits,
        shares,
        jobs: new SqsJobQueue<ApportionJob>(clients.sqs, cfg.queues.allocationJobs),
      },
    }),
    apportion,
    allocate: makeAllocatePool({
      ledger: credits,
      log,
      coverage: new DynamoDbCoverageStore({ ddb, tableName: cfg.tables.registry }),
      plans: new ObjectStorePlanStore(objects, cfg.buckets.reports),
      workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.tables.registry }),
      pools,
      jobs,
      clock,
      rates: defaultRateTable,
      chunkSize: cfg.settings.ALLOCATION_CHUNK_SIZE,
      writeOutputs: finishMonth,
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
