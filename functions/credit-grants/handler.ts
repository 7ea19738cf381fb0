import { z } from 'zod';
import { systemClock } from '#domain/ports/clock.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { readEnv } from '#shared/runtime/env.ts';
import { makeS3FileHandler } from '#shared/runtime/s3-event.ts';
import { type CreditGrantsDeps, makeCreditGrants } from '#shared/use-cases/credit-grants.ts';

/** Grant file in S3 (via the grant-files queue) -> one ledger grant per valid row + report. */
export const makeHandler = (deps: CreditGrantsDeps) => makeS3FileHandler(makeCreditGrants(deps));

const envSchema = z.object({
  REPORTS_BUCKET_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
  LEDGER_TABLE_NAME: z.string().min(1),
});

const buildDeps = (): CreditGrantsDeps => {
  const env = readEnv(envSchema);
  const { ddb, s3 } = makeAwsClientsFromEnv();
  return {
    objects: new S3ObjectStore({ s3 }),
    files: new DynamoDbFileRegistry({ ddb, tableName: env.REGISTRY_TABLE_NAME }),
    ledger: new DynamoDbCreditLedger({ ddb, tableName: env.LEDGER_TABLE_NAME }),
    clock: systemClock,
    reportsBucket: env.REPORTS_BUCKET_NAME,
  };
};

export const handler = makeHandler(buildDeps());
