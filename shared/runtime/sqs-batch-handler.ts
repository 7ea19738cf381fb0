import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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
