import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import {
  type IntakeClients,
  intakeClientsFromEnv,
  intakeHandlerBase,
} from '#shared/runtime/intake-handler-base.ts';
import { announcerOf, makeS3FileHandler, type WithOutcomes } from '#shared/runtime/s3-event.ts';
import { makeRegisterWorkers, type RegisterWorkersDeps } from '#shared/use-cases/intake/register-workers.ts';

/** Worker enrollment file in S3 (via the worker-files queue) -> worker registry with history + report. */
export const makeHandler = (deps: WithOutcomes<RegisterWorkersDeps>) =>
  makeS3FileHandler(makeRegisterWorkers(deps), announcerOf(deps));

/** Adapters on the resources the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: IntakeClients = intakeClientsFromEnv(env),
  clock: Clock = systemClock,
): WithOutcomes<RegisterWorkersDeps> => {
  const { cfg, base } = intakeHandlerBase('registerWorkers', env, clients, clock);
  const { ddb } = clients;
  return {
    ...base,
    pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry }),
    workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.tables.registry }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
