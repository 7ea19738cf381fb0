import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { PoisonMessageError } from '#domain/errors.ts';
import { observability } from './powertools.ts';

/**
 * Every queue-driven function's Lambda shape: one call of `processRecord` per SQS record, failures
 * reported per record (partial batch response, so one bad record never redelivers its neighbours),
 * with the observability middlewares. A processor per invocation: it holds the batch's state.
 */
export const sqsBatchHandler = (processRecord: (record: SQSRecord) => Promise<void>) =>
  middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
  ).use(observability());

/**
 * A record body that is not JSON of the expected shape never becomes valid: poison (retried by SQS,
 * then in the DLQ). The error names paths and zod codes only, never the offending values (PII).
 */
export function parseRecordBody<S extends z.ZodType>(
  record: SQSRecord,
  schema: S,
  what: string,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`${what}: body is not JSON`, { code: 'SCHEMA' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', ');
    throw new PoisonMessageError(`${what}: body does not match (${where})`, { code: 'SCHEMA' });
  }
  return parsed.data;
}
