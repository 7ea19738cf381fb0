// Over 300 lines: the one home of every DynamoDB adapter's plumbing (metering, errors, conditional puts, the batch and Query loops).
import { setTimeout as delay } from 'node:timers/promises';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '#domain/concurrency.ts';
import { DomainError, TransientError } from '#domain/errors.ts';

/**
 * What every DynamoDB adapter shares: capacity metering (ReturnConsumedCapacity summed, so tests and
 * benchmarks count billed units instead of guessing), translation of SDK errors into domain errors,
 * and a bounded-concurrency map for single-item conditional writes.
 */

/** Capacity units consumed, summed over calls (as ReturnConsumedCapacity TOTAL reports them). */
export type CapacityMeter = { read: number; write: number };

export const makeCapacityMeter = (): CapacityMeter => ({ read: 0, write: 0 });

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/** Throttling, 5xx and dropped connections become TransientError (retry); anything else is rethrown as is. */
export const translateDynamoDbError = (err: unknown, operation: string): unknown => {
  if (err instanceof DomainError || !(err instanceof Error)) return err;
  const meta = err as Error & { $fault?: string; $retryable?: unknown; code?: string };
  const transient =
    THROTTLING.has(err.name) ||
    meta.$fault === 'server' ||
    meta.$retryable !== undefined ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(meta.code ?? '');
  return transient ? new TransientError(`DynamoDB ${operation} failed: ${err.name}`, { cause: err }) : err;
};

export const isConditionFailure = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

/** DynamoDB bills a failed conditional write by item size but reports no capacity: estimate it. */
export const estimatedWriteUnits = (item: Record<string, unknown>): number =>
  Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024));

/** Sends one call, adds its consumed capacity to the meter, translates SDK errors to domain errors. */
export const meteredSend = async <T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
  meter: CapacityMeter | undefined,
  operation: string,
  kind: 'read' | 'write',
  call: () => Promise<T>,
): Promise<T> => {
  let out: T;
  try {
    out = await call();
  } catch (err) {
    throw translateDynamoDbError(err, operation);
  }
  if (meter !== undefined && out.ConsumedCapacity !== undefined) {
    const all = Array.isArray(out.ConsumedCapacity) ? out.ConsumedCapacity : [out.ConsumedCapacity];
    for (const c of all) meter[kind] += c.CapacityUnits ?? 0;
  }
  return out;
};

/**
 * Writes `item` only if `condition` holds (with `values` for its placeholders): true when written, false
 * when the condition failed. The failed write is still billed, so it is estimated into the meter.
 */
export const putIf = async (
  ddb: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  meter: CapacityMeter | undefined,
  condition: { readonly expression: string; readonly values?: Record<string, unknown> },
): Promise<boolean> => {
  try {
    await meteredSend(meter, 'PutItem', 'write', () =>
      ddb.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition.expression,
          ...(condition.values === undefined ? {} : { ExpressionAttributeValues: condition.values }),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return true;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    if (meter !== undefined) meter.write += estimatedWriteUnits(item);
    return false;
  }
};

/** Writes `item` only if no item has its key (attribute_not_exists(pk)): true when written. */
export const putIfAbsent = (
  ddb: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  meter: CapacityMeter | undefined,
): Promise<boolean> => putIf(ddb, tableName, item, meter, { expression: 'attribute_not_exists(pk)' });

export type BackoffOptions = {
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts in all, the first included (default 8). */
  readonly maxAttempts?: number;
};

const realSleep = (ms: number): Promise<void> => delay(ms);

/** Exponential backoff with full jitter: before attempt n+1, wait U(0, min(2 s, 50 ms × 2^n)). */
export const backoffDelayMs = (attempt: number): number => Math.random() * Math.min(2000, 50 * 2 ** attempt);

/**
 * Runs `op`, retrying a TransientError (throttling, 5xx, dropped connection: see translateDynamoDbError)
 * with exponential backoff and jitter, so a burst on one partition slows a chunk down instead of failing
 * it whole. Past `maxAttempts` the TransientError goes up (SQS then redelivers the message).
 */
export async function withBackoff<T>(op: () => Promise<T>, opts: BackoffOptions = {}): Promise<T> {
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= maxAttempts) throw err;
      await sleep(backoffDelayMs(attempt));
    }
  }
}

type Key = Record<string, unknown>;

