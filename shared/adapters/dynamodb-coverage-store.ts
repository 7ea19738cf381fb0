import { setTimeout as delay } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { mapBounded } from '#domain/concurrency.ts';
import type { PoolCode } from '#domain/model.ts';
import { TIERS } from '#domain/model.ts';
import type {
  CoverageFence,
  CoverageStore,
  StoredCoverage,
} from '#domain/ports/allocation/coverage-store.ts';
import { type CapacityMeter, putIf, queryPages, withBackoff } from './dynamodb-support.ts';

/**
 * Coverage state per worker in the `registry` table: pk `COVERAGE#<pool>`, sk `<nik>`,
 * {tier, month, status, paidThrough?, unpaidStreak, prior}. Current state, not history: the history is
 * the allocation log, and `prior` lets a re-run of a month start again from the state before it.
 * One partition per pool so a run lists the pool's coverage with one paginated Query.
 */

const _TOTAL = 'TOTAL' as const;
/** Conditional puts in flight on the pool's one partition (well under its 1,000 writes/s). */
const WRITE_CONCURRENCY = 16;

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
  fence: z.string().optional(),
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

const defaultSleep = (ms: number): Promise<void> => delay(ms);

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
    const pages = queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `COVERAGE#${pool}` },
        // A run plans from this state: it must include the previous run's last writes.
        ConsistentRead: true,
        Limit: this.#pageSize,
      },
      { meter: this.#meter },
    );
    for await (const page of pages) yield page.map(fromItem);
  }

  async put(
    pool: PoolCode,
    records: readonly StoredCoverage[],
    fence: CoverageFence,
  ): Promise<{ fenced: number }> {
    // One conditional PutItem per worker (BatchWriteItem takes no condition): the same write units,
    // and the fence makes a slow walker of an older run unable to overwrite a later run's state.
    const byNik = new Map(records.map((r) => [r.nik, r]));
    const mark = fenceOf(fence);
    const outcomes = await mapBounded([...byNik.values()], WRITE_CONCURRENCY, (r) =>
      withBackoff(
        () =>
          putUnlessFenced(
            this.#ddb,
            this.#table,
            {
              pk: `COVERAGE#${pool}`,
              sk: r.nik,
              tier: r.tier,
              month: r.month,
              ...stateItem(r),
              prior: stateItem(r.prior),
              fence: mark,
            },
            this.#meter,
          ),
        { sleep: this.#sleep, maxAttempts: this.#maxAttempts },
      ),
    );
    return { fenced: outcomes.filter((written) => !written).length };
  }
}

/** `<month>#<seq, 3 digits>`: ordered as text, as runs are ordered in time. */
export const fenceOf = (f: CoverageFence): string => `${f.month}#${String(f.seq).padStart(3, '0')}`;

/** The fence: the stored record is replaced only by a write of the same or a later run. */
const putUnlessFenced = (
  ddb: DynamoDBDocumentClient,
  table: string,
  item: Item,
  meter: CapacityMeter | undefined,
) =>
  putIf(ddb, table, item, meter, {
    expression: 'attribute_not_exists(fence) OR fence <= :fence',
    values: { ':fence': item.fence },
  });
