import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ValidationError } from '#domain/errors.ts';
import { type AllocationJob, allocationJobSchema } from '#domain/messages.ts';
import type { PoolCode } from '#domain/model.ts';
import { ALLOCATION_IDLE_MS, type RunRecord } from '#domain/ports/allocation/run-record.ts';
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
import { MONTHLY_ALLOCATION_CRON } from '#shared/config/operations.ts';
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
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import {
  type FanOutAllocation,
  makeFanOutAllocation,
} from '#shared/use-cases/allocation/fan-out-allocation.ts';
import {
  type ApportionJob,
  makeSweepAllocations,
  type SweepFinding,
} from '#shared/use-cases/allocation/sweep-allocations.ts';
import { makeWriteMonthOutputs } from '#shared/use-cases/allocation/write-month-outputs.ts';
import { makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeWriteCreditClosing } from '#shared/use-cases/finance/credit-closing.ts';

/** Workers per invocation (the default of the ALLOCATION_CHUNK_SIZE setting). */
export { ALLOCATION_CHUNK_SIZE } from '#shared/config/function-env.ts';

export type AllocatePoolHandlerDeps = {
  readonly allocate: (job: { pool: string; month: string; cause?: string }) => Promise<AllocateStep>;
  readonly fanOut: FanOutAllocation;
  readonly sweep: (now: Date, after?: PoolCode) => Promise<SweepFinding[]>;
  /** Apportions a month's shares again (APPORTION job); optional so older test wiring stays valid. */
  readonly apportion?: (q: { pool: string; month: string }) => Promise<unknown>;
  readonly clock: Clock;
};

/** A run with no commit for this long is idle: above the function's 900 s timeout (one rule, shared with abort). */
export { ALLOCATION_IDLE_MS };

const completedMetrics = (run: RunRecord) => {
  metrics.addMetric('AllocationRunsCompleted', MetricUnit.Count, 1);
  metrics.addMetric('WorkersFunded', MetricUnit.Count, run.fundedEarlier + run.cursor.funded);
  metrics.addMetric('WorkersUnfunded', MetricUnit.Count, run.cursor.unfunded);
};

/** A job that breaks a rule (e.g. a closed month) never succeeds: said once, then dropped. */
export const allocationJobErrors: SqsErrorPolicy<AllocationJob> = {
  what: 'allocation job',
  drop: [{ error: ValidationError, because: 'the job breaks an allocation rule (e.g. a closed month)' }],
  fields: (job) => ({
    kind: job.kind,
    ...(job.kind === 'ALLOCATE' ? { pool: job.pool, month: job.month } : {}),
  }),
};

export const makeHandler = (deps: AllocatePoolHandlerDeps) => {
  const process = async (job: AllocationJob): Promise<void> => {
    if (job.kind === 'FAN_OUT') {
      const { pools, month, cause, next } = await deps.fanOut(job);
      logger.info('allocation fan-out', { month, pools, after: job.after, next, cause });
      return;
    }
    if (job.kind === 'APPORTION') {
      await deps.apportion?.({ pool: job.pool, month: job.month });
      logger.info('month shares apportioned', { pool: job.pool, month: job.month });
      return;
    }
    if (job.kind === 'SWEEP') {
      // As of the occurrence's own time: a late delivery never takes a live run for an idle one (the
      // next occurrence sees it), and a local cloud that delivers a day's occurrences at once stays true.
      const findings = await deps.sweep(
        job.scheduledTime ? new Date(job.scheduledTime) : deps.clock.now(),
        job.after,
      );
      for (const f of findings) logger.warn('allocation sweep finding', { ...f });
      metrics.addMetric('AllocationSweepFindings', MetricUnit.Count, findings.length);
      return;
    }
    const step = await deps.allocate({
      pool: job.pool,
      month: job.month,
      ...(job.cause ? { cause: job.cause } : {}),
    });
    logger.info('allocation step', {
      runId: step.run.runId,
      state: step.state,
      chunk: step.run.nextChunk,
      chunks: step.run.chunkCount,
      funded: step.run.cursor.funded,
    });
    if (step.state === 'COMPLETED') completedMetrics(step.run);
    if (step.state === 'STALLED')
      logger.error('allocation run stalled; ops must act', {
        runId: step.run.runId,
        reason: step.run.stalled?.reason,
      });
  };
  return sqsBatchHandler({
    parse: (record) => parseRecordBody(record, allocationJobSchema, 'allocation job'),
    process,
    errors: allocationJobErrors,
  });
};

/** When the monthly schedule fires (`cron(MIN HOUR DAY * ? *)`, shared/config/operations.ts, Asia/Jakarta). */
const monthlyAllocationStart = () => {
  const [minute, hour, day] = MONTHLY_ALLOCATION_CRON.replace(/^cron\(/, '')
    .split(' ')
    .map(Number);
  return { day: day ?? 10, hour: hour ?? 6, minute: minute ?? 0 };
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
  const writeMonthOutputs = makeWriteMonthOutputs({ log, objects, bucket: cfg.buckets.reports });
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
      allocationStart: monthlyAllocationStart(),
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
      writeOutputs: async (run) => {
        await writeMonthOutputs(run);
        await apportion({ pool: run.pool, month: run.month });
        // Earlier months whose late earmarks this run honoured: their statements say so now.
        for (const late of run.lateEarmarks ?? []) await apportion({ pool: run.pool, month: late.period });
        await writeSummary(run);
        // The closing of the month before today, for the balance as of a date (docs/finance-queries.md).
        await writeClosing(run.pool);
      },
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
