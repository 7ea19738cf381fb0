import { setTimeout as delay } from 'node:timers/promises';
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
    await delay(intervalMs);
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

/** Maps `items` through `fn`, `size` at a time (each group after the one before), results in item order. */
export async function mapInGroups<I, O>(
  items: readonly I[],
  size: number,
  fn: (item: I) => Promise<O>,
): Promise<O[]> {
  const out: O[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/**
 * Polls `probe` for each item until every one has returned a value: each round probes only the items
 * still pending, `concurrency` at a time (1,562 village pools are not 1,562 pollers), then reports
 * (done, total). Values come back in item order. A WaitTimeoutError after `timeoutMs` says how many
 * of `what` are still pending.
 */
export async function waitForEach<I, T>(
  what: string,
  items: readonly I[],
  timeoutMs: number,
  probe: (item: I) => Promise<T | undefined>,
  opts: {
    concurrency?: number;
    intervalMs?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<T[]> {
  const values = new Map<number, T>();
  let pending = items.map((_, i) => i);
  await waitUntil(
    what,
    timeoutMs,
    async () => {
      const found = await mapInGroups(pending, opts.concurrency ?? 16, async (i) => probe(items[i] as I));
      pending = pending.filter((i, k) => {
        const value = found[k];
        if (value === undefined) return true;
        values.set(i, value);
        return false;
      });
      opts.onProgress?.(values.size, items.length);
      return pending.length === 0 ? true : undefined;
    },
    opts.intervalMs,
  ).catch((error: unknown) => {
    if (error instanceof WaitTimeoutError)
      throw new WaitTimeoutError(`${error.message}; ${pending.length} of ${items.length} still pending`);
    throw error;
  });
  return items.map((_, i) => values.get(i) as T);
}
