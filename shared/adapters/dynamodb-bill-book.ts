import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Period, PoolCode } from '#domain/model.ts';
import type { BillApproval, BillBook, BillDecision, BillRecord, Payment } from '#domain/ports/bill-book.ts';
import { isConditionFailure, putIfAbsent, queryAll, translateDynamoDbError } from './dynamodb-support.ts';

/**
 * The BillBook on the ledger table (docs/bpjs-loop.md#where-it-is-kept):
 * - one item per bill version: pk `BILL#<pool>`, sk `<month>#<version>`, with `approved` and `released`;
 * - one item per payment: pk `PAYMENT#<pool>`, sk `<reference>`.
 * The approval is a put-if-absent; the release an update conditioned on an approval by someone else and
 * no release yet: the maker-checker rule holds in the store, not only in the code that reads first.
 */

const decisionSchema = z.object({ by: z.string(), at: z.string() });
const billItemSchema = z.object({
  pool: z.string(),
  month: z.string(),
  version: z.string(),
  approved: decisionSchema.extend({
    version: z.string(),
    total: z.number().int(),
    workers: z.number().int(),
  }),
  released: decisionSchema.optional(),
});
const paymentItemSchema = z.object({
  pool: z.string(),
  reference: z.string(),
  referenceKind: z.enum(['KODE_IURAN', 'VIRTUAL_ACCOUNT', 'BANK_REF']),
  amount: z.number().int(),
  paidOn: z.string(),
  bills: z.array(z.object({ month: z.string(), version: z.string(), total: z.number().int() })),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const billKeys = {
  bill: (pool: PoolCode, month: Period, version: string) => ({
    pk: `BILL#${pool}`,
    sk: `${month}#${version}`,
  }),
  payment: (pool: PoolCode, reference: string) => ({ pk: `PAYMENT#${pool}`, sk: reference }),
};

export class DynamoDbBillBook implements BillBook {
  constructor(private readonly opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {}

  async get(pool: PoolCode, month: Period, version: string): Promise<BillRecord | undefined> {
    try {
      const out = await this.opts.ddb.send(
        new GetCommand({ TableName: this.opts.tableName, Key: billKeys.bill(pool, month, version) }),
      );
      if (!out.Item) return undefined;
      const b = billItemSchema.parse(out.Item);
      return {
        pool: b.pool,
        month: b.month,
        version: b.version,
        approved: b.approved,
        ...(b.released ? { released: b.released } : {}),
      };
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }

  async recordApproval(
    pool: PoolCode,
    month: Period,
    approval: BillApproval,
  ): Promise<'RECORDED' | 'CONFLICT'> {
    const item = {
      ...billKeys.bill(pool, month, approval.version),
      pool,
      month,
      version: approval.version,
      approved: approval,
    };
    try {
      return (await putIfAbsent(this.opts.ddb, this.opts.tableName, item, undefined))
        ? 'RECORDED'
        : 'CONFLICT';
    } catch (err) {
      throw translateDynamoDbError(err, 'PutItem');
    }
  }

  async recordRelease(
    pool: PoolCode,
    month: Period,
    version: string,
    release: BillDecision,
  ): Promise<'RECORDED' | 'CONFLICT'> {
    try {
      await this.opts.ddb.send(
        new UpdateCommand({
          TableName: this.opts.tableName,
          Key: billKeys.bill(pool, month, version),
          UpdateExpression: 'SET released = :release',
          ConditionExpression:
            'attribute_exists(approved) AND attribute_not_exists(released) AND approved.#by <> :by',
          ExpressionAttributeNames: { '#by': 'by' },
          ExpressionAttributeValues: { ':release': release, ':by': release.by },
        }),
      );
      return 'RECORDED';
    } catch (err) {
      if (isConditionFailure(err)) return 'CONFLICT';
      throw translateDynamoDbError(err, 'UpdateItem');
    }
  }

  async recordPayment(payment: Payment): Promise<'RECORDED' | 'DUPLICATE'> {
    const item = { ...billKeys.payment(payment.pool, payment.reference), ...payment };
    try {
      return (await putIfAbsent(this.opts.ddb, this.opts.tableName, item, undefined))
        ? 'RECORDED'
        : 'DUPLICATE';
    } catch (err) {
      throw translateDynamoDbError(err, 'PutItem');
    }
  }

  async payments(pool: PoolCode): Promise<Payment[]> {
    const items = await queryAll(this.opts.ddb, {
      TableName: this.opts.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `PAYMENT#${pool}` },
    });
    return items.map((i) => paymentItemSchema.parse(i));
  }
}
