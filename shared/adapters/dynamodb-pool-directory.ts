import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PoolCode } from '#domain/model.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import { translateDynamoDbError } from './dynamodb-credit-ledger.ts';

/** A pool is the registry item pk='POOL', sk=<poolCode>; this adapter only reads it. */
export class DynamoDbPoolDirectory implements PoolDirectory {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
  }

  async poolExists(pool: PoolCode): Promise<boolean> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: { pk: 'POOL', sk: pool }, ProjectionExpression: 'pk' }),
      );
      return out.Item !== undefined;
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }
}
