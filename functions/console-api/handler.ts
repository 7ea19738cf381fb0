import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
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
import { DynamoDbAlertDesk } from '#shared/console/alert-desk.ts';
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
import { readEnv } from '#shared/runtime/env.ts';
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

const envSchema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
  INTAKE_BUCKET_NAME: z.string().min(1),
  REPORTS_BUCKET_NAME: z.string().min(1),
  AUDIT_TABLE_NAME: z.string().min(1),
  PAYROLL_FILES_QUEUE_URL: z.string().min(1),
  CONSOLE_JWKS_URL: z.url(),
  CONSOLE_TOKEN_ISSUER: z.string().min(1),
  CONSOLE_TOKEN_AUDIENCE: z.string().min(1),
});

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
  const cfg = readEnv(envSchema, env);
  const objects = new S3ObjectStore({ s3: clients.s3 });
  const { ddb } = clients;
  const ledger = { ddb, tableName: cfg.LEDGER_TABLE_NAME };
  const registry = { ddb, tableName: cfg.REGISTRY_TABLE_NAME };
  const trail = new DynamoDbAuditTrail({
    ddb,
    tableName: cfg.AUDIT_TABLE_NAME,
    clock,
    retentionDays: AUDIT_RETENTION_DAYS,
  });
  return {
    verify: makeTokenVerifier({
      jwksUrl: cfg.CONSOLE_JWKS_URL,
      issuer: cfg.CONSOLE_TOKEN_ISSUER,
      audience: cfg.CONSOLE_TOKEN_AUDIENCE,
    }),
    console: {
      finance: makeFinanceQueries(
        dynamoDbFinanceDeps({
          ddb: clients.ddb,
          ledgerTable: cfg.LEDGER_TABLE_NAME,
          registryTable: cfg.REGISTRY_TABLE_NAME,
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
      reportText: (key) => objects.getText(cfg.REPORTS_BUCKET_NAME, key),
      presignPut: presignerFor(clients.s3, cfg.INTAKE_BUCKET_NAME),
      trail,
      // Listed here; approved (and carried out) with the CLI, which holds the queues and plans.
      changes: makeFourEyes({
        requests: new DynamoDbChangeRequests({ ddb, tableName: cfg.REGISTRY_TABLE_NAME }),
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
        intakeBucket: cfg.INTAKE_BUCKET_NAME,
        clock,
        requeue: new SqsIntakeRequeue({
          sqs: clients.sqs,
          queueUrl: cfg.PAYROLL_FILES_QUEUE_URL,
          bucket: cfg.INTAKE_BUCKET_NAME,
        }),
      }),
      clock,
    },
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
