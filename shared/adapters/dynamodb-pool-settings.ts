import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { PoolCode } from '#domain/model.ts';
import type { PoolSettings, PoolSettingsSource } from '#domain/ports/allocation/pool-settings-source.ts';
import { queryAll, translateDynamoDbError } from './dynamodb-support.ts';

/** Defaults (docs/design.md#pools-and-agencies) for a pool registered without explicit settings. */
export const DEFAULT_POOL_SETTINGS = { horizonMonths: 12, runwayAlertMonths: 2, fileCutoffDay: 5 } as const;

const poolItemSchema = z.object({
  sk: z.string(),
  horizonMonths: z.number().int().min(1).max(120).optional(),
  runwayAlertMonths: z.number().int().min(0).max(60).optional(),
  fileCutoffDay: z.number().int().min(1).max(28).optional(),
});

const toSettings = (item: unknown): PoolSettings => {
  const p = poolItemSchema.parse(item);
  return {
    pool: p.sk,
    horizonMonths: p.horizonMonths ?? DEFAULT_POOL_SETTINGS.horizonMonths,
    runwayAlertMonths: p.runwayAlertMonths ?? DEFAULT_POOL_SETTINGS.runwayAlertMonths,
    fileCutoffDay: p.fileCutoffDay ?? DEFAULT_POOL_SETTINGS.fileCutoffDay,
  };
};

/** Pool items (registry pk='POOL', sk=<pool>) with their per-pool policy settings. */
export class DynamoDbPoolSettings implements PoolSettingsSource {
  constructor(private readonly opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {}

  async get(pool: PoolCode): Promise<PoolSettings | undefined> {
    try {
      const out = await this.opts.ddb.send(
        new GetCommand({ TableName: this.opts.tableName, Key: { pk: 'POOL', sk: pool } }),
      );
      return out.Item ? toSettings(out.Item) : undefined;
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }

  async list(): Promise<PoolSettings[]> {
    const items = await queryAll(this.opts.ddb, {
      TableName: this.opts.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'POOL' },
    });
    return items.map(toSettings);
  }
}
