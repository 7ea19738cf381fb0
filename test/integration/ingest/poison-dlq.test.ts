import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { buildDeps, makeHandler } from '#functions/ingest-deductions/handler.ts';
import { queues } from '#infra/resources.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { chunksOfFile, donorNip, makeChunk } from '../../unit/ingest/chunk-factory.ts';

const cloud = useLocalCloud();

describe('ingest-deductions on the deductions queue', () => {
  it('parks a poison chunk in the DLQ after its receives and writes its batch-mates', async () => {
    const c = cloud();
    const { ledger: ledgerTable, registry } = c.names.tables;
    await c.clients.ddb.send(new PutCommand({ TableName: registry, Item: { pk: 'POOL', sk: '15.04' } }));
    const good = chunksOfFile({
      pool: '15.04',
      period: '2025-07',
      agency: 'A',
      fileId: 'fA',
      donors: [1, 2, 3],
    });
    const poison = makeChunk({ pool: '15.09', entries: [{ nip: donorNip(9), amount: 10_000, line: 2 }] });
    const queue = c.names.queues.deductions;
    await c.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [...good, poison].map((chunk, i) => ({ Id: `e${i}`, MessageBody: JSON.stringify(chunk) })),
      }),
    );
    const silenced = [process.stdout, process.stderr].map((s) => vi.spyOn(s, 'write').mockReturnValue(true));
    const poller = c.consume('deductions', makeHandler(buildDeps(c.env, c.clients)), {
      retryDelaySeconds: 0,
      // The spec's 5 s batching window, over five receives, would be 25 s of waiting.
      maxBatchingWindowSeconds: 0,
    });

    try {
      await c.drain({ timeoutMs: 30_000 });
    } finally {
      await poller.stop();
      for (const spy of silenced) spy.mockRestore();
    }

    const dead = await c.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] }),
    );
    expect(dead.Messages?.map((m) => JSON.parse(m.Body ?? '{}').pool)).toEqual(['15.09']);
    expect(Number(dead.Messages?.[0]?.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(
      queues.deductions.maxReceiveCount,
    );
    const credits = await new DynamoDbCreditLedger({
      ddb: c.clients.ddb,
      tableName: ledgerTable,
    }).creditsByPeriod('15.04');
    expect(credits.map((p) => p.deductionRows)).toEqual([3]);
  });
});
