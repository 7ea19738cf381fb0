import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { TransientError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import { TIERS } from '#domain/model.ts';
import type { CoverageStore, StoredCoverage } from '#domain/ports/allocation.ts';
import { type CapacityMeter, meteredSend } from './dynamodb-support.ts';

/**
 * Coverage state per worker in the `registry` table: pk `COVERAGE#<pool>`, sk `<nik>`,
 * {tier, month, status, paidThrough?, unpaidStreak, prior}. Current state, not history: the history is
 * the allocation log, and `prior` lets a re-run of a month start again from the state before it.
 * One partition per pool so a run lists the pool's coverage with one paginated Query.
 */

const TOTAL = 'TOTAL' as const;
const BATCH_WRITE_LIMIT = 25;

const stateSchema = z.object({
  status: z.enum(['WAITLISTED', 'ACTIVE', 'LAPSED']),
  paidThrough: z.string().optional(),
  unpaidStreak: z.number().int().nonnegative(),
});

const coverageItemSchema = stateSchema.extend({
  sk: z.string(),
  tier: z.enum(TIERS),
  month: z.string(),
  prior: stateSchema,
});

type Item = Record<string, unknown>;

const stateItem = (s: z.infer<typeof stateSchema>): Item => ({
  status: s.status,
  ...(s.paidThrough === undefined ? {} : { paidThrough: s.paidThrough }),
  unpaidStreak: s.unpaidStreak,
});

const fromItem = (raw: unknown): StoredCoverage => {
  const item = coverageItemSchema.parse(raw);
  return {
    nik: item.sk,
    tier: item.tier,
    month: item.month,
    status: item.status,
    ...(item.paidThrough === undefined ? {} : { paidThrough: item.paidThrough }),
    unpaidStreak: item.unpaidStreak,
    prior: {
      status: item.prior.status,
      ...(item.prior.paidThrough === undefined ? {} : { paidThrough: item.prior.paidThrough }),
      unpaidStreak: item.prior.unpaidStreak,
    },
  };
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type DynamoDbCoverageStoreOptions = {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter?: CapacityMeter;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxBatchAttempts?: number;
  readonly pageSize?: number;
};

export class DynamoDbCoverageStore implements CoverageStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxAttempts: number;
  readonly #pageSize: number;

  constructor(opts: DynamoDbCoverageStoreOptions) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
    this.#sleep = opts.sleep ?? defaultSleep;
    this.#maxAttempts = opts.maxBatchAttempts ?? 8;
    this.#pageSize = opts.pageSize ?? 1000;
  }

  async *list(pool: PoolCode): AsyncIterable<readonly StoredCoverage[]> {
    let startKey: Item | undefined;
    do {
      const out = await meteredSend(this.#meter, 'Query', 'read', () =>
        this.#ddb.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `COVERAGE#${pool}` },
            // A run plans from this state: it must include the previous run's last writes.
            ConsistentRead: true,
            Limit: this.#pageSize,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      const page = (out.Items ?? []).map(fromItem);
      if (page.length > 0) yield page;
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async put(pool: PoolCode, records: readonly StoredCoverage[]): Promise<void> {
    // BatchWriteItem rejects two puts of one key in a batch: the last record per NIK wins, as it would in order.
    const byNik = new Map(records.map((r) => [r.nik, r]));
    const items = [...byNik.values()].map((r) => ({
      pk: `COVERAGE#${pool}`,
      sk: r.nik,
      tier: r.tier,
      month: r.month,
      ...stateItem(r),
      prior: stateItem(r.prior),
    }));
    const batches: Item[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT)
      batches.push(items.slice(i, i + BATCH_WRITE_LIMIT));
    await Promise.all(batches.map((b) => this.#batchPut(b)));
  }

  async #batchPut(items: Item[]): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await meteredSend(this.#meter, 'BatchWriteItem', 'write', () =>
        this.#ddb.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: pending }, ReturnConsumedCapacity: TOTAL }),
        ),
      );
      pending = (out.UnprocessedItems?.[this.#table] ?? []).flatMap((r) =>
        r.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: r.PutRequest.Item } }],
      );
      if (pending.length === 0) return;
      if (attempt >= this.#maxAttempts) {
        throw new TransientError(
          `DynamoDB BatchWriteItem: items still unprocessed after ${attempt} attempts`,
        );
      }
      await this.#sleep(Math.random() * Math.min(2000, 50 * 2 ** attempt));
    }
  }
}
