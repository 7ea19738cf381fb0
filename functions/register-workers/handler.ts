import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SnsIntakeOutcomePublisher } from '#shared/adapters/sns-intake-outcome-publisher.ts';
import {
  type AwsClients,
  makeDynamoDbClientsFromEnv,
  makeS3ClientFromEnv,
  makeSnsClientFromEnv,
} from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { announcerOf, makeS3FileHandler, type WithOutcomes } from '#shared/runtime/s3-event.ts';
import { makeRegisterWorkers, type RegisterWorkersDeps } from '#shared/use-cases/intake/register-workers.ts';

/** Worker enrollment file in S3 (via the worker-files queue) -> worker registry with history + report. */
export const makeHandler = (deps: WithOutcomes<RegisterWorkersDeps>) =>
  makeS3FileHandler(makeRegisterWorkers(deps), announcerOf(deps));

/** Adapters on the resources the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 's3' | 'sns'> = {
    // Only the clients this function calls: its bundle carries no other SDK client.
    ...makeDynamoDbClientsFromEnv(env),
    s3: makeS3ClientFromEnv(env),
    sns: makeSnsClientFromEnv(env),
  },
  clock: Clock = systemClock,
): WithOutcomes<RegisterWorkersDeps> => {
  const cfg = readFunctionEnv('registerWorkers', env);
  const { ddb, s3 } = clients;
  return {
    objects: new S3ObjectStore({ s3 }),
    files: new DynamoDbFileRegistry({ ddb, tableName: cfg.tables.registry }),
    pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry }),
    workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.tables.registry }),
    clock,
    reportsBucket: cfg.buckets.reports,
    outcomes: new SnsIntakeOutcomePublisher(clients.sns, cfg.topics.intakeOutcomes),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
