import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { NotFoundError } from '#domain/errors.ts';
import { type ScanJob, scanJobSchema } from '#domain/messages.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { DynamoDbCoveragePages } from '#shared/adapters/dynamodb-coverage-pages.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileDeliveries } from '#shared/adapters/dynamodb-file-deliveries.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SnsAlertPublisher } from '#shared/adapters/sns-alert-publisher.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { type AwsClients, makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { logger, metrics } from '#shared/runtime/powertools.ts';
import { parseRecordBody, type SqsErrorPolicy, sqsBatchHandler } from '#shared/runtime/sqs-batch-handler.ts';
import { withAlertSummary } from '#shared/use-cases/area-views.ts';
import { makePaymentUnconfirmed } from '#shared/use-cases/bpjs-loop/payment-unconfirmed.ts';
import { makeFanOutScans } from '#shared/use-cases/fan-out-scans.ts';
import { makeExpireHeldVersions } from '#shared/use-cases/intake/held-versions.ts';
import { makeRunScanJob, type ScanJobDeps } from '#shared/use-cases/run-scan-job.ts';
import { makeScanLapses } from '#shared/use-cases/scan-lapses.ts';

/** Coverage records per invocation (one DynamoDB page of ~200-byte items stays under the 1 MB cap). */
export const SCAN_PAGE_SIZE = 4_000;

/** The use cases the handler hands each job to (shared/use-cases/run-scan-job.ts). */
export type ScanLapsesHandlerDeps = ScanJobDeps;

/** A pool that no longer exists never scans: said once, then dropped. */
export const scanJobErrors: SqsErrorPolicy<ScanJob> = {
  what: 'scan job',
  drop: [{ error: NotFoundError, because: 'the pool no longer exists' }],
  fields: (job) => ({ kind: job.kind, date: job.date, ...(job.kind === 'SCAN' ? { pool: job.pool } : {}) }),
};

export const makeHandler = (deps: ScanLapsesHandlerDeps) => {
  const runScanJob = makeRunScanJob(deps);
  const process = async (job: ScanJob): Promise<void> => {
    const outcome = await runScanJob(job);
    if (outcome.kind === 'FAN_OUT') {
      const { step } = outcome;
      logger.info('scan fan-out', {
        date: step.date,
        pools: step.pools,
        after: outcome.after,
        next: step.next,
      });
      return;
    }
    const { pool, step, expired } = outcome;
    // Counts and codes only: never a NIK, NIP or name.
    logger.info('scan step', {
      pool,
      date: job.date,
      outcome: step.outcome,
      phase: step.state.phase,
      step: step.state.step,
      workersScanned: step.state.workersScanned,
      newAlerts: step.newAlerts,
    });
    metrics.addMetric('AlertsSent', MetricUnit.Count, step.newAlerts);
    if (step.published) metrics.addMetric('DigestsPublished', MetricUnit.Count, 1);
    if (expired.length > 0)
      logger.info('held payroll versions expired', {
        pool,
        expired,
      });
  };
  return sqsBatchHandler({
    parse: (record) => parseRecordBody(record, scanJobSchema, 'scan job'),
    process,
    errors: scanJobErrors,
  });
};

/** Real adapters from the environment (Lambda) or from a local cloud's env and clients. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: AwsClients = makeAwsClientsFromEnv(env),
  clock: Clock = systemClock,
): ScanLapsesHandlerDeps => {
  const cfg = readFunctionEnv('scanLapses', env);
  const { ddb } = clients;
  const jobs = new SqsJobQueue<ScanJob>(clients.sqs, cfg.queues.scanJobs);
  const pools = new DynamoDbPoolSettings({ ddb, tableName: cfg.tables.registry });
  const alertLog = new DynamoDbAlertLog({ ddb, tableName: cfg.tables.ledger });
  return {
    fanOut: makeFanOutScans({
      pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry }),
      jobs,
      clock,
    }),
    scan: withAlertSummary(
      makeScanLapses({
        ledger: new DynamoDbCreditLedger({ ddb, tableName: cfg.tables.ledger }),
        deliveries: new DynamoDbFileDeliveries({ ddb, tableName: cfg.tables.ledger }),
        log: new DynamoDbAllocationLog({ ddb, tableName: cfg.tables.ledger }),
        pools,
        rates: defaultRateTable,
        coverage: new DynamoDbCoveragePages({ ddb, tableName: cfg.tables.registry }),
        alerts: alertLog,
        states: alertLog,
        digests: alertLog.digests,
        publisher: new SnsAlertPublisher(clients.sns, cfg.topics.opsAlerts),
        objects: new S3ObjectStore({ s3: clients.s3 }),
        reportsBucket: cfg.buckets.reports,
        jobs,
        workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.tables.registry }),
        clock,
        pageSize: SCAN_PAGE_SIZE,
        // Closing the loop with BPJS (docs/bpjs-loop.md): released bills' months BPJS has not receipted.
        paymentUnconfirmed: makePaymentUnconfirmed({
          log: new DynamoDbAllocationLog({ ddb, tableName: cfg.tables.ledger }),
          book: new DynamoDbBillBook({ ddb, tableName: cfg.tables.ledger }),
          confirmations: new DynamoDbConfirmationStore({ ddb, tableName: cfg.tables.ledger }),
          clock,
        }),
      }),
      { summaries: new DynamoDbAreaSummaries({ ddb, tableName: cfg.tables.ledger }), clock },
    ),
    expireHeld: makeExpireHeldVersions({
      files: new DynamoDbFileRegistry({ ddb, tableName: cfg.tables.registry }),
      clock,
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
