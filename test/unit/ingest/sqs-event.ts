import type { Context, SQSEvent } from 'aws-lambda';
import { makeLambdaContext } from '#shared/local-cloud/lambda-context.ts';

/** An SQS event as the event source mapping delivers it; messageIds are `m<i>`. */
export const makeSqsEvent = (bodies: readonly string[], receiveCount = 1): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`,
    receiptHandle: `rh-${i}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1751418000000',
      SenderId: 'AIDALOCAL',
      ApproximateFirstReceiveTimestamp: '1751418000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-3:000000000000:sertakan-test-deductions',
    awsRegion: 'ap-southeast-3',
  })),
});

export const ingestContext = (): Context =>
  makeLambdaContext({
    functionName: 'ingest-deductions',
    timeoutSeconds: 60,
    memoryMb: 512,
    region: 'ap-southeast-3',
  });
