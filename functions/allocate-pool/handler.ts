import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, ValidationError } from '#domain/errors.ts';
import { type AllocationJob, allocationJobSchema } from '#domain/messages.ts';
import { periodOf } from '#domain/period.ts';
import type { RunRecord } from '#domain/ports/allocation.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { schedules } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { type AwsClients, makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readEnv } from '#shared/runtime/env.ts';
import { logger, metrics } from '#shared/runtime/powertools.ts';
import { parseRecordBody, sqsBatchHandler } from '#shared/runtime/sqs-batch-handler.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocate-pool.ts';
import { makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { type FanOutStep, makeFanOutAllocation } from '#shared/use-cases/fan-out-allocation.ts';
import { makeSweepAllocations, type SweepFinding } from '#shared/use-cases/sweep-allocations.ts';
import { makeWriteMonthOutputs } from '#shared/use-cases/write-month-outputs.ts';

/** Workers per invocation: measured by test/bench/allocation.ts to end far inside Lambda's 15 minutes. */
export const ALLOCATION_CHUNK_SIZE = 5_000;

export type AllocatePoolHandlerDeps = {
  readonly allocate: (job: { pool: string; month: string; cause?: string }) => Promise<AllocateStep>;
  readonly fanOut: (input: { month: string; cause?: string; after?: string }) => Promise<FanOutStep>;
  readonly sweep: (now: Date) => Promise<SweepFinding[]>;
  readonly clock: Clock;
};

/** A run with no commit for this long is idle: above the function's 900 s timeout and the queue's 960 s. */
export const ALLOCATION_IDLE_MS = 20 * 60_000;

const parseJob = (record: SQSRecord): AllocationJob =>
  parseRecordBody(record, allocationJobSchema, 'allocation job');

const completedMetrics = (run: RunRecord) => {
  metrics.addMetric('AllocationRunsCompleted', MetricUnit.Count, 1);
  metrics.addMetric('WorkersFunded', MetricUnit.Count, run.fundedEarlier + run.cursor.funded);
  metrics.addMetric('WorkersUnfunded', MetricUnit.Count, run.cursor.unfunded);
};

export const makeHandler = (deps: AllocatePoolHandlerDeps) => {
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const job = parseJob(record);
    try {
      if (job.kind === 'FAN_OUT') {
        const at = job.scheduledTime ? new Date(job.scheduledTime) : deps.clock.now();
        const month = job.month ?? periodOf(at);
        const cause = job.cause ?? (job.scheduledTime ? `schedule:${job.scheduledTime}` : undefined);
        const step = await deps.fanOut({
          month,
          ...(cause === undefined ? {} : { cause }),
          ...(job.after === undefined ? {} : { after: job.after }),
        });
        logger.info('allocation fan-out', {
          month,
          pools: step.pools,
          after: job.after,
          next: step.next,
          cause,
        });
        return;
      }
      if (job.kind === 'SWEEP') {
        // As of the occurrence's own time: a late delivery never takes a live run for an idle one (the
        // next occurrence sees it), and a local cloud that delivers a day's occurrences at once stays true.
        const findings = await deps.sweep(job.scheduledTime ? new Date(job.scheduledTime) : deps.clock.now());
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
    } catch (err) {
      if (err instanceof ValidationError) {
        // A job that breaks a rule (e.g. a closed month) never succeeds: say why once and drop it.
        logger.error('allocation job refused', { code: err.code, error: err.message });
        return;
      }
      logger.warn('allocation step failed; SQS will redeliver it', {
        code: err instanceof DomainError ? err.code : undefined,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
      throw err;
    }
  };
  return sqsBatchHandler(processRecord);
};

const envSchema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
  REPORTS_BUCKET_NAME: z.string().min(1),
  ALLOCATION_JOBS_QUEUE_URL: z.string().min(1),
  // Not set on AWS (the default holds); the chaos simulation sets a small one so runs take several steps.
  ALLOCATION_CHUNK_SIZE: z.coerce.number().int().min(1).max(50_000).default(ALLOCATION_CHUNK_SIZE),
});

/** When the monthly schedule fires (`cron(MIN HOUR DAY * ? *)` in infra/resources.ts, Asia/Jakarta). */
const monthlyAllocationStart = () => {
  const [minute, hour, day] = schedules.monthlyAllocation.cron
    .replace(/^cron\(/, '')
    .split(' ')
    .map(Number);
  return { day: day ?? 10, hour: hour ?? 6, minute: minute ?? 0 };
};

/** Real adapters from the environment (Lambda) or from a local cloud's env and clients. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: AwsClients = makeAwsClientsFromEnv(env),
  clock: Clock = systemClock,
): AllocatePoolHandlerDeps => {
  const cfg = readEnv(envSchema, env);
  const { ddb } = clients;
  const jobs = new SqsJobQueue<AllocationJob>(clients.sqs, cfg.ALLOCATION_JOBS_QUEUE_URL);
  const pools = new DynamoDbPoolSettings({ ddb, tableName: cfg.REGISTRY_TABLE_NAME });
  const log = new DynamoDbAllocationLog({ ddb, tableName: cfg.LEDGER_TABLE_NAME });
  const objects = new S3ObjectStore({ s3: clients.s3 });
  const writeOutputs = makeWriteMonthOutputs({ log, objects, bucket: cfg.REPORTS_BUCKET_NAME });
  // The pool's month for area views (docs/pools-and-areas.md), after its bill and reconciliation.
  const writeSummary = makeWritePoolMonthSummary({
    log,
    summaries: new DynamoDbAreaSummaries({ ddb, tableName: cfg.LEDGER_TABLE_NAME }),
    clock,
  });
  return {
    clock,
    fanOut: makeFanOutAllocation({
      pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.REGISTRY_TABLE_NAME }),
      jobs,
    }),
    sweep: makeSweepAllocations({
      pools,
      log,
      jobs,
      allocationStart: monthlyAllocationStart(),
      idleMs: ALLOCATION_IDLE_MS,
    }),
    allocate: makeAllocatePool({
      ledger: new DynamoDbCreditLedger({ ddb, tableName: cfg.LEDGER_TABLE_NAME }),
      log,
      coverage: new DynamoDbCoverageStore({ ddb, tableName: cfg.REGISTRY_TABLE_NAME }),
      plans: new ObjectStorePlanStore(objects, cfg.REPORTS_BUCKET_NAME),
      workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.REGISTRY_TABLE_NAME }),
      pools,
      jobs,
      clock,
      rates: defaultRateTable,
      chunkSize: cfg.ALLOCATION_CHUNK_SIZE,
      writeOutputs: (run) => writeOutputs(run).then(() => writeSummary(run)),
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
