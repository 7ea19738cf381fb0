import { createHash } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { queues } from '#infra/resources.ts';
import { countMessages, fauxqsCounts } from '#shared/local-cloud/drain.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud({ onError: () => {} });

const countBy = (records: readonly SQSRecord[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.body] = (counts[r.body] ?? 0) + 1;
  return counts;
};

const sendBodies = async (queue: 'payrollFiles' | 'deductions' | 'scanJobs', bodies: string[]) => {
  const { clients, names } = cloud();
  await clients.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: names.queues[queue].url,
      Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );
};

describe('SQS event source poller', () => {
  it('invokes the handler with real SQS event records', async () => {
    const { clients, names, region } = cloud();
    const body = JSON.stringify({ kind: 'FAN_OUT' });
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: names.queues.scanJobs.url,
        MessageBody: body,
        MessageAttributes: { pool: { DataType: 'String', StringValue: 'jambi' } },
      }),
    );
    const seen: SQSRecord[] = [];
    let functionName = '';

    const consumer = cloud().consume('scanJobs', (event, context) => {
      seen.push(...event.Records);
      functionName = context.functionName;
    });
    await cloud().drain({ timeoutMs: 10_000 });
    await consumer.stop();

    expect(seen).toHaveLength(1);
    const [record] = seen;
    expect(record).toMatchObject({
      body,
      eventSource: 'aws:sqs',
      eventSourceARN: names.queues.scanJobs.arn,
      awsRegion: region,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { pool: { stringValue: 'jambi', dataType: 'String' } },
    });
    expect(record?.messageId).toMatch(/\S/);
    expect(record?.receiptHandle).toMatch(/\S/);
    expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(record?.attributes.SentTimestamp),
    );
    expect(functionName).toBe(`sertakan-${cloud().stage}-scan-lapses`);
  });

  it('a handler that always throws sees each message maxReceiveCount times, then it is in the DLQ', async () => {
    const { clients, names } = cloud();
    const bodies = ['file-1', 'file-2'];
    await sendBodies('payrollFiles', bodies);
    const seen: SQSRecord[] = [];

    const consumer = cloud().consume('payrollFiles', (event) => {
      seen.push(...event.Records);
      throw new Error('always fails');
    });
    await cloud().drain({ timeoutMs: 15_000 });
    await consumer.stop();

    const limit = queues.payrollFiles.maxReceiveCount;
    expect(countBy(seen)).toEqual({ 'file-1': limit, 'file-2': limit });
    const receiveCounts = seen
      .filter((r) => r.body === 'file-1')
      .map((r) => r.attributes.ApproximateReceiveCount);
    expect(receiveCounts).toEqual(Array.from({ length: limit }, (_, i) => String(i + 1)));
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: names.queues.payrollFiles.dlqUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((m) => m.Body).sort()).toEqual(bodies);
  });

  it('after a partial batch failure only the failed records are redelivered', async () => {
    const { clients, names } = cloud();
    await sendBodies('deductions', ['a', 'b', 'c', 'd']);
    const batches: SQSRecord[][] = [];

    const consumer = cloud().consume(
      'deductions',
      (event): SQSBatchResponse => {
        batches.push(event.Records);
        const failing = event.Records.filter(
          (r) => (r.body === 'b' || r.body === 'd') && r.attributes.ApproximateReceiveCount === '1',
        );
        return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { maxBatchingWindowSeconds: 0 },
    );
    await cloud().drain({ timeoutMs: 10_000 });
    await consumer.stop();

    const all = batches.flat();
    expect(countBy(all)).toEqual({ a: 1, b: 2, c: 1, d: 2 });
    const redelivered = all.filter((r) => r.attributes.ApproximateReceiveCount === '2').map((r) => r.body);
    expect(redelivered.sort()).toEqual(['b', 'd']);
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: names.queues.deductions.dlqUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(0);
  });

  it('honours the batch size of the function spec', async () => {
    await sendBodies('payrollFiles', ['p1', 'p2', 'p3']);
    const sizes: number[] = [];

    const consumer = cloud().consume('payrollFiles', (event) => {
      sizes.push(event.Records.length);
    });
    await cloud().drain({ timeoutMs: 10_000 });
    await consumer.stop();

    expect(sizes).toEqual([1, 1, 1]);
  });

  it('runs up to its concurrency of invocations at once from one receive, never more', async () => {
    const { clients } = cloud();
    const receives: string[] = [];
    clients.sqs.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ReceiveMessageCommand') receives.push(new Date().toISOString());
        return next(args);
      },
      { step: 'initialize', name: 'countReceives' },
    );
    try {
      await sendBodies('scanJobs', ['j1', 'j2', 'j3', 'j4', 'j5', 'j6']);
      let running = 0;
      let most = 0;
      let release: () => void = () => {};
      const threeRunning = new Promise<void>((resolve) => {
        release = resolve;
      });
      const consumer = cloud().consume(
        'scanJobs',
        async () => {
          running++;
          most = Math.max(most, running);
          if (running === 3) release();
          await threeRunning;
          running--;
        },
        { concurrency: 3 },
      );
      await cloud().drain({ timeoutMs: 10_000 });
      const afterWork = receives.length;
      // Idle: one long poll at a time (1 s each), not one per parallel invocation.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const idle = receives.length - afterWork;
      await consumer.stop();

      expect(most).toBe(3);
      // Six messages in batches of one through three slots: each receive took what the free slots could.
      expect(afterWork).toBeLessThanOrEqual(6);
      expect(idle).toBeGreaterThanOrEqual(1);
      expect(idle).toBeLessThanOrEqual(4);
    } finally {
      clients.sqs.middlewareStack.remove('countReceives');
    }
  });
});

describe("the drain's look at the queues", () => {
  it("fauxqs's one-snapshot counts equal GetQueueAttributes for visible, in-flight and delayed messages", async () => {
    const { clients, names, endpoints } = cloud();
    const url = names.queues.deductions.url;
    await sendBodies('deductions', ['a', 'b', 'c']);
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));
    await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    const [snapshot] = await fauxqsCounts(endpoints.sqs, [
      { queue: 'deductions', name: names.queues.deductions.name },
    ]);
    expect(snapshot).toEqual({ queue: 'deductions', visible: 2, notVisible: 1, delayed: 1 });
    expect(await countMessages(clients.sqs, 'deductions', url)).toEqual(snapshot);
    await expect(fauxqsCounts(endpoints.sqs, [{ queue: 'x', name: 'no-such-queue' }])).rejects.toThrow(
      /does not list queue no-such-queue/,
    );
  });
});
