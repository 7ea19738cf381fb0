/**
 * AgencyRegistry on the registry table:
 * - pool `pk='POOL', sk=<pool>`: the pool record of shared/domain/pools.ts with its defaults,
 *   created on the first intake for a pool with a conditional put (never overwritten);
 * - agency `pk='AGENCY#<agency>', sk='AGENCY'` {pool, registeredAt, firstFileId}: the first file
 *   registers it (conditional put); a later claim reads back the owner.
 * The pool item's `firstPeriod` is lowered by notePeriod (docs/intake.md#periods); otherwise neither item ever changes once written, so an instance (one per Lambda container) remembers the pools
 * it has ensured and the claims it has seen: a warm container's next file for the same agency costs no
 * registry call (on AWS a failed conditional put still bills a write unit).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError } from '#domain/errors.ts';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';
import { defaultPoolRecord } from '#domain/pools.ts';
import type { AgencyClaim, AgencyRegistry, PoolSettings } from '#domain/ports/agency-registry.ts';
import { translateRegistryError } from './dynamodb-file-registry.ts';
import { poolItemOf } from './dynamodb-pool-registry.ts';

const poolItemSchema = z.object({
  sk: z.string(),
  horizonMonths: z.number(),
  runwayAlertMonths: z.number(),
  fileCutoffDay: z.number(),
  createdAt: z.string(),
  firstPeriod: z.string().optional(),
});
const agencyItemSchema = z.object({ pool: z.string(), firstFileId: z.string(), registeredAt: z.string() });

export class DynamoDbAgencyRegistry implements AgencyRegistry {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ensuredPools = new Set<PoolCode>();
  readonly #claims = new Map<AgencyCode, { pool: PoolCode; firstFileId: string }>();

  constructor(opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
  }

  async ensurePool(pool: PoolCode, createdAt: Date): Promise<void> {
    if (this.#ensuredPools.has(pool)) return;
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          // The full record (level, parent, origin) as DynamoDbPoolRegistry writes it; defaults for the rest.
          Item: poolItemOf(defaultPoolRecord(pool, 'PAYROLL', createdAt)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      const translated = translateRegistryError(error, 'PutItem pool');
      // Already there: settings are never overwritten.
      if (!(translated instanceof ConflictError)) throw translated;
    }
    this.#ensuredPools.add(pool);
  }

  async getPool(pool: PoolCode): Promise<PoolSettings | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: { pk: 'POOL', sk: pool } }),
      );
      if (out.Item === undefined) return undefined;
      const { sk, firstPeriod, ...settings } = poolItemSchema.parse(out.Item);
      return { pool: sk, ...settings, ...(firstPeriod === undefined ? {} : { firstPeriod }) };
    } catch (error) {
      throw translateRegistryError(error, 'GetItem pool');
    }
  }

  async notePeriod(pool: PoolCode, period: Period): Promise<void> {
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: 'POOL', sk: pool },
          UpdateExpression: 'SET firstPeriod = :p',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(firstPeriod) OR firstPeriod > :p)',
          ExpressionAttributeValues: { ':p': period },
        }),
      );
    } catch (error) {
      const translated = translateRegistryError(error, 'UpdateItem pool first period');
      // Already that early (or earlier): nothing to change.
      if (!(translated instanceof ConflictError)) throw translated;
    }
  }

  async claimAgency(agency: AgencyCode, pool: PoolCode, fileId: string, at: Date): Promise<AgencyClaim> {
    const known = this.#claims.get(agency);
    if (known !== undefined) return { ...known, registered: false };
    const key = { pk: `AGENCY#${agency}`, sk: 'AGENCY' };
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...key, agency, pool, firstFileId: fileId, registeredAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      this.#claims.set(agency, { pool, firstFileId: fileId });
      return { pool, firstFileId: fileId, registered: true };
    } catch (error) {
      const translated = translateRegistryError(error, 'PutItem agency');
      if (!(translated instanceof ConflictError)) throw translated;
    }
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
      );
      const owner = agencyItemSchema.parse(out.Item);
      this.#claims.set(agency, { pool: owner.pool, firstFileId: owner.firstFileId });
      return { pool: owner.pool, firstFileId: owner.firstFileId, registered: false };
    } catch (error) {
      throw translateRegistryError(error, 'GetItem agency');
    }
  }
}
