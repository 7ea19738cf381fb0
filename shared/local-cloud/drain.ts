import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export class DrainTimeoutError extends Error {
  override readonly name = 'DrainTimeoutError';
}

export type QueueCounts = { queue: string; visible: number; notVisible: number; delayed: number };

/** Messages of one queue: visible, in flight (not visible) and delayed (SQS's approximate counts). */
export const countMessages = async (sqs: SQSClient, queue: string, url: string): Promise<QueueCounts> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const n = (name: string) => Number(Attributes[name as keyof typeof Attributes] ?? 0);
  return {
    queue,
    visible: n('ApproximateNumberOfMessages'),
    notVisible: n('ApproximateNumberOfMessagesNotVisible'),
    delayed: n('ApproximateNumberOfMessagesDelayed'),
  };
};

export const isEmpty = (c: QueueCounts): boolean => c.visible + c.notVisible + c.delayed === 0;

/**
 * Waits until the consumed queues are empty and no poller holds a record. The queue counts are read
 * one queue at a time, so a handler could move a message from a queue not yet read to one already
 * read; such a handler is either still running when the look ends (records in flight) or has finished
 * during it (the activity counter moved), so a look is trusted only when neither happened. A message
 * being received is counted by SQS as in flight until the poller holds it, and an S3 event not yet
 * bridged counts as in flight too, so nothing falls between the two.
 */
export const drainQueues = async (deps: {
  readonly sqs: SQSClient;
  readonly queues: () => readonly { queue: string; url: string }[];
  readonly inFlight: () => number;
  readonly activity: () => number;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}): Promise<void> => {
  const deadline = Date.now() + deps.timeoutMs;
  let last: QueueCounts[] = [];
  while (true) {
    if (deps.inFlight() > 0 && Date.now() <= deadline) {
      // Consumers are still working: no need to ask SQS yet (those calls compete with the work).
      await delay(deps.pollMs ?? 5);
      continue;
    }
    const activityBefore = deps.activity();
    const inFlightBefore = deps.inFlight();
    last = await Promise.all(deps.queues().map((q) => countMessages(deps.sqs, q.queue, q.url)));
    const quiet =
      inFlightBefore === 0 &&
      deps.inFlight() === 0 &&
      deps.activity() === activityBefore &&
      last.every(isEmpty);
    if (quiet) return;
    if (Date.now() > deadline) {
      const busy = last
        .filter((c) => !isEmpty(c))
        .map((c) => `${c.queue} (visible ${c.visible}, in flight ${c.notVisible}, delayed ${c.delayed})`);
      throw new DrainTimeoutError(
        `queues not drained after ${deps.timeoutMs} ms: ${busy.join('; ') || 'none'}; records held by consumers or S3 notifications pending: ${deps.inFlight()}`,
      );
    }
    await delay(deps.pollMs ?? 5);
  }
};
