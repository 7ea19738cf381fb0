/**
 * ColumnMappings on the registry table: `pk='COLUMNS#<pool>', sk=<agency>` {columns (map), periodFromKey,
 * updatedBy, updatedAt}. Read with a strongly consistent get: a mapping saved a moment ago applies to
 * the file uploaded next.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type ColumnMapping, PAYROLL_FIELDS } from '#domain/column-mapping.ts';
import type { AgencyCode, PoolCode } from '#domain/model.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import { translateRegistryError } from './dynamodb-file-registry.ts';

const itemSchema = z.object({
  pool: z.string(),
  agency: z.string(),
  columns: z.record(z.string(), z.enum(PAYROLL_FIELDS)),
  periodFromKey: z.boolean(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

const keyOf = (pool: PoolCode, agency: AgencyCode) => ({ pk: `COLUMNS#${pool}`, sk: agency });

export class DynamoDbColumnMappings implements ColumnMappings {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
  }

  async get(pool: PoolCode, agency: AgencyCode): Promise<ColumnMapping | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: keyOf(pool, agency), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : itemSchema.parse(out.Item);
    } catch (error) {
      throw translateRegistryError(error, 'GetItem column mapping');
    }
  }

  async put(mapping: ColumnMapping): Promise<void> {
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keyOf(mapping.pool, mapping.agency), ...mapping },
        }),
      );
    } catch (error) {
      throw translateRegistryError(error, 'PutItem column mapping');
    }
  }

  async remove(pool: PoolCode, agency: AgencyCode): Promise<void> {
    try {
      await this.#ddb.send(new DeleteCommand({ TableName: this.#table, Key: keyOf(pool, agency) }));
    } catch (error) {
      throw translateRegistryError(error, 'DeleteItem column mapping');
    }
  }
}
