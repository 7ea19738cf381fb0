import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import {
  type IntakeClients,
  intakeClientsFromEnv,
  intakeHandlerBase,
} from '#shared/runtime/intake-handler-base.ts';
import { announcerOf, makeS3FileHandler, type WithOutcomes } from '#shared/runtime/s3-event.ts';
import { type CreditGrantsDeps, makeCreditGrants } from '#shared/use-cases/intake/credit-grants.ts';

/** Grant file in S3 (via the grant-files queue) -> one ledger grant per valid row + report. */
export const makeHandler = (deps: WithOutcomes<CreditGrantsDeps>) =>
  makeS3FileHandler(makeCreditGrants(deps), announcerOf(deps));

/** Adapters on the resources the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: IntakeClients = intakeClientsFromEnv(env),
  clock: Clock = systemClock,
): WithOutcomes<CreditGrantsDeps> => {
  const { cfg, base } = intakeHandlerBase('creditGrants', env, clients, clock);
  const { ddb } = clients;
  return {
    ...base,
    pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry }),
    ledger: new DynamoDbCreditLedger({ ddb, tableName: cfg.tables.ledger }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
