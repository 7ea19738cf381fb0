import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Period, PoolCode } from '#domain/model.ts';
import { TIERS } from '#domain/model.ts';
import {
  type AllocationEntry,
  type AllocationLog,
  type ChunkCommit,
  RUN_STATUSES,
  type RunAbort,
  type RunRecord,
} from '#domain/ports/allocation.ts';
import type { AllocationReader } from '#domain/ports/finance.ts';
import {
  type CapacityMeter,
  isConditionFailure,
  mapBounded,
  meteredSend,
  putIf,
  putIfAbsent,
} from './dynamodb-support.ts';

/**
 * # Allocation side of the `ledger` table
 *
 * | item | pk | sk | attributes |
 * |---|---|---|---|
 * | allocation | `ALLOC#<pool>#<month>` | `<nik>` | tier, amount, priority, runId, name, kpj?, allocatedAt |
 * | run record | `RUN#<pool>` | `<month>#<seq, 3 digits>` | the whole RunRecord (cursor as a map) |
 *
 * One month of a pool is one partition, so the bill, the month's log and "was NIK funded in M" are one
 * Query or GetItem each. The key is pool+month+NIK: a worker is funded at most once per month (rule 2)
 * by a conditional PutItem, never by a read-then-write. No transactions, no GSI (each costs writes).
 */

const TOTAL = 'TOTAL' as const;
const WRITE_CONCURRENCY = 16;
const QUERY_PAGE = 1000;

type Item = Record<string, unknown>;

export const allocationKeys = {
  partition: (pool: PoolCode, month: Period): string => `ALLOC#${pool}#${month}`,
  runPartition: (pool: PoolCode): string => `RUN#${pool}`,
  runSort: (month: Period, seq: number): string => `${month}#${String(seq).padStart(3, '0')}`,
} as const;

const rupiah = z.number().int().safe();

export const allocationItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  tier: z.enum(TIERS),
  amount: rupiah,
  priority: z.enum(['EARMARK', 'ACTIVE', 'WAITLIST']),
  runId: z.string(),
  name: z.string(),
  kpj: z.string().optional(),
  allocatedAt: z.string(),
});

const cursorSchema = z.object({
  balance: rupiah,
  need: rupiah,
  funded: z.number().int(),
  allocated: rupiah,
  unfunded: z.number().int(),
  lapsed: z.number().int(),
  admitted: z.number().int(),
  waitlistSkipped: z.number().int(),
});

const creditTotalsSchema = z.object({ deductions: rupiah, corrections: rupiah, grants: rupiah });

