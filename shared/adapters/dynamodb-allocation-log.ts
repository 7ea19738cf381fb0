import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '#domain/concurrency.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type {
  AllocationEntry,
  ChunkCommit,
  RunAbort,
  RunRecord,
} from '#domain/ports/allocation/run-record.ts';
import type { AllocationReader } from '#domain/ports/finance.ts';
import {
  allocationItem,
  allocationKeys,
  runRecordSchema,
  toAllocationEntry,
} from './dynamodb-allocation-items.ts';
import {
  type CapacityMeter,
  isConditionFailure,
  meteredSend,
  putIf,
  putIfAbsent,
  queryAll,
  queryPages,
} from './dynamodb-support.ts';

/** The AllocationLog on the `ledger` table; keys and item shapes in dynamodb-allocation-items.ts. */

const TOTAL = 'TOTAL' as const;
const WRITE_CONCURRENCY = 16;
const QUERY_PAGE = 1000;

type Item = Record<string, unknown>;

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
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': allocationKeys.runPartition(pool) },
        // The run record is the cursor: a stale read could resume from an old chunk.
        ConsistentRead: true,
      },
      { meter: this.#meter },
    );
    return items.map((raw) => runRecordSchema.parse(raw));
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
      ':uncovered': next.uncovered,
    };
    const sets = [
      'nextChunk = :next',
      '#cursor = :cursor',
      '#status = :status',
      'updatedAt = :updatedAt',
      'commitToken = :token',
      'uncovered = :uncovered',
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

  async markCovered(run: RunRecord, chunk: number): Promise<void> {
    // A failed condition means a later commit's marker (or none) is there: nothing to clear.
    await this.#updateRun(run, 'REMOVE uncovered', 'uncovered.#chunk = :chunk', { ':chunk': chunk });
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
    for (const n of ['cursor', 'status', 'chunk'])
      if (`${update} ${condition}`.includes(`#${n}`)) names[`#${n}`] = n;
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
    const pages = queryPages(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: opts.pageSize ?? this.#pageSize,
      },
      { meter: this.#meter, ...(opts.after === undefined ? {} : { startKey: { pk, sk: opts.after } }) },
    );
    for await (const page of pages) yield page.map(toAllocationEntry);
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
