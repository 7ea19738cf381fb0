import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ALERT_KINDS, type KindCounts } from '#domain/alerts.ts';
import type { PoolAlertSummary, PoolMonthSummary } from '#domain/areas.ts';
import type { IsoDate, Period, PoolCode } from '#domain/model.ts';
import { provinceOf } from '#domain/pools.ts';
import type { AreaSummaries } from '#domain/ports/area-summaries.ts';
import { type CapacityMeter, meteredSend, queryPages } from './dynamodb-support.ts';

/**
 * Area summaries on the ledger table, one item per pool and month (or date), partitioned by province:
 *   pk=`AREA#<province>#MONTH#<YYYY-MM>`  sk=<pool>   (written by allocate-pool with the month's outputs)
 *   pk=`AREA#<province>#ALERTS#<date>`    sk=<pool>   (written by scan-lapses when the day's scan is done)
 * An area query is one Query on its province's partition with `begins_with(sk, <area>)`: a province's
 * pools are one partition per month (1,562 items for Jambi), and the 38 provinces spread a national
 * rollout over 38 partitions. Each pool writes its own item, so no item is shared (no hot counter).
 */
const rupiah = z.number().int().safe();
const monthSchema = z.object({
  pool: z.string(),
  month: z.string(),
  status: z.enum(['COMPLETED', 'RUNNING']),
  runCount: z.number().int(),
  opening: rupiah,
  credits: z.object({ deductions: rupiah, corrections: rupiah, grants: rupiah, total: rupiah }),
  allocated: rupiah,
  closing: rupiah,
  workers: z.object({
    funded: z.number().int(),
    admitted: z.number().int(),
    unfunded: z.number().int(),
    lapsed: z.number().int(),
    waitlisted: z.number().int(),
  }),
  balanced: z.boolean(),
  writtenAt: z.string(),
});
// A kind added after a summary was stored reads as none of it (0 new, 0 open), so older days still parse.
const countsSchema = z.object(
  Object.fromEntries(
    ALERT_KINDS.map((k) => [
      k,
      z.object({ new: z.number().int(), open: z.number().int() }).default({ new: 0, open: 0 }),
    ]),
  ),
);
const alertsSchema = z.object({
  pool: z.string(),
  date: z.string(),
  counts: countsSchema,
  workersScanned: z.number().int(),
  writtenAt: z.string(),
});

const monthPk = (pool: PoolCode, month: Period) => `AREA#${provinceOf(pool)}#MONTH#${month}`;
const alertsPk = (pool: PoolCode, date: IsoDate) => `AREA#${provinceOf(pool)}#ALERTS#${date}`;

export class DynamoDbAreaSummaries implements AreaSummaries {
  constructor(
    private readonly opts: {
      readonly ddb: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly meter?: CapacityMeter;
    },
  ) {}

  async putMonth(s: PoolMonthSummary): Promise<void> {
    await this.#put({ pk: monthPk(s.pool, s.month), sk: s.pool, ...s });
  }

  async putAlerts(s: PoolAlertSummary): Promise<void> {
    await this.#put({ pk: alertsPk(s.pool, s.date), sk: s.pool, ...s });
  }

  async *months(area: PoolCode, month: Period): AsyncIterable<readonly PoolMonthSummary[]> {
    for await (const items of this.#query(monthPk(area, month), area))
      yield items.map((i) => monthSchema.parse(i));
  }

  async *alerts(area: PoolCode, date: IsoDate): AsyncIterable<readonly PoolAlertSummary[]> {
    for await (const items of this.#query(alertsPk(area, date), area))
      yield items.map((i) => {
        const a = alertsSchema.parse(i);
        return { ...a, counts: a.counts as KindCounts };
      });
  }

  async #put(item: Record<string, unknown>): Promise<void> {
    await meteredSend(this.opts.meter, 'PutItem', 'write', () =>
      this.opts.ddb.send(
        new PutCommand({ TableName: this.opts.tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      ),
    );
  }

  async *#query(pk: string, area: PoolCode): AsyncIterable<readonly Record<string, unknown>[]> {
    // A province's own code is the whole partition; below it, the pools whose code starts with the area.
    const below = area.length > 2;
    yield* queryPages(
      this.opts.ddb,
      {
        TableName: this.opts.tableName,
        KeyConditionExpression: below ? 'pk = :pk AND begins_with(sk, :area)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(below ? { ':area': area } : {}) },
      },
      { meter: this.opts.meter },
    );
  }
}