export type BatchOptions = BackoffOptions & {
  readonly meter?: CapacityMeter | undefined;
  /**
   * Batch calls in flight at once. The items of one call usually share a partition key (a pool's
   * coverage, one deduction file): a small bound keeps one partition under its ~1,000 writes/s.
   */
  readonly concurrency?: number;
};

const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;

const pagesOf = <T>(items: readonly T[], size: number): T[][] => {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
};

/**
 * The one BatchWriteItem loop: puts `items` 25 per call, at most `concurrency` calls in flight (default 4),
 * retrying UnprocessedItems and throttled calls with exponential backoff and jitter, consumed capacity
 * metered. Raises TransientError when items are still unprocessed after `maxAttempts` (SQS then retries).
 */
export async function batchPutAll(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  opts: BatchOptions = {},
): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 8;
  await mapBounded(pagesOf(items, BATCH_WRITE_LIMIT), opts.concurrency ?? 4, async (page) => {
    let pending = page.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await withBackoff(
        () =>
          meteredSend(opts.meter, 'BatchWriteItem', 'write', () =>
            ddb.send(
              new BatchWriteCommand({
                RequestItems: { [tableName]: pending },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            ),
          ),
        opts,
      );
      pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: r.PutRequest.Item } }],
      );
      if (pending.length === 0) return;
      if (attempt >= maxAttempts)
        throw new TransientError(
          `DynamoDB BatchWriteItem: items still unprocessed after ${attempt} attempts`,
        );
      await sleep(backoffDelayMs(attempt));
    }
  });
}

/**
 * The one BatchGetItem loop: gets `keys` 100 per call, at most `concurrency` calls in flight (default 4),
 * retrying UnprocessedKeys and throttled calls with backoff and jitter, metered. Returns the items found
 * (in no particular order). `consistent` and `projection` (attribute names) are passed on.
 */
export async function batchGetAll(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  opts: BatchOptions & { readonly consistent?: boolean; readonly projection?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> {
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 8;
  const projection =
    opts.projection === undefined
      ? {}
      : {
          ProjectionExpression: opts.projection.map((_, i) => `#p${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(opts.projection.map((name, i) => [`#p${i}`, name])),
        };
  const pages = await mapBounded(pagesOf(keys, BATCH_GET_LIMIT), opts.concurrency ?? 4, async (page) => {
    const found: Record<string, unknown>[] = [];
    let pending: Key[] = page;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await withBackoff(
        () =>
          meteredSend(opts.meter, 'BatchGetItem', 'read', () =>
            ddb.send(
              new BatchGetCommand({
                RequestItems: {
                  [tableName]: {
                    Keys: pending,
                    ...(opts.consistent ? { ConsistentRead: true } : {}),
                    ...projection,
                  },
                },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            ),
          ),
        opts,
      );
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts)
        throw new TransientError(`DynamoDB BatchGetItem: keys still unprocessed after ${attempt} attempts`);
      await sleep(backoffDelayMs(attempt));
    }
    return found;
  });
  return pages.flat();
}

/** One Query's parameters, without the paging and metering fields the helpers below set. */
export type QueryInput = Omit<QueryCommandInput, 'ExclusiveStartKey' | 'ReturnConsumedCapacity'>;

/**
 * The one Query-paging loop: sends `input` and then again from each LastEvaluatedKey until DynamoDB
 * returns none (a page ends at `Limit` items or 1 MB), each call metered and its SDK errors translated
 * (meteredSend). Yields each non-empty page in key order. `startKey` resumes after a known key (a
 * cursor); `operation` names the call in a TransientError.
 */
export async function* queryPages(
  ddb: DynamoDBDocumentClient,
  input: QueryInput,
  opts: {
    readonly meter?: CapacityMeter | undefined;
    readonly startKey?: Record<string, unknown>;
    readonly operation?: string;
  } = {},
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey = opts.startKey;
  do {
    const out = await meteredSend(opts.meter, opts.operation ?? 'Query', 'read', () =>
      ddb.send(
        new QueryCommand({
          ...input,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    if ((out.Items ?? []).length > 0) yield out.Items ?? [];
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** Every item of a Query (all its pages, see queryPages), in key order. For partitions of bounded size. */
export async function queryAll(
  ddb: DynamoDBDocumentClient,
  input: QueryInput,
  opts: { readonly meter?: CapacityMeter | undefined; readonly operation?: string } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(ddb, input, opts)) items.push(...page);
  return items;
}
