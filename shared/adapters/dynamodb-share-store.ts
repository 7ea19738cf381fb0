import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import type { AgencyLine, DonorLine, MonthApportionment, MonthHead } from '#domain/month-shares.ts';
import type { ShareReader, ShareStore } from '#domain/ports/shares.ts';
import { batchPutAll, type CapacityMeter, meteredSend, queryAll } from './dynamodb-support.ts';

/**
 * Stored month shares in the `ledger` table (docs/finance-queries.md):
 *
 * | item | pk | sk |
 * |---|---|---|
 * | donor line | `DSHARE#<nip>` | `<pool>#<period>` |
 * | agency line | `SHARE#<pool>#<period>` | `<agency>` |
 * | month head | `SHAREHEAD#<pool>` | `<period>` |
 *
 * A donor's statement is one Query on its own partition; an agency's month is one GetItem; a pool's
 * apportioned months are one Query. Donor lines spread over one partition per NIP (no hot key); the head
 * is written after every line, so a head present means the month's lines are complete.
 */

export const shareKeys = {
  donor: (nip: string, pool: PoolCode, period: Period) => ({ pk: `DSHARE#${nip}`, sk: `${pool}#${period}` }),
  agency: (pool: PoolCode, period: Period, agency: AgencyCode) => ({
    pk: `SHARE#${pool}#${period}`,
    sk: agency,
  }),
  head: (pool: PoolCode, period: Period) => ({ pk: `SHAREHEAD#${pool}`, sk: period }),
} as const;

const int = z.number().int().safe();
const earmark = z.object({
  nik: z.string(),
  funded: z.boolean(),
  name: z.string().optional(),
  month: z.string().optional(),
  pending: z.literal(true).optional(),
});
const donorSchema = z.object({
  pool: z.string(),
  period: z.string(),
  nip: z.string(),
  agencies: z.array(z.string()),
  deducted: int,
  corrected: int,
  net: int,
  rupiah: int,
  workerMonths100: int,
  earmarks: z.array(earmark),
});
const agencySchema = z.object({
  pool: z.string(),
  period: z.string(),
  agency: z.string(),
  donors: int,
  net: int,
  rupiah: int,
  workerMonths100: int,
  earmarks: z.array(earmark.extend({ nip: z.string() })),
});
const headSchema = z.object({
  pool: z.string(),
  period: z.string(),
  funding: z.object({
    month: z.string(),
    allocated: int,
    funded: int,
    netPayroll: int,
    payrollFunded: int,
    otherFunded: int,
    payrollWorkerMonths100: int,
  }),
  donors: int,
  agencies: int,
  basis: z.object({ chunks: int, netPayroll: int, lastRecordedAt: z.string(), runs: int }),
  computedAt: z.string(),
  exportKey: z.string().optional(),
});

type Item = Record<string, unknown>;

export class DynamoDbShareStore implements ShareStore, ShareReader {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: { ddb: DynamoDBDocumentClient; tableName: string; meter?: CapacityMeter }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async putMonth(shares: MonthApportionment): Promise<void> {
    const { pool, period } = shares.head;
    const lines: Item[] = [
      ...shares.donors.map((d) => ({ ...shareKeys.donor(d.nip, pool, period), ...d })),
      ...shares.agencies.map((a) => ({ ...shareKeys.agency(pool, period, a.agency), ...a })),
    ];
    // Donor lines sit in distinct partitions, so more calls in flight than a one-partition batch.
    await batchPutAll(this.#ddb, this.#table, lines, { meter: this.#meter, concurrency: 8 });
    await batchPutAll(this.#ddb, this.#table, [{ ...shareKeys.head(pool, period), ...shares.head }], {
      meter: this.#meter,
    });
  }

  async donorLines(nip: string): Promise<DonorLine[]> {
    return (await this.#queryAll(`DSHARE#${nip}`)).map((i) => donorSchema.parse(i));
  }

  async agencyLine(pool: PoolCode, period: Period, agency: AgencyCode): Promise<AgencyLine | undefined> {
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: shareKeys.agency(pool, period, agency),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return out.Item === undefined ? undefined : agencySchema.parse(out.Item);
  }

  async monthHeads(pool: PoolCode): Promise<MonthHead[]> {
    return (await this.#queryAll(`SHAREHEAD#${pool}`)).map((i) => headSchema.parse(i));
  }

  #queryAll(pk: string): Promise<Item[]> {
    return queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      },
      { meter: this.#meter },
    );
  }
}
