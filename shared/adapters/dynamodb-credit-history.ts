import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CreditClosing } from '#domain/credit-closing.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { CreditHistory } from '#domain/ports/credit-history.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';
import { type CapacityMeter, meteredSend, queryAll, queryPages } from './dynamodb-support.ts';
import { type CreditItem, creditItemSchema, ledgerKeys, periodCreditsOf } from './ledger-keys.ts';

/**
 * The credit side of the ledger by recording time (layout in dynamodb-credit-ledger.ts):
 * - `CREDITREC#<pool>#<month>`: one index item per commit attempt of a chunk summary or grant, sk
 *   `<recordedAt>#<credit sk>`. A month's credits up to an instant are one Query (sk ≤ instant), then
 *   one Query of the summaries of each period the index items name: an item counts only if its credit
 *   exists and carries that same recordedAt (an attempt that crashed before its commit, or lost the
 *   race to another, left an index item the committed credit does not match). Reading the period's
 *   summaries (a few dozen small items, one request) costs less than a GetItem per credit.
 * - `CLOSING#<pool>`: the monthly closings (domain/credit-closing.ts), written by the allocation's
 *   month outputs; the newest before a month is one Query with Limit 1.
 */

const rupiah = z.number().int().safe();
const closingItemSchema = z.object({
  pool: z.string(),
  month: z.string(),
  credits: z.array(
    z.object({
      period: z.string(),
      deductions: rupiah,
      corrections: rupiah,
      grants: rupiah,
      deductionRows: z.number().int().nonnegative(),
    }),
  ),
});

/** What the sums need of a credit; a summary also carries its earmarks and file id. */
const PROJECTED = ['sk', 'kind', 'period', 'agency', 'total', 'rows', 'amount', 'recordedAt'] as const;

export type DynamoDbCreditHistoryOptions = {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter?: CapacityMeter;
};

export class DynamoDbCreditHistory implements CreditHistory {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: DynamoDbCreditHistoryOptions) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async recordedIn(pool: PoolCode, month: Period, upTo: Date): Promise<PeriodCredits[]> {
    const index = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
        // recordedAt is a fixed-width ISO instant and '$' sorts after '#': every `<upTo>#…` is inside.
        ExpressionAttributeValues: {
          ':pk': ledgerKeys.recordedPartition(pool, month),
          ':upTo': `${upTo.toISOString()}$`,
        },
      },
      { meter: this.#meter },
    );
    const attempts = index.map((item) => {
      const sk = z.string().parse(item.sk);
      const cut = sk.indexOf('#');
      return { recordedAt: sk.slice(0, cut), creditSk: sk.slice(cut + 1) };
    });
    // The credits the attempts name, one Query per period they fall in (usually the month itself, plus
    // the period of a late file or a correction): the committed ones carry the attempt's recordedAt.
    const periods = [...new Set(attempts.map((a) => a.creditSk.slice(0, a.creditSk.indexOf('#'))))];
    const committed = new Map<string, CreditItem>();
    for (const items of await Promise.all(periods.map((period) => this.#creditsOf(pool, period))))
      for (const item of items) committed.set(item.sk, item);
    const counted = new Map<string, CreditItem>();
    for (const a of attempts) {
      const credit = committed.get(a.creditSk);
      if (credit !== undefined && credit.recordedAt === a.recordedAt) counted.set(a.creditSk, credit);
    }
    return periodCreditsOf([...counted.values()]);
  }

  async #creditsOf(pool: PoolCode, period: Period): Promise<CreditItem[]> {
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :period)',
        ExpressionAttributeValues: { ':pk': ledgerKeys.creditPartition(pool), ':period': `${period}#` },
        ProjectionExpression: PROJECTED.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(PROJECTED.map((name, i) => [`#a${i}`, name])),
      },
      { meter: this.#meter },
    );
    return items.map((item) => creditItemSchema.parse(item));
  }

  async putClosing(closing: CreditClosing): Promise<void> {
    await meteredSend(this.#meter, 'PutItem', 'write', () =>
      this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...ledgerKeys.closing(closing.pool, closing.month),
            pool: closing.pool,
            month: closing.month,
            credits: closing.credits.map((c) => ({
              period: c.period,
              deductions: c.deductions,
              corrections: c.corrections,
              grants: c.grants,
              deductionRows: c.deductionRows,
            })),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  async closingBefore(pool: PoolCode, month: Period): Promise<CreditClosing | undefined> {
    const { pk } = ledgerKeys.closing(pool, month);
    const newestFirst = queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND sk < :month',
        ExpressionAttributeValues: { ':pk': pk, ':month': month },
        ScanIndexForward: false,
        Limit: 1,
      },
      { meter: this.#meter },
    );
    // One page of one item: leaving the loop stops the paging.
    for await (const [item] of newestFirst)
      return item === undefined ? undefined : closingItemSchema.parse(item);
    return undefined;
  }
}
