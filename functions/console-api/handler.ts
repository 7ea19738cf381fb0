import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAlertDesk } from '#shared/adapters/dynamodb-alert-desk.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbAuditTrail } from '#shared/adapters/dynamodb-audit-trail.ts';
import { DynamoDbChangeRequests } from '#shared/adapters/dynamodb-change-requests.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileDeliveries } from '#shared/adapters/dynamodb-file-deliveries.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsIntakeRequeue } from '#shared/adapters/sqs-intake-requeue.ts';
import { AUDIT_RETENTION_DAYS } from '#shared/config/operations.ts';
import { dispatch } from '#shared/console/dispatch.ts';
import type { ConsoleDeps } from '#shared/console/routes.ts';
import { makeTokenVerifier, type VerifyToken } from '#shared/console/tokens.ts';
import { dynamoDbFinanceDeps } from '#shared/finance-api/wiring.ts';
import {
  type AwsClients,
  makeDynamoDbClientsFromEnv,
  makeS3ClientFromEnv,
  makeSqsClientFromEnv,
} from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { httpHandler } from '#shared/runtime/http-handler.ts';
import { logger } from '#shared/runtime/powertools.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { makeForecastPool } from '#shared/use-cases/forecast-pool.ts';
import { makeFourEyes } from '#shared/use-cases/four-eyes.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';

/**
 * Console API (HTTP API v2 behind a JWT authorizer on AWS; the local console server locally): wiring
 * only. Every request's token is verified against the JWKS named in the env and every route checks
 * role and scope (shared/console/, docs/console.md).
 */

export type ConsoleApiDeps = { readonly console: ConsoleDeps; readonly verify: VerifyToken };

export const makeHandler = (deps: ConsoleApiDeps) =>
  httpHandler((req) =>
    dispatch(deps.console, deps.verify, { ...req, authorization: req.headers.authorization }, (fields) =>
      logger.error('console request failed', fields),
    ),
  );

/** Seconds a presigned upload URL stays valid: long enough to pick a file, short enough to not leak. */
export const UPLOAD_URL_SECONDS = 600;

/**
 * Presigns a PUT of exactly this key, content type and content length (bytes) in the intake bucket: both
 * headers are signed, so the URL takes one body of that size and type, never a larger one.
 */
export const presignerFor =
  (s3: S3Client, bucket: string) =>
  (key: string, contentType: string, contentLength: number): Promise<string> =>
    getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: contentLength,
      }),
      { expiresIn: UPLOAD_URL_SECONDS, signableHeaders: new Set(['content-type', 'content-length']) },
    );

/** Adapters on the resources the env names; the local console passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 's3' | 'sqs'> = {
    // Only the clients this function calls: its bundle carries no other SDK client.
    ...makeDynamoDbClientsFromEnv(env),
    s3: makeS3ClientFromEnv(env),
    sqs: makeSqsClientFromEnv(env),
  },
  clock: Clock = systemClock,
): ConsoleApiDeps => {
  const cfg = readFunctionEnv('consoleApi', env);
  const objects = new S3ObjectStore({ s3: clients.s3 });
  const { ddb } = clients;
  const ledger = { ddb, tableName: cfg.tables.ledger };
  const registry = { ddb, tableName: cfg.tables.registry };
  const trail = new DynamoDbAuditTrail({
    ddb,
    tableName: cfg.tables.audit,
    clock,
    retentionDays: AUDIT_RETENTION_DAYS,
  });
  return {
    verify: makeTokenVerifier({
      jwksUrl: cfg.settings.CONSOLE_JWKS_URL,
      issuer: cfg.settings.CONSOLE_TOKEN_ISSUER,
      audience: cfg.settings.CONSOLE_TOKEN_AUDIENCE,
    }),
    console: {
      finance: makeFinanceQueries(
        dynamoDbFinanceDeps({
          ddb: clients.ddb,
          ledgerTable: cfg.tables.ledger,
          registryTable: cfg.tables.registry,
          clock,
        }),
      ),
      alerts: new DynamoDbAlertDesk(ledger),
      files: new DynamoDbFileRegistry(registry),
      ledger: new DynamoDbLedgerQueries(ledger),
      // The same projection as `sertakan forecast` and the lapse scan (shared/use-cases/forecast-pool.ts).
      forecast: makeForecastPool({
        ledger: new DynamoDbCreditLedger(ledger),
        deliveries: new DynamoDbFileDeliveries(ledger),
        log: new DynamoDbAllocationLog(ledger),
        pools: new DynamoDbPoolSettings(registry),
        coverage: new DynamoDbCoverageStore(registry),
        rates: defaultRateTable,
      }),
      reportText: (key) => objects.getText(cfg.buckets.reports, key),
      presignPut: presignerFor(clients.s3, cfg.buckets.intake),
      trail,
      // Listed here; approved (and carried out) with the CLI, which holds the queues and plans.
      changes: makeFourEyes({
        requests: new DynamoDbChangeRequests({ ddb, tableName: cfg.tables.registry }),
        trail,
        clock,
        execute: {},
      }),
      columnMappings: new DynamoDbColumnMappings(registry),
      workers: new DynamoDbWorkerRegistry(registry),
      areas: {
        pools: new DynamoDbPoolRegistry(registry),
        summaries: new DynamoDbAreaSummaries(ledger),
      },
      // Decisions on pending payroll files are recorded here and handed back to the splitter.
      decide: makeDecidePending({
        files: new DynamoDbFileRegistry(registry),
        objects,
        intakeBucket: cfg.buckets.intake,
        clock,
        requeue: new SqsIntakeRequeue({
          sqs: clients.sqs,
          queueUrl: cfg.queues.payrollFiles,
          bucket: cfg.buckets.intake,
        }),
      }),
      clock,
    },
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
