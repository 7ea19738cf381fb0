import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Period, PoolCode } from '#domain/model.ts';
import type {
  ConfirmationLine,
  ConfirmationStore,
  CurrentConfirmation,
} from '#domain/ports/confirmation-store.ts';
import { batchPutAll, isConditionFailure, queryAll, translateDynamoDbError } from './dynamodb-support.ts';

/**
 * BPJS's confirmations on the ledger table (docs/bpjs-loop.md#where-it-is-kept):
 * - each line: pk `BPJSCONF#<pool>#<month>#<fileId>`, sk `<nik>`;
 * - the month's pointer to the file that counts: pk `BPJSFILE#<pool>`, sk `<month>`, moved only to a
 *   file received later (or the same one again).
 */
const lineSchema = z.object({
  nik: z.string(),
  kpj: z.string().optional(),
  newKpj: z.string().optional(),
  month: z.string(),
  programme: z.enum(['JKK_JKM', 'JKK_JKM_JHT']),
  amount: z.number().int(),
  status: z.enum(['DITERIMA', 'DITOLAK']),
  note: z.string().optional(),
  line: z.number().int(),
});
const pointerSchema = z.object({
  fileId: z.string(),
  key: z.string(),
  receivedAt: z.string(),
  lines: z.number().int(),
});

const linePartition = (pool: PoolCode, month: Period, fileId: string) =>
  `BPJSCONF#${pool}#${month}#${fileId}`;

export class DynamoDbConfirmationStore implements ConfirmationStore {
  constructor(private readonly opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {}

  async putLines(
    pool: PoolCode,
    month: Period,
    fileId: string,
    lines: readonly ConfirmationLine[],
  ): Promise<void> {
    const items = lines.map((l) => ({ pk: linePartition(pool, month, fileId), sk: l.nik, ...l }));
    await batchPutAll(this.opts.ddb, this.opts.tableName, items);
  }

  async setCurrent(pool: PoolCode, month: Period, file: CurrentConfirmation): Promise<'MOVED' | 'KEPT'> {
    try {
      await this.opts.ddb.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { pk: `BPJSFILE#${pool}`, sk: month, ...file },
          ConditionExpression: 'attribute_not_exists(pk) OR receivedAt < :at OR fileId = :id',
          ExpressionAttributeValues: { ':at': file.receivedAt, ':id': file.fileId },
        }),
      );
      return 'MOVED';
    } catch (err) {
      if (isConditionFailure(err)) return 'KEPT';
      throw translateDynamoDbError(err, 'PutItem');
    }
  }

  async current(pool: PoolCode, month: Period): Promise<CurrentConfirmation | undefined> {
    try {
      const out = await this.opts.ddb.send(
        new GetCommand({ TableName: this.opts.tableName, Key: { pk: `BPJSFILE#${pool}`, sk: month } }),
      );
      return out.Item ? pointerSchema.parse(out.Item) : undefined;
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }

  async lines(pool: PoolCode, month: Period, fileId: string): Promise<ConfirmationLine[]> {
    const items = await queryAll(this.opts.ddb, {
      TableName: this.opts.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': linePartition(pool, month, fileId) },
    });
    return items.map(lineOf);
  }

  async line(
    pool: PoolCode,
    month: Period,
    fileId: string,
    nik: string,
  ): Promise<ConfirmationLine | undefined> {
    try {
      const out = await this.opts.ddb.send(
        new GetCommand({
          TableName: this.opts.tableName,
          Key: { pk: linePartition(pool, month, fileId), sk: nik },
        }),
      );
      return out.Item ? lineOf(out.Item) : undefined;
    } catch (err) {
      throw translateDynamoDbError(err, 'GetItem');
    }
  }
}

function lineOf(item: unknown): ConfirmationLine {
  const { nik, kpj, newKpj, month, programme, amount, status, note, line } = lineSchema.parse(item);
  return {
    nik,
    month,
    programme,
    amount,
    status,
    line,
    ...(kpj === undefined ? {} : { kpj }),
    ...(newKpj === undefined ? {} : { newKpj }),
    ...(note === undefined ? {} : { note }),
  };
}