export const runRecordSchema = z.object({
  pool: z.string(),
  month: z.string(),
  seq: z.number().int().positive(),
  runId: z.string(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  cause: z.string().optional(),
  updatedAt: z.string().optional(),
  commitToken: z.string().optional(),
  outputsAt: z.string().optional(),
  stalled: z.object({ at: z.string(), reason: z.string() }).optional(),
  aborted: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
  planKey: z.string(),
  chunkCount: z.number().int().nonnegative(),
  nextChunk: z.number().int().nonnegative(),
  credits: creditTotalsSchema,
  allocatedBefore: rupiah,
  previousClosing: rupiah,
  available: rupiah,
  horizonMonths: z.number().int().positive(),
  recurring: z.object({ sum: rupiah, periods: z.number().int().nonnegative() }),
  cursor: cursorSchema,
  workersPlanned: z.number().int().nonnegative(),
  fundedEarlier: z.number().int().nonnegative(),
  earmarksUnmatched: z.number().int().nonnegative(),
});

/** Item of `ALLOC#<pool>#<month>` back to the domain entry (pool and month come from the key). */
export const toAllocationEntry = (raw: unknown): AllocationEntry => {
  const item = allocationItemSchema.parse(raw);
  const [, pool = '', month = ''] = item.pk.split('#');
  return {
    pool,
    month,
    nik: item.sk,
    tier: item.tier,
    amount: item.amount,
    priority: item.priority,
    runId: item.runId,
    name: item.name,
    ...(item.kpj === undefined ? {} : { kpj: item.kpj }),
    allocatedAt: item.allocatedAt,
  };
};

const allocationItem = (e: AllocationEntry): Item => ({
  pk: allocationKeys.partition(e.pool, e.month),
  sk: e.nik,
  tier: e.tier,
  amount: e.amount,
  priority: e.priority,
  runId: e.runId,
  name: e.name,
  ...(e.kpj === undefined ? {} : { kpj: e.kpj }),
  allocatedAt: e.allocatedAt,
});

export type DynamoDbAllocationLogOptions = {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter?: CapacityMeter;
  /** Items per Query page (a page is what `allocations` yields). Default 1000. */
  readonly pageSize?: number;
};

export class DynamoDbAllocationLog implements AllocationLog, AllocationReader {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
  readonly #pageSize: number;

  constructor(opts: DynamoDbAllocationLogOptions) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
    this.#pageSize = opts.pageSize ?? QUERY_PAGE;
  }

  async listRuns(pool: PoolCode): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    let startKey: Item | undefined;
    do {
      const out = await meteredSend(this.#meter, 'Query', 'read', () =>
        this.#ddb.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': allocationKeys.runPartition(pool) },
            // The run record is the cursor: a stale read could resume from an old chunk.
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      for (const raw of out.Items ?? []) runs.push(runRecordSchema.parse(raw));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return runs;
  }

  async createRun(run: RunRecord): Promise<'CREATED' | 'EXISTS'> {
    const item = {
      pk: allocationKeys.runPartition(run.pool),
      sk: allocationKeys.runSort(run.month, run.seq),
      ...run,
    };
    return (await putIfAbsent(this.#ddb, this.#table, item, this.#meter)) ? 'CREATED' : 'EXISTS';
  }

  async getRun(pool: PoolCode, month: Period, seq: number): Promise<RunRecord | undefined> {
    const item = await this.#getConsistent(
      allocationKeys.runPartition(pool),
      allocationKeys.runSort(month, seq),
    );
    return item === undefined ? undefined : runRecordSchema.parse(item);
  }

  async commitChunk(run: RunRecord, fromChunk: number, next: ChunkCommit): Promise<'COMMITTED' | 'CONFLICT'> {
    const values: Item = {
      ':from': fromChunk,
      ':running': 'RUNNING',
      ':next': next.nextChunk,
      ':cursor': next.cursor,
      ':status': next.status,
      ':updatedAt': next.updatedAt,
      ':token': next.commitToken,
    };
    const sets = [
      'nextChunk = :next',
      '#cursor = :cursor',
      '#status = :status',
      'updatedAt = :updatedAt',
      'commitToken = :token',
    ];
    if (next.completedAt !== undefined) {
      sets.push('completedAt = :completedAt');
      values[':completedAt'] = next.completedAt;
    }
    return this.#updateRun(
      run,
      `SET ${sets.join(', ')}`,
      'nextChunk = :from AND #status = :running',
      values,
    ).then((ok) => (ok ? 'COMMITTED' : 'CONFLICT'));
  }

  async markOutputs(run: RunRecord, at: string): Promise<void> {
    await this.#updateRun(run, 'SET outputsAt = if_not_exists(outputsAt, :at)', 'attribute_exists(pk)', {
      ':at': at,
    });
  }

  async markStalled(
    run: RunRecord,
    stalled: NonNullable<RunRecord['stalled']>,
  ): Promise<'UPDATED' | 'CONFLICT'> {
    const ok = await this.#updateRun(run, 'SET stalled = :stalled', '#status = :running', {
      ':stalled': stalled,
      ':running': 'RUNNING',
    });
    return ok ? 'UPDATED' : 'CONFLICT';
  }

  async abortRun(run: RunRecord, abort: RunAbort): Promise<'UPDATED' | 'CONFLICT'> {
    const ok = await this.#updateRun(
      run,
      'SET #status = :aborted, aborted = :abort, completedAt = :at, updatedAt = :at',
      '#status = :running',
      { ':aborted': 'ABORTED', ':abort': abort, ':at': abort.at, ':running': 'RUNNING' },
    );
    return ok ? 'UPDATED' : 'CONFLICT';
  }

  /** A conditional UpdateItem of a run record: false when the condition failed (billed, so metered). */
  async #updateRun(run: RunRecord, update: string, condition: string, values: Item): Promise<boolean> {
    const names: Record<string, string> = {};
    for (const n of ['cursor', 'status']) if (`${update} ${condition}`.includes(`#${n}`)) names[`#${n}`] = n;
    try {
      await meteredSend(this.#meter, 'UpdateItem', 'write', () =>
        this.#ddb.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: {
              pk: allocationKeys.runPartition(run.pool),
              sk: allocationKeys.runSort(run.month, run.seq),
            },
            UpdateExpression: update,
            ConditionExpression: condition,
            ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      if (this.#meter !== undefined) this.#meter.write += 1;
      return false;
    }
  }

  async writeAllocations(
    entries: readonly AllocationEntry[],
    opts: { readonly replacing?: readonly string[] } = {},
  ): Promise<{ written: number; foreign: AllocationEntry[] }> {
    const replacing = opts.replacing ?? [];
    const condition =
      replacing.length === 0
        ? { expression: 'attribute_not_exists(pk)' }
        : {
            expression: `attribute_not_exists(pk) OR runId IN (${replacing.map((_, i) => `:r${i}`).join(', ')})`,
            values: Object.fromEntries(replacing.map((r, i) => [`:r${i}`, r])),
          };
    const outcomes = await mapBounded(entries, WRITE_CONCURRENCY, async (entry) => {
      const item = allocationItem(entry);
      if (await putIf(this.#ddb, this.#table, item, this.#meter, condition))
        return { written: true } as const;
      // Someone wrote this worker's month first: a redone chunk of the same run, or another run.
      const existing = await this.#getConsistent(String(item.pk), entry.nik);
      if (existing === undefined) throw new Error('allocation vanished after a failed condition');
      const stored = toAllocationEntry(existing);
      return stored.runId === entry.runId ? ({ written: false } as const) : { written: false, stored };
    });
    const foreign = outcomes.flatMap((o) => ('stored' in o && o.stored !== undefined ? [o.stored] : []));
    return { written: outcomes.filter((o) => o.written).length, foreign };
  }

  async removeAllocations(
    pool: PoolCode,
    month: Period,
    runId: string,
    niks: readonly string[],
  ): Promise<number> {
    const deleted = await mapBounded(niks, WRITE_CONCURRENCY, async (nik) => {
      try {
        await meteredSend(this.#meter, 'DeleteItem', 'write', () =>
          this.#ddb.send(
            new DeleteCommand({
              TableName: this.#table,
              Key: { pk: allocationKeys.partition(pool, month), sk: nik },
              ConditionExpression: 'runId = :run',
              ExpressionAttributeValues: { ':run': runId },
              ReturnConsumedCapacity: TOTAL,
            }),
          ),
        );
        return 1;
      } catch (err) {
        if (isConditionFailure(err)) return 0; // absent, or another run's entry: not ours to remove
        throw err;
      }
    });
    return deleted.reduce((a: number, b) => a + b, 0);
  }

  allocations(pool: PoolCode, month: Period): AsyncIterable<readonly AllocationEntry[]> {
    return this.allocationsFrom(pool, month);
  }

  async *allocationsFrom(
    pool: PoolCode,
    month: Period,
    opts: { readonly after?: string; readonly pageSize?: number } = {},
  ): AsyncIterable<readonly AllocationEntry[]> {
    const pk = allocationKeys.partition(pool, month);
    let startKey: Item | undefined = opts.after === undefined ? undefined : { pk, sk: opts.after };
    do {
      const out = await meteredSend(this.#meter, 'Query', 'read', () =>
        this.#ddb.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            Limit: opts.pageSize ?? this.#pageSize,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      const page = (out.Items ?? []).map(toAllocationEntry);
      if (page.length > 0) yield page;
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async allocationOf(pool: PoolCode, month: Period, nik: string): Promise<AllocationEntry | undefined> {
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: allocationKeys.partition(pool, month), sk: nik },
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    return out.Item === undefined ? undefined : toAllocationEntry(out.Item);
  }

  async #getConsistent(pk: string, sk: string): Promise<Item | undefined> {
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk, sk },
          ConsistentRead: true,
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    return out.Item;
  }
}
