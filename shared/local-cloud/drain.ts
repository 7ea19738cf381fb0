import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';

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

const fauxqsQueueSchema = z.object({
  name: z.string(),
  approximateMessageCount: z.number(),
  approximateInflightCount: z.number(),
  approximateDelayedCount: z.number(),
});

/**
 * The counts of the named queues in one look at fauxqs's own state (its `/_fauxqs/queues` inspection
 * route): one plain HTTP request instead of a GetQueueAttributes call per queue, and one snapshot, taken
 * in one turn of the emulator's event loop, instead of queues read one after another. Only for the
 * embedded local cloud, whose SQS is always fauxqs; from outside (`wait.ts`) and on AWS the counts come
 * from {@link countMessages}.
 * @param names queue key -> physical queue name; a name fauxqs does not list throws (a setup error).
 */
export const fauxqsCounts = async (
  endpoint: string,
  names: readonly { queue: string; name: string }[],
): Promise<QueueCounts[]> => {
  const res = await fetch(`${endpoint}/_fauxqs/queues`);
  if (!res.ok) throw new Error(`fauxqs inspection answered ${res.status}`);
  const queues = z.array(fauxqsQueueSchema).parse(await res.json());
  const listed = new Map(queues.map((q) => [q.name, q]));
  return names.map(({ queue, name }) => {
    const q = listed.get(name);
    if (q === undefined) throw new Error(`fauxqs does not list queue ${name}`);
    return {
      queue,
      visible: q.approximateMessageCount,
      notVisible: q.approximateInflightCount,
      delayed: q.approximateDelayedCount,
    };
  });
};

/**
 * Waits until the consumed queues are empty and no poller holds a record. `counts` may read the queues
 * one at a time (GetQueueAttributes), so a handler could move a message from a queue not yet read to
 * one already read; such a handler is either still running when the look ends (records in flight) or
 * has finished during it (the activity counter moved), so a look is trusted only when neither happened.
 * A message being received is counted by SQS as in flight until the poller holds it, and an S3 event
 * not yet bridged counts as in flight too, so nothing falls between the two.
 */
export const drainQueues = async (deps: {
  /** One look at every consumed queue. */
  readonly counts: () => Promise<QueueCounts[]>;
  readonly inFlight: () => number;
  readonly activity: () => number;
  readonly timeoutMs: number;
  /** Between looks at the queues while they are not empty (default 5 ms). */
  readonly pollMs?: number;
}): Promise<void> => {
  const deadline = Date.now() + deps.timeoutMs;
  let last: QueueCounts[] = [];
  while (true) {
    if (deps.inFlight() > 0 && Date.now() <= deadline) {
      // Consumers are still working: no need to ask SQS yet (those calls compete with the work). Reading
      // the in-process counter costs nothing, so it is read every millisecond: the drain then ends within
      // a millisecond of the last record instead of up to a poll interval later, once or twice a
      // simulated day.
      await delay(1);
      continue;
    }
    const activityBefore = deps.activity();
    const inFlightBefore = deps.inFlight();
    last = await deps.counts();
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
