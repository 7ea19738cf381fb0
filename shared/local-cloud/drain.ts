import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export class DrainTimeoutError extends Error {
  override readonly name = 'DrainTimeoutError';
}

type QueueCounts = { queue: string; visible: number; notVisible: number; delayed: number };

const countMessages = async (sqs: SQSClient, queue: string, url: string): Promise<QueueCounts> => {
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

const isEmpty = (c: QueueCounts): boolean => c.visible + c.notVisible + c.delayed === 0;

/**
 * Waits until the consumed queues are empty and no poller holds a record. The queue counts are read
 * one queue at a time, so a handler could move a message from a queue not yet read to one already
 * read; the activity counter (finished invocations) catches that, and two quiet looks in a row are
 * required before declaring the system idle.
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
  let quietLooks = 0;
  let last: QueueCounts[] = [];
  while (true) {
    if (deps.inFlight() > 0 && Date.now() <= deadline) {
      // Consumers are still working: no need to ask SQS yet (those calls compete with the work).
      quietLooks = 0;
      await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 5));
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
    quietLooks = quiet ? quietLooks + 1 : 0;
    if (quietLooks >= 2) return;
    if (Date.now() > deadline) {
      const busy = last
        .filter((c) => !isEmpty(c))
        .map((c) => `${c.queue} (visible ${c.visible}, in flight ${c.notVisible}, delayed ${c.delayed})`);
      throw new DrainTimeoutError(
        `queues not drained after ${deps.timeoutMs} ms: ${busy.join('; ') || 'none'}; records held by consumers or S3 notifications pending: ${deps.inFlight()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 5));
  }
};
