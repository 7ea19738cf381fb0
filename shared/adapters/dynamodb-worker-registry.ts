/**
 * WorkerRegistry on the registry table:
 * - enrollment `pk='WORKER#<pool>', sk=<nik>` {nik, name, kpj?, tier, occupation, enrolledOn,
 *   exitedOn?, exitReason?, updatedAt, fileId}: the current state, read page by page by allocation;
 * - history `pk='WORKERHIST#<pool>#<nik>', sk='<recordedAt>#<fileId>#<line 6 digits>'`
 *   {change, before?, after}: append-only, deterministic key, so a retried file rewrites the same item;
 * - owner `pk='NIK#<nik>', sk='OWNER'` {pool}: a NIK belongs to one pool; claimed with a conditional
 *   put on first enrollment (a race between two pools loses with ConflictError).
 * Write order: owner, history, enrollment; a crash in between is repaired by the retry (the enrollment
 * still differs, so the same history item is written again, then the enrollment). A group of rows
 * (recordChanges) keeps that order per row with one round trip per step, not per row: the conditional
 * owner claims (concurrent; BatchWriteItem has no conditions), then one BatchWriteItem of the histories,
 * then one of the enrollments. Reads of a group are one BatchGetItem each.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { mapBounded } from '#domain/concurrency.ts';
import { ConflictError } from '#domain/errors.ts';
import { type PoolCode, TIERS } from '#domain/model.ts';
import type {
  EnrollmentHistoryEntry,
  EnrollmentOwner,
  RecordOutcome,
  WorkerEnrollment,
  WorkerRegistry,
} from '#domain/ports/worker-registry.ts';
import { translateRegistryError } from './dynamodb-file-registry.ts';
import { batchGetAll, batchPutAll, type CapacityMeter, queryAll, queryPages } from './dynamodb-support.ts';

const PAGE_SIZE = 1_000;
const CLAIM_CONCURRENCY = 16;

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

const enrollmentSchema = z.object({
  pool: z.string(),
  nik: z.string(),
  name: z.string(),
  kpj: z.string().optional(),
  tier: z.enum(TIERS),
  occupation: z.string(),
  enrolledOn: z.string(),
  exitedOn: z.string().optional(),
  exitReason: z.string().optional(),
  updatedAt: z.string(),
  fileId: z.string(),
});
const historySchema = z.object({
  pool: z.string(),
  nik: z.string(),
  change: z.enum(['ENROLLED', 'UPDATED', 'EXITED']),
  before: enrollmentSchema.optional(),
  after: enrollmentSchema,
  recordedAt: z.string(),
  fileId: z.string(),
  line: z.number(),
});

const enrollmentKey = (pool: PoolCode, nik: string) => ({ pk: `WORKER#${pool}`, sk: nik });
const ownerKey = (nik: string) => ({ pk: `NIK#${nik}`, sk: 'OWNER' });
const historyItem = (entry: EnrollmentHistoryEntry): Item => ({
  pk: `WORKERHIST#${entry.pool}#${entry.nik}`,
  sk: `${entry.recordedAt}#${entry.fileId}#${String(entry.line).padStart(6, '0')}`,
  ...entry,
});
const ownerItemSchema = z.object({ pk: z.string(), pool: z.string() });

function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
function toEnrollment(item: unknown): WorkerEnrollment {
  return clean(enrollmentSchema.parse(item)) as WorkerEnrollment;
}

export class DynamoDbWorkerRegistry implements WorkerRegistry {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: {
    readonly ddb: DynamoDBDocumentClient;
    readonly tableName: string;
    readonly meter?: CapacityMeter;
  }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async getEnrollment(pool: PoolCode, nik: string): Promise<WorkerEnrollment | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: enrollmentKey(pool, nik), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : toEnrollment(out.Item);
    } catch (error) {
      throw translateRegistryError(error, 'GetItem worker');
    }
  }

  async findOwner(nik: string): Promise<EnrollmentOwner | undefined> {
    try {
      const out = await this.#ddb.send(
        new GetCommand({ TableName: this.#table, Key: ownerKey(nik), ConsistentRead: true }),
      );
      return out.Item === undefined
        ? undefined
        : { pool: z.object({ pool: z.string() }).parse(out.Item).pool };
    } catch (error) {
      throw translateRegistryError(error, 'GetItem worker owner');
    }
  }

  async recordChange(entry: EnrollmentHistoryEntry): Promise<void> {
    const [outcome] = await this.recordChanges([entry]);
    if (outcome === 'CONFLICT') throw new ConflictError('PutItem worker owner: condition failed');
  }

  async getEnrollments(pool: PoolCode, niks: readonly string[]): Promise<Map<string, WorkerEnrollment>> {
    const items = await this.#batchGet([...new Set(niks)].map((nik) => enrollmentKey(pool, nik)));
    return new Map(items.map((item) => toEnrollment(item)).map((e) => [e.nik, e]));
  }

  async findOwners(niks: readonly string[]): Promise<Map<string, EnrollmentOwner>> {
    const items = await this.#batchGet([...new Set(niks)].map(ownerKey));
    return new Map(
      items.map((item) => {
        const { pk, pool } = ownerItemSchema.parse(item);
        return [pk.slice('NIK#'.length), { pool }];
      }),
    );
  }

  async recordChanges(entries: readonly EnrollmentHistoryEntry[]): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = entries.map(() => 'RECORDED');
    const claims = [...entries.entries()].filter(([, e]) => e.before === undefined);
    await mapBounded(claims, CLAIM_CONCURRENCY, async ([i, e]) => {
      if (!(await this.#claimOwner(e))) outcomes[i] = 'CONFLICT';
    });
    const kept = entries.filter((_, i) => outcomes[i] === 'RECORDED');
    // Histories first, enrollments after: the retry of a crash in between still sees the change.
    await this.#batchPut(kept.map(historyItem));
    await this.#batchPut(kept.map((e) => ({ ...enrollmentKey(e.pool, e.nik), ...e.after })));
    return outcomes;
  }

  /** true = the NIK is now (or already was) this pool's; false = another pool owns it. */
  async #claimOwner(entry: EnrollmentHistoryEntry): Promise<boolean> {
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...ownerKey(entry.nik),
            pool: entry.pool,
            claimedAt: entry.recordedAt,
            fileId: entry.fileId,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #pool = :pool',
          ExpressionAttributeNames: { '#pool': 'pool' },
          ExpressionAttributeValues: { ':pool': entry.pool },
        }),
      );
      return true;
    } catch (error) {
      const translated = translateRegistryError(error, 'PutItem worker owner');
      if (translated instanceof ConflictError) return false;
      throw translated;
    }
  }

  #batchGet(keys: readonly Key[]): Promise<Item[]> {
    return batchGetAll(this.#ddb, this.#table, keys, { consistent: true, meter: this.#meter });
  }

  #batchPut(items: readonly Item[]): Promise<void> {
    return batchPutAll(this.#ddb, this.#table, items, { meter: this.#meter });
  }

  async history(pool: PoolCode, nik: string): Promise<EnrollmentHistoryEntry[]> {
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `WORKERHIST#${pool}#${nik}` },
      },
      { operation: 'Query worker history' },
    );
    return items.map((item) => {
      const parsed = historySchema.parse(item);
      return clean({
        ...parsed,
        after: toEnrollment(parsed.after),
        before: parsed.before === undefined ? undefined : toEnrollment(parsed.before),
      }) as EnrollmentHistoryEntry;
    });
  }

  async *listEnrollments(pool: PoolCode): AsyncIterable<WorkerEnrollment[]> {
    const pages = queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `WORKER#${pool}` },
        Limit: PAGE_SIZE,
      },
      { operation: 'Query workers' },
    );
    for await (const page of pages) yield page.map(toEnrollment);
  }
}
