import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbAgencyRegistry } from '#shared/adapters/dynamodb-agency-registry.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { SqsDeductionQueue } from '#shared/adapters/sqs-deduction-queue.ts';
import { type AwsClients, makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { intakeHandlerBase } from '#shared/runtime/intake-handler-base.ts';
import { announcerOf, makeS3FileHandler, type WithOutcomes } from '#shared/runtime/s3-event.ts';
import {
  makeSplitPayrollFile,
  type SplitPayrollFileDeps,
} from '#shared/use-cases/intake/split-payroll-file.ts';

/** Payroll file in S3 (via the payroll-files queue) -> deduction chunks on the deductions queue + report. */
export const makeHandler = (deps: WithOutcomes<SplitPayrollFileDeps>) =>
  makeS3FileHandler(makeSplitPayrollFile(deps), announcerOf(deps));

/** Adapters on the resources the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 'sqs' | 's3' | 'sns'> = makeAwsClientsFromEnv(env),
  clock: Clock = systemClock,
): WithOutcomes<SplitPayrollFileDeps> => {
  const { cfg, base } = intakeHandlerBase('splitPayrollFile', env, clients, clock);
  const { ddb, sqs } = clients;
  return {
    ...base,
    agencies: new DynamoDbAgencyRegistry({ ddb, tableName: cfg.tables.registry }),
    columnMappings: new DynamoDbColumnMappings({ ddb, tableName: cfg.tables.registry }),
    queue: new SqsDeductionQueue({ sqs, queueUrl: cfg.queues.deductions }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
