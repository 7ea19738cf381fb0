import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/allocate-pool/handler.ts';

const record = (body: unknown, id: string): SQSRecord =>
  ({
    messageId: id,
    receiptHandle: id,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-3:000000000000:allocation-jobs',
    awsRegion: 'ap-southeast-3',
  }) as SQSRecord;

describe('allocate-pool: APPORTION jobs from the sweeper', () => {
  it('apportions the named month, and a failed apportionment is retried by SQS (batch item failure)', async () => {
    const asked: { pool: string; month: string }[] = [];
    const handle = makeHandler({
      allocate: async () => {
        throw new Error('not expected');
      },
      fanOut: async () => ({ pools: 0, month: '2026-02' }),
      sweep: async () => [],
      clock: { now: () => new Date('2026-02-21T00:00:00Z') },
      apportion: async (q) => {
        asked.push(q);
        if (q.month === '2026-01') throw new Error('DynamoDB busy');
      },
    });
    const event: SQSEvent = {
      Records: [
        record({ kind: 'APPORTION', pool: '15.04', month: '2026-02' }, 'm1'),
        record({ kind: 'APPORTION', pool: '15.04', month: '2026-01' }, 'm2'),
      ],
    };
    const out = await handle(event, {} as Context);
    expect(asked).toEqual([
      { pool: '15.04', month: '2026-02' },
      { pool: '15.04', month: '2026-01' },
    ]);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
