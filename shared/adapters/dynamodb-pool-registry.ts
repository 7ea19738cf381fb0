import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { NotFoundError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import { TIERS } from '#domain/model.ts';
import {
  defaultPoolRecord,
  levelOf,
  POOL_DEFAULTS,
  POOL_ORIGINS,
  type PoolOrigin,
  type PoolRecord,
} from '#domain/pools.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import type { PoolPage, PoolRegistry } from '#domain/ports/pool-registry.ts';
import { type CapacityMeter, isConditionFailure, meteredSend, putIfAbsent } from './dynamodb-support.ts';

/**
 * Pool records on the registry table, item pk='POOL', sk=<pool code> (the key every reader of pools
 * already uses: DynamoDbPoolSettings, DynamoDbAgencyRegistry). Items written
 * before pools were records lack level/origin: they read as the code's level, registered by PAYROLL.
 *
 * The directory is one item collection read page by page in code order, never all at once: a fan-out
 * asks for a page, sends its jobs, and passes the last code on (docs/pools-and-areas.md).
 */
const itemSchema = z.object({
  sk: z.string(),
  name: z.string().optional(),
  parent: z.string().optional(),
  horizonMonths: z.number().int().optional(),
  runwayAlertMonths: z.number().int().optional(),
  fileCutoffDay: z.number().int().optional(),
  tierDefault: z.enum(TIERS).optional(),
  registeredBy: z.enum(POOL_ORIGINS).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

export const poolRecordOf = (item: unknown): PoolRecord => {
  const p = itemSchema.parse(item);
  return {
    pool: p.sk,
    level: levelOf(p.sk),
    ...(p.parent === undefined ? {} : { parent: p.parent }),
    ...(p.name === undefined ? {} : { name: p.name }),
    horizonMonths: p.horizonMonths ?? POOL_DEFAULTS.horizonMonths,
    runwayAlertMonths: p.runwayAlertMonths ?? POOL_DEFAULTS.runwayAlertMonths,
    fileCutoffDay: p.fileCutoffDay ?? POOL_DEFAULTS.fileCutoffDay,
    ...(p.tierDefault === undefined ? {} : { tierDefault: p.tierDefault }),
    registeredBy: p.registeredBy ?? 'PAYROLL',
    createdAt: p.createdAt ?? '',
    ...(p.updatedAt === undefined ? {} : { updatedAt: p.updatedAt }),
  };
};

/** The stored item of a record (pk/sk plus its fields). */
export const poolItemOf = (r: PoolRecord): Record<string, unknown> => {
  const { pool, ...rest } = r;
  return { pk: 'POOL', sk: pool, ...rest };
};

/** A pool record's optional fields: removed from the item when a replacing record leaves them out. */
const OPTIONAL_FIELDS = ['parent', 'name', 'tierDefault', 'updatedAt'] as const;

export class DynamoDbPoolRegistry implements PoolRegistry, PoolDirectory {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
  /** Pools this instance has seen exist: they are never deleted, so `ensure` skips them. */
  readonly #known = new Set<PoolCode>();

  constructor(opts: {
    readonly ddb: DynamoDBDocumentClient;
    readonly tableName: string;
    readonly meter?: CapacityMeter;
  }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async ensure(pool: PoolCode, origin: PoolOrigin, at: Date): Promise<'CREATED' | 'EXISTS'> {
    if (this.#known.has(pool)) return 'EXISTS';
    return this.create(defaultPoolRecord(pool, origin, at));
  }

  async create(record: PoolRecord): Promise<'CREATED' | 'EXISTS'> {
    const created = await putIfAbsent(this.#ddb, this.#table, poolItemOf(record), this.#meter);
    this.#known.add(record.pool);
    return created ? 'CREATED' : 'EXISTS';
  }

  /**
   * Sets the record's fields on the pool's item and removes the optional ones it leaves out. An update,
   * not a put: the same item carries what other writers keep there (the intake's `firstPeriod`), which
   * an operator's `pool set` must not erase.
   * @throws NotFoundError POOL_UNKNOWN when the pool is not registered.
   */
  async replace(record: PoolRecord): Promise<void> {
    const { pk: _pk, sk: _sk, ...fields } = poolItemOf(record);
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    const remove = OPTIONAL_FIELDS.filter((f) => fields[f] === undefined);
    const names = Object.fromEntries([...set.map(([k]) => k), ...remove].map((k) => [`#${k}`, k]));
    const values = Object.fromEntries(set.map(([k, v]) => [`:${k}`, v]));
    try {
      await meteredSend(this.#meter, 'UpdateItem', 'write', () =>
        this.#ddb.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: 'POOL', sk: record.pool },
            UpdateExpression: [
              `SET ${set.map(([k]) => `#${k} = :${k}`).join(', ')}`,
              ...(remove.length === 0 ? [] : [`REMOVE ${remove.map((k) => `#${k}`).join(', ')}`]),
            ].join(' '),
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      throw new NotFoundError(`pool ${record.pool} is not registered`, { code: 'POOL_UNKNOWN' });
    }
  }

  /**
   * Whether the pool is registered: a key-only read, remembered once seen (pools are never deleted), so
   * ingest's per-message check costs one read per pool per Lambda container.
   */
  async poolExists(pool: PoolCode): Promise<boolean> {
    if (this.#known.has(pool)) return true;
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: 'POOL', sk: pool },
          ProjectionExpression: 'pk',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    if (out.Item === undefined) return false;
    this.#known.add(pool);
    return true;
  }

  async get(pool: PoolCode): Promise<PoolRecord | undefined> {
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: 'POOL', sk: pool },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return out.Item === undefined ? undefined : poolRecordOf(out.Item);
  }

  async page(opts: {
    readonly after?: PoolCode;
    readonly limit: number;
    readonly area?: PoolCode;
  }): Promise<PoolPage> {
    const { area, after, limit } = opts;
    // `begins_with(sk, '15.04')` then the exact filter: a prefix without its dot would also match `15.040`
    // were such a code possible; fixed-width groups make it impossible, the filter keeps it true anyway.
    const out = await meteredSend(this.#meter, 'Query', 'read', () =>
      this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: area === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :area)',
          ExpressionAttributeValues: { ':pk': 'POOL', ...(area === undefined ? {} : { ':area': area }) },
          ...(after === undefined ? {} : { ExclusiveStartKey: { pk: 'POOL', sk: after } }),
          Limit: limit,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    const pools = (out.Items ?? []).map(poolRecordOf);
    const lastKey = out.LastEvaluatedKey?.sk;
    return { pools, ...(typeof lastKey === 'string' ? { next: lastKey } : {}) };
  }
}
