import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type PoolCode, TIERS } from '#domain/model.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { type CapacityMeter, meteredSend } from './dynamodb-support.ts';

/**
 * Coverage records (registry pk `COVERAGE#<pool>`, sk `<nik>`, written by DynamoDbCoverageStore) one
 * page at a time. The token is the last NIK of the page: the sort key alone rebuilds the
 * ExclusiveStartKey, so a scan can persist it and continue in another invocation.
 */
const stateSchema = z.object({
  status: z.enum(['WAITLISTED', 'ACTIVE', 'LAPSED']),
  paidThrough: z.string().optional(),
  unpaidStreak: z.number().int().nonnegative(),
});
const itemSchema = stateSchema.extend({
  sk: z.string(),
  tier: z.enum(TIERS),
  month: z.string(),
  prior: stateSchema,
});

const state = (s: z.infer<typeof stateSchema>) => ({
  status: s.status,
  ...(s.paidThrough === undefined ? {} : { paidThrough: s.paidThrough }),
  unpaidStreak: s.unpaidStreak,
});

export class DynamoDbCoveragePages implements CoveragePages {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: { ddb: DynamoDBDocumentClient; tableName: string; meter?: CapacityMeter }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async page(pool: PoolCode, token: string | undefined, limit: number) {
    const pk = `COVERAGE#${pool}`;
    const out = await meteredSend(this.#meter, 'Query', 'read', () =>
      this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Limit: limit,
          ...(token === undefined ? {} : { ExclusiveStartKey: { pk, sk: token } }),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    const records: StoredCoverage[] = (out.Items ?? []).map((raw) => {
      const item = itemSchema.parse(raw);
      return { nik: item.sk, tier: item.tier, month: item.month, ...state(item), prior: state(item.prior) };
    });
    const last = out.LastEvaluatedKey?.sk;
    return { records, ...(typeof last === 'string' ? { next: last } : {}) };
  }
}
