import { type Clock, systemClock } from '#domain/ports/clock.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { IntakeOutcomePublisher } from '#domain/ports/intake-outcomes.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SnsIntakeOutcomePublisher } from '#shared/adapters/sns-intake-outcome-publisher.ts';
import {
  type AwsClients,
  makeDynamoDbClientsFromEnv,
  makeS3ClientFromEnv,
  makeSnsClientFromEnv,
} from '#shared/runtime/aws-clients.ts';
import { type FunctionConfig, readFunctionEnv } from '#shared/runtime/function-env.ts';

/** The functions that take a file from S3 (through its queue), record it, report it and announce its outcome. */
export type IntakeFunction =
  | 'splitPayrollFile'
  | 'registerWorkers'
  | 'creditGrants'
  | 'applyBpjsConfirmations';

/** The clients every intake function calls. */
export type IntakeClients = Pick<AwsClients, 'ddb' | 's3' | 'sns'>;

/** Only the clients an intake function calls: its bundle carries no other SDK client. */
export const intakeClientsFromEnv = (env: NodeJS.ProcessEnv = process.env): IntakeClients => ({
  ...makeDynamoDbClientsFromEnv(env),
  s3: makeS3ClientFromEnv(env),
  sns: makeSnsClientFromEnv(env),
});

/** What every intake use case takes: the file, its record, the clock, where its report goes, its announcer. */
export type IntakeBaseDeps = {
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly clock: Clock;
  readonly reportsBucket: string;
  readonly outcomes: IntakeOutcomePublisher;
};

/**
 * The wiring the intake handlers share: reads the function's env once and builds the common ports on
 * the given clients (the local cloud passes its own env, clients and clock). The handler adds only the
 * ports of its own use case, from the returned `cfg`.
 */
export const intakeHandlerBase = <K extends IntakeFunction>(
  fn: K,
  env: NodeJS.ProcessEnv,
  clients: IntakeClients,
  clock: Clock = systemClock,
): { readonly cfg: FunctionConfig<K>; readonly base: IntakeBaseDeps } => {
  const cfg = readFunctionEnv(fn, env);
  // Every intake function is handed the registry, the reports bucket and the outcomes topic.
  const common = cfg as FunctionConfig<IntakeFunction>;
  return {
    cfg,
    base: {
      objects: new S3ObjectStore({ s3: clients.s3 }),
      files: new DynamoDbFileRegistry({ ddb: clients.ddb, tableName: common.tables.registry }),
      clock,
      reportsBucket: common.buckets.reports,
      outcomes: new SnsIntakeOutcomePublisher(clients.sns, common.topics.intakeOutcomes),
    },
  };
};
