import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import type { CreditSummary, DeductionRow, DonorMembership, LedgerReader } from '#domain/ports/finance.ts';
import { type CapacityMeter, meteredSend, queryPages } from './dynamodb-support.ts';
import { creditItemSchema, ledgerKeys } from './ledger-keys.ts';

/**
 * Finance's reads of the credit side of the ledger (layout in dynamodb-credit-ledger.ts), all by Query
 * on a partition, never a Scan: summaries from `CREDIT#<pool>`, rows from `DED#<pool>#<period>#<agency>`
 * (begins_with `<nip>#` for one donor), memberships from `DONOR#<nip>`.
 */

const TOTAL = 'TOTAL' as const;
type Item = Record<string, unknown>;
const rupiah = z.number().int().safe();

const membershipSchema = z.object({ sk: z.string(), firstPeriod: z.string().optional() });

const rowSchema = z.object({
  sk: z.string(),
  amount: rupiah,
  kind: z.enum(['DEDUCTION', 'CORRECTION']),
  chunkId: z.string(),
  workerNik: z.string().optional(),
  recordedAt: z.string(),
});

export type DynamoDbLedgerQueriesOptions = {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter?: CapacityMeter;
  readonly pageSize?: number;
};

export class DynamoDbLedgerQueries implements LedgerReader {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
  readonly #pageSize: number;

  constructor(opts: DynamoDbLedgerQueriesOptions) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
    this.#pageSize = opts.pageSize ?? 1000;
  }

  async creditSummaries(pool: PoolCode, period?: Period): Promise<CreditSummary[]> {
    const out: CreditSummary[] = [];
    const prefix = period === undefined ? undefined : `${period}#`;
    for await (const page of this.#query(ledgerKeys.creditPartition(pool), prefix)) {
      for (const raw of page) {
        const item = creditItemSchema.parse(raw);
        if (item.kind === 'GRANT') {
          const reference = item.sk.slice(`${item.period}#GRANT#`.length);
          out.push({
            kind: 'GRANT',
            period: item.period,
            reference,
            amount: item.amount,
            recordedAt: item.recordedAt,
          });
        } else {
          const chunkId = item.sk.slice(`${item.period}#${item.agency}#`.length);
          out.push({
            kind: item.kind,
            period: item.period,
            agency: item.agency,
            chunkId,
            total: item.total,
            rows: item.rows,
            recordedAt: item.recordedAt,
          });
        }
      }
    }
    return out;
  }

  async *deductionRows(
    pool: PoolCode,
    period: Period,
    agency: AgencyCode,
    nip?: string,
  ): AsyncIterable<readonly DeductionRow[]> {
    const pk = ledgerKeys.deductionPartition(pool, period, agency);
    for await (const page of this.#query(pk, nip === undefined ? undefined : `${nip}#`)) {
      yield page.map((raw) => {
        const item = rowSchema.parse(raw);
        // sk = <nip>#<fileId>#D|C; a fileId may itself contain '#', so split at both ends.
        const first = item.sk.indexOf('#');
        const last = item.sk.lastIndexOf('#');
        return {
          pool,
          period,
          agency,
          nip: item.sk.slice(0, first),
          fileId: item.sk.slice(first + 1, last),
          kind: item.kind,
          amount: item.amount,
          chunkId: item.chunkId,
          ...(item.workerNik === undefined ? {} : { workerNik: item.workerNik }),
          recordedAt: item.recordedAt,
        };
      });
    }
  }

  async donorMemberships(nip: string): Promise<DonorMembership[]> {
    const out: DonorMembership[] = [];
    for await (const page of this.#query(`DONOR#${nip}`)) {
      for (const raw of page) {
        const { sk, firstPeriod } = membershipSchema.parse(raw);
        // sk = <pool>#<agency>; pool codes never contain '#'.
        const cut = sk.indexOf('#');
        out.push({
          pool: sk.slice(0, cut),
          agency: sk.slice(cut + 1),
          ...(firstPeriod === undefined ? {} : { firstPeriod }),
        });
      }
    }
    return out;
  }

  async committedChunks(
    pool: PoolCode,
    period: Period,
    agency: AgencyCode,
    chunkIds: readonly string[],
  ): Promise<Set<string>> {
    // GetItem per chunk (a donor's rows of one period sit in one or two chunks): the finance API needs
    // no BatchGetItem grant for this.
    const ids = [...new Set(chunkIds)];
    const found = await Promise.all(
      ids.map(async (chunkId) => {
        const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
          this.#ddb.send(
            new GetCommand({
              TableName: this.#table,
              Key: { pk: ledgerKeys.creditPartition(pool), sk: `${period}#${agency}#${chunkId}` },
              ProjectionExpression: 'sk',
              ReturnConsumedCapacity: TOTAL,
            }),
          ),
        );
        return out.Item === undefined ? undefined : chunkId;
      }),
    );
    return new Set(found.filter((id): id is string => id !== undefined));
  }

  #query(pk: string, prefix?: string): AsyncIterable<readonly Item[]> {
    return queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix === undefined ? {} : { ':prefix': prefix }) },
        Limit: this.#pageSize,
      },
      { meter: this.#meter },
    );
  }
}
