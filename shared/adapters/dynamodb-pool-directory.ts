import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PoolCode } from '#domain/model.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import { type CapacityMeter, translateDynamoDbError } from './dynamodb-support.ts';

/**
 * A pool is the registry item pk='POOL', sk=<poolCode>; this adapter only reads it. Pools are never
 * deleted, so a pool seen once is remembered for the life of the instance (a Lambda container).
 */
export class DynamoDbPoolDirectory implements PoolDirectory {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
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

  async poolExists(pool: PoolCode): Promise<boolean> {
    if (this.#known.has(pool)) return true;
    try {
      const out = await this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: 'POOL', sk: pool },
          ProjectionExpression: 'pk',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      if (this.#meter !== undefined) this.#meter.read += out.ConsumedCapacity?.CapacityUnits ?? 0;
      if (out.Item === undefined) return false;
      this.#known.add(pool);
      return true;
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }
}
