import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbAuditTrail } from '#shared/adapters/dynamodb-audit-trail.ts';
import { DynamoDbChangeRequests } from '#shared/adapters/dynamodb-change-requests.ts';
import { S3ExportLinks } from '#shared/adapters/s3-export-links.ts';
import { AUDIT_RETENTION_DAYS } from '#shared/config/operations.ts';
import { parseFinanceCallers } from '#shared/finance-api/callers.ts';
import { type FinanceApiDeps, serveFinance } from '#shared/finance-api/routes.ts';
import { bpjsLoopAccess, dynamoDbFinanceDeps, poolAndAreaAccess } from '#shared/finance-api/wiring.ts';
import {
  type AwsClients,
  makeDynamoDbClientsFromEnv,
  makeS3ClientFromEnv,
} from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { httpHandler, replyOf } from '#shared/runtime/http-handler.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { applyPoolSettings, makeFourEyes } from '#shared/use-cases/four-eyes.ts';

/**
 * Finance HTTP API (API Gateway HTTP API v2, IAM-authorised): wiring only. Routes and rendering are in
 * shared/finance-api/routes.ts, the error mapping in shared/runtime/http-handler.ts.
 */

export type { FinanceApiDeps };

export const makeHandler = (deps: FinanceApiDeps) =>
  httpHandler(async (req) => replyOf(await serveFinance(deps, req)));

/** Adapters on the tables the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 's3'> = {
    // Only the clients this function calls: its bundle carries no other SDK client.
    ...makeDynamoDbClientsFromEnv(env),
    s3: makeS3ClientFromEnv(env),
  },
  clock: Clock = systemClock,
): FinanceApiDeps => {
  const cfg = readFunctionEnv('financeApi', env);
  const tables = {
    ddb: clients.ddb,
    ledgerTable: cfg.tables.ledger,
    registryTable: cfg.tables.registry,
    clock,
  };
  const trail = new DynamoDbAuditTrail({
    ddb: clients.ddb,
    tableName: cfg.tables.audit,
    clock,
    retentionDays: AUDIT_RETENTION_DAYS,
  });
  const { pools, areas } = poolAndAreaAccess(tables);
  return {
    queries: makeFinanceQueries({
      ...dynamoDbFinanceDeps(tables),
      exports: new S3ExportLinks({ s3: clients.s3, bucket: cfg.buckets.reports, clock }),
    }),
    pools,
    areas,
    callers: parseFinanceCallers(cfg.settings.FINANCE_CALLERS),
    trail,
    // Pool settings approved here are applied here; aborts and re-runs are approved with the CLI.
    changes: makeFourEyes({
      requests: new DynamoDbChangeRequests({ ddb: clients.ddb, tableName: cfg.tables.registry }),
      trail,
      clock,
      execute: { POOL_SETTINGS: applyPoolSettings(pools) },
    }),
    bpjs: bpjsLoopAccess(tables),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
