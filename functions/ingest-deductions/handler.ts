import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, PoisonMessageError } from '#domain/errors.ts';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolDirectory } from '#shared/adapters/dynamodb-pool-directory.ts';
import { type AwsClients, makeDynamoDbClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readEnv } from '#shared/runtime/env.ts';
import { logger, metrics } from '#shared/runtime/powertools.ts';
import { parseRecordBody, sqsBatchHandler } from '#shared/runtime/sqs-batch-handler.ts';
import { type IngestDeductions, makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';

export type IngestDeductionsHandlerDeps = { readonly ingest: IngestDeductions };

/** A body that is not a valid chunk will never become one: poison, retried by SQS, then in the DLQ. */
const parseChunk = (record: SQSRecord): DeductionChunk =>
  parseRecordBody(record, deductionChunkSchema, 'deduction chunk');

const recordHandler =
  (ingest: IngestDeductions) =>
  async (record: SQSRecord): Promise<void> => {
    try {
      const chunk = parseChunk(record);
      const outcome = await ingest(chunk);
      if (outcome === 'WRITTEN') {
        metrics.addMetric('DeductionsIngested', MetricUnit.Count, chunk.entries.length);
      } else {
        metrics.addMetric('DuplicateChunks', MetricUnit.Count, 1);
      }
      logger.debug('chunk ingested', { messageId: record.messageId, chunkId: chunk.chunkId, outcome });
    } catch (err) {
      // The one place this error is logged; rethrown so the record is reported as a batch item failure.
      const context = {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        code: err instanceof DomainError ? err.code : undefined,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      };
      if (err instanceof PoisonMessageError) {
        metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
        logger.error('poison deduction chunk: it will be retried, then moved to the DLQ', context);
      } else {
        logger.warn('deduction chunk failed; SQS will redeliver it', context);
      }
      throw err;
    }
  };

/** SQS event → one ingest per record; failed records are reported alone (partial batch response). */
export const makeHandler = (deps: IngestDeductionsHandlerDeps) => {
  const processRecord = recordHandler(deps.ingest);
  return sqsBatchHandler(processRecord);
};

const envSchema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
});

/** Adapters on the tables the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb'> = makeDynamoDbClientsFromEnv(env),
  clock: Clock = systemClock,
): IngestDeductionsHandlerDeps => {
  const cfg = readEnv(envSchema, env);
  const { ddb } = clients;
  return {
    ingest: makeIngestDeductions({
      ledger: new DynamoDbCreditLedger({ ddb, tableName: cfg.LEDGER_TABLE_NAME }),
      pools: new DynamoDbPoolDirectory({ ddb, tableName: cfg.REGISTRY_TABLE_NAME }),
      clock,
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
