import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import type { AgencyPeriodCredit, FileDeliveries } from '#domain/ports/file-deliveries.ts';
import type { CapacityMeter } from './dynamodb-support.ts';
import { queryPages } from './dynamodb-support.ts';
import { chunkSummaryItemSchema, grantItemSchema, ledgerKeys } from './ledger-keys.ts';

/** The projected credit item (creditItemSchema's fields the sums need); grants carry no agency. */
const summarySchema = z.discriminatedUnion('kind', [
  chunkSummaryItemSchema.pick({ kind: true, agency: true, period: true, total: true, rows: true }),
  grantItemSchema.pick({ kind: true }),
]);

/**
 * Deliveries read from the ledger's chunk summaries (pk `CREDIT#<pool>`, sk `<period>#<agency>#<chunkId>`):
 * one Query on a sort-key range per call, never the deduction rows. A summary is written only once its
 * chunk is committed, so an agency counts as delivered once money from its file is in the ledger.
 */
export class DynamoDbFileDeliveries implements FileDeliveries {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: { ddb: DynamoDBDocumentClient; tableName: string; meter?: CapacityMeter }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async agenciesDelivered(pool: PoolCode, period: Period): Promise<AgencyCode[]> {
    const credits = await this.agencyCredits(pool, period, period);
    return [...new Set(credits.filter((c) => c.rows > 0).map((c) => c.agency))].sort();
  }

  async agencyCredits(pool: PoolCode, from: Period, to: Period): Promise<AgencyPeriodCredit[]> {
    const sums = new Map<string, { agency: AgencyCode; period: Period; total: number; rows: number }>();
    const pages = queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // '$' sorts after '#', so every `<to>#…` key is inside the range.
        ExpressionAttributeValues: {
          ':pk': ledgerKeys.creditPartition(pool),
          ':from': `${from}#`,
          ':to': `${to}$`,
        },
        // Only what the sums need: a summary also carries its earmarks, file id and keys.
        ProjectionExpression: '#kind, #agency, #period, #total, #rows',
        ExpressionAttributeNames: {
          '#kind': 'kind',
          '#agency': 'agency',
          '#period': 'period',
          '#total': 'total',
          '#rows': 'rows',
        },
      },
      { meter: this.#meter },
    );
    for await (const page of pages) {
      for (const raw of page) {
        const item = summarySchema.parse(raw);
        if (item.kind === 'GRANT') continue;
        const key = `${item.agency}|${item.period}`;
        const s = sums.get(key) ?? { agency: item.agency, period: item.period, total: 0, rows: 0 };
        s.total += item.total;
        if (item.kind === 'DEDUCTION') s.rows += item.rows;
        sums.set(key, s);
      }
    }
    return [...sums.values()];
  }
}
