import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '#shared/adapters/sqs-dead-letters.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * `sertakan dlq list|redrive` on the local cloud: the DLQ is found from the source queue's redrive
 * policy, counted, and moved back by receive/send/delete (the emulator has no StartMessageMoveTask).
 */
const cloud = useLocalCloud();

describe('dead-letter queues', () => {
  it('finds the DLQ of a queue, counts it, and moves every message back with its body', async () => {
    // prepare: 12 jobs that gave up (more than one receive batch)
    const q = cloud().names.queues.allocationJobs;
    const bodies = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ kind: 'ALLOCATE', pool: '15.04', month: '2026-01', n: i }),
    );
    for (const body of bodies)
      await cloud().clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: body }));
    const dl = new SqsDeadLetters(cloud().clients.sqs);
    // act
    const pair = await dl.pairOf(q.url);
    const before = await dl.depth(pair);
    const out = await dl.redrive(pair, { copy: true });
    // assess
    expect(pair.dlqUrl).toBe(q.dlqUrl);
    expect(before).toBe(12);
    expect(out.moved).toBe(12);
    expect(await dl.depth(pair)).toBe(0);
    const got: string[] = [];
    for (let i = 0; i < 5 && got.length < 12; i++) {
      const { Messages = [] } = await cloud().clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      got.push(...Messages.map((m) => m.Body ?? ''));
    }
    expect(got.sort()).toEqual([...bodies].sort());
  });
});
