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
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError, TransientError } from '#domain/errors.ts';
import { TIERS } from '#domain/model.ts';
import type {
  EnrollmentHistoryEntry,
  EnrollmentOwner,
  RecordOutcome,
  WorkerEnrollment,
  WorkerRegistry,
} from '#domain/ports/worker-registry.ts';
import { translateRegistryError } from './dynamodb-file-registry.ts';
import { mapBounded } from './dynamodb-support.ts';

const PAGE_SIZE = 1_000;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const CLAIM_CONCURRENCY = 16;
const MAX_ATTEMPTS = 8;

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

const enrollmentKey = (pool: string, nik: string) => ({ pk: `WORKER#${pool}`, sk: nik });
const ownerKey = (nik: string) => ({ pk: `NIK#${nik}`, sk: 'OWNER' });
const historyItem = (entry: EnrollmentHistoryEntry): Item => ({
  pk: `WORKERHIST#${entry.pool}#${entry.nik}`,
  sk: `${entry.recordedAt}#${entry.fileId}#${String(entry.line).padStart(6, '0')}`,
  ...entry,
});
const ownerItemSchema = z.object({ pk: z.string(), pool: z.string() });

const chunked = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
const backoff = (attempt: number, operation: string): Promise<void> => {
  if (attempt >= MAX_ATTEMPTS) {
    throw new TransientError(`${operation}: items still unprocessed after ${attempt} attempts`);
  }
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2000, 50 * 2 ** attempt)));
};

function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
function toEnrollment(item: unknown): WorkerEnrollment {
  return clean(enrollmentSchema.parse(item)) as WorkerEnrollment;
}

export class DynamoDbWorkerRegistry implements WorkerRegistry {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(opts: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
  }

  async getEnrollment(pool: string, nik: string): Promise<WorkerEnrollment | undefined> {
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

  async getEnrollments(pool: string, niks: readonly string[]): Promise<Map<string, WorkerEnrollment>> {
    const items = await this.#batchGet(
      [...new Set(niks)].map((nik) => enrollmentKey(pool, nik)),
      'workers',
    );
    return new Map(items.map((item) => toEnrollment(item)).map((e) => [e.nik, e]));
  }

  async findOwners(niks: readonly string[]): Promise<Map<string, EnrollmentOwner>> {
    const items = await this.#batchGet([...new Set(niks)].map(ownerKey), 'worker owners');
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

  async #batchGet(keys: readonly Key[], what: string): Promise<Item[]> {
    const found: Item[] = [];
    for (const part of chunked(keys, BATCH_GET_LIMIT)) {
      let pending: Item[] = part;
      for (let attempt = 1; pending.length > 0; attempt++) {
        let out: BatchGetCommandOutput;
        try {
          out = await this.#ddb.send(
            new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending, ConsistentRead: true } } }),
          );
        } catch (error) {
          throw translateRegistryError(error, `BatchGetItem ${what}`);
        }
        found.push(...(out.Responses?.[this.#table] ?? []));
        pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (pending.length > 0) await backoff(attempt, `BatchGetItem ${what}`);
      }
    }
    return found;
  }

  async #batchPut(items: readonly Item[]): Promise<void> {
    for (const part of chunked(items, BATCH_WRITE_LIMIT)) {
      let pending = part.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        let unprocessed: { PutRequest?: { Item?: Item } }[];
        try {
          const out = await this.#ddb.send(
            new BatchWriteCommand({ RequestItems: { [this.#table]: pending } }),
          );
          unprocessed = out.UnprocessedItems?.[this.#table] ?? [];
        } catch (error) {
          throw translateRegistryError(error, 'BatchWriteItem worker');
        }
        pending = unprocessed.flatMap((r) =>
          r.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: r.PutRequest.Item } }],
        );
        if (pending.length > 0) await backoff(attempt, 'BatchWriteItem worker');
      }
    }
  }

  async history(pool: string, nik: string): Promise<EnrollmentHistoryEntry[]> {
    const entries: EnrollmentHistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.#ddb.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `WORKERHIST#${pool}#${nik}` },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
        for (const item of out.Items ?? []) {
          const parsed = historySchema.parse(item);
          entries.push(
            clean({
              ...parsed,
              after: toEnrollment(parsed.after),
              before: parsed.before === undefined ? undefined : toEnrollment(parsed.before),
            }) as EnrollmentHistoryEntry,
          );
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey !== undefined);
    } catch (error) {
      throw translateRegistryError(error, 'Query worker history');
    }
    return entries;
  }

  async *listEnrollments(pool: string): AsyncIterable<WorkerEnrollment[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      let out: QueryCommandOutput;
      try {
        out = await this.#ddb.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `WORKER#${pool}` },
            Limit: PAGE_SIZE,
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
      } catch (error) {
        throw translateRegistryError(error, 'Query workers');
      }
      const page = (out.Items ?? []).map(toEnrollment);
      if (page.length > 0) yield page;
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
  }
}
