import { z } from 'zod';
import { systemClock } from '#domain/ports/clock.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { readEnv } from '#shared/runtime/env.ts';
import { makeS3FileHandler } from '#shared/runtime/s3-event.ts';
import { makeRegisterWorkers, type RegisterWorkersDeps } from '#shared/use-cases/register-workers.ts';

/** Worker enrollment file in S3 (via the worker-files queue) -> worker registry with history + report. */
export const makeHandler = (deps: RegisterWorkersDeps) => makeS3FileHandler(makeRegisterWorkers(deps));

const envSchema = z.object({
  REPORTS_BUCKET_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
});

const buildDeps = (): RegisterWorkersDeps => {
  const env = readEnv(envSchema);
  const { ddb, s3 } = makeAwsClientsFromEnv();
  return {
    objects: new S3ObjectStore({ s3 }),
    files: new DynamoDbFileRegistry({ ddb, tableName: env.REGISTRY_TABLE_NAME }),
    workers: new DynamoDbWorkerRegistry({ ddb, tableName: env.REGISTRY_TABLE_NAME }),
    clock: systemClock,
    reportsBucket: env.REPORTS_BUCKET_NAME,
  };
};

export const handler = makeHandler(buildDeps());
