import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import {
  type IntakeClients,
  intakeClientsFromEnv,
  intakeHandlerBase,
} from '#shared/runtime/intake-handler-base.ts';
import { announcerOf, makeS3FileHandler, type WithOutcomes } from '#shared/runtime/s3-event.ts';
import {
  type ApplyConfirmationsDeps,
  makeApplyConfirmations,
} from '#shared/use-cases/bpjs-loop/apply-confirmations.ts';

/** BPJS confirmation file in S3 (via the bpjs-files queue) -> confirmations + new KPJs + report. */
export const makeHandler = (deps: WithOutcomes<ApplyConfirmationsDeps>) =>
  makeS3FileHandler(makeApplyConfirmations(deps), announcerOf(deps));

/** Adapters on the resources the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: IntakeClients = intakeClientsFromEnv(env),
  clock: Clock = systemClock,
): WithOutcomes<ApplyConfirmationsDeps> => {
  const { cfg, base } = intakeHandlerBase('applyBpjsConfirmations', env, clients, clock);
  const { ddb } = clients;
  return {
    ...base,
    workers: new DynamoDbWorkerRegistry({ ddb, tableName: cfg.tables.registry }),
    confirmations: new DynamoDbConfirmationStore({ ddb, tableName: cfg.tables.ledger }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
