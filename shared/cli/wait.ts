import type { SQSClient } from '@aws-sdk/client-sqs';
import { countMessages, isEmpty } from '#shared/local-cloud/drain.ts';

/** A command gave up waiting for the pipeline (`--timeout`): one line, exit 1. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Polls `probe` until it returns a value; a clear WaitTimeoutError after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new WaitTimeoutError(
        `gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (raise --timeout, or check the pipeline's log)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * From outside the consuming process (a running `local up`, or AWS), the queues at `urls` are settled
 * when they read empty (nothing visible, in flight or delayed) on two looks in a row: a consumer
 * deletes a message only after its work is done. Throws WaitTimeoutError after `timeoutMs`.
 */
export async function settleQueuesFromOutside(
  sqs: SQSClient,
  urls: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<void> {
  let quiet = 0;
  await waitUntil(`queues ${Object.keys(urls).join(', ')} to empty`, timeoutMs, async () => {
    const counts = await Promise.all(Object.entries(urls).map(([q, url]) => countMessages(sqs, q, url)));
    const empty = counts.map(isEmpty);
    quiet = empty.every(Boolean) ? quiet + 1 : 0;
    return quiet >= 2 ? true : undefined;
  });
}
