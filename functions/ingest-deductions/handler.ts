import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { type AwsClients, makeDynamoDbClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readFunctionEnv } from '#shared/runtime/function-env.ts';
import { logger, metrics } from '#shared/runtime/powertools.ts';
import { parseRecordBody, type SqsErrorPolicy, sqsBatchHandler } from '#shared/runtime/sqs-batch-handler.ts';
import { type IngestDeductions, makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';

export type IngestDeductionsHandlerDeps = { readonly ingest: IngestDeductions };

/**
 * A body that is not a valid chunk, or a chunk naming no pool, never becomes one: poison, retried by
 * SQS, then in the DLQ. Nothing is dropped: every other failure is retried.
 */
export const deductionChunkErrors: SqsErrorPolicy<DeductionChunk> = {
  what: 'deduction chunk',
  fields: (chunk) => ({ chunkId: chunk.chunkId, pool: chunk.pool, period: chunk.period }),
};

/** SQS event → one ingest per record; failed records are reported alone (partial batch response). */
export const makeHandler = (deps: IngestDeductionsHandlerDeps) =>
  sqsBatchHandler({
    parse: (record) => parseRecordBody(record, deductionChunkSchema, 'deduction chunk'),
    process: async (chunk: DeductionChunk, record) => {
      const outcome = await deps.ingest(chunk);
      if (outcome === 'WRITTEN') {
        metrics.addMetric('DeductionsIngested', MetricUnit.Count, chunk.entries.length);
      } else {
        metrics.addMetric('DuplicateChunks', MetricUnit.Count, 1);
      }
      logger.debug('chunk ingested', { messageId: record.messageId, chunkId: chunk.chunkId, outcome });
    },
    errors: deductionChunkErrors,
  });

/** Adapters on the tables the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb'> = makeDynamoDbClientsFromEnv(env),
  clock: Clock = systemClock,
): IngestDeductionsHandlerDeps => {
  const cfg = readFunctionEnv('ingestDeductions', env);
  const { ddb } = clients;
  return {
    ingest: makeIngestDeductions({
      ledger: new DynamoDbCreditLedger({ ddb, tableName: cfg.tables.ledger }),
      pools: new DynamoDbPoolRegistry({ ddb, tableName: cfg.tables.registry }),
      clock,
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
