import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors.ts';
import type { DeductionChunk, Grant, Period, PoolCode } from '#domain/model.ts';
import type { CreditLedger, Earmark, PeriodCredits, WriteOutcome } from '#domain/ports/credit-ledger.ts';
import {
  type BatchOptions,
  batchGetAll,
  batchPutAll,
  type CapacityMeter,
  putIfAbsent,
  queryAll,
  translateDynamoDbError,
} from './dynamodb-support.ts';
import {
  type CreditItem,
  chunkItems,
  creditItemSchema,
  donorItem,
  grantReferenceItemSchema,
  type ItemKey,
  ledgerKeys,
  periodCreditsOf,
} from './ledger-keys.ts';

/**
 * # Ledger design (credit side), table `ledger`
 *
 * Exactly once without transactions: every item has a deterministic key, so a redelivered chunk
 * rewrites the same items, and a chunk counts only through its summary, written last and conditionally.
 *
 * | item | pk | sk | attributes |
 * |---|---|---|---|
 * | deduction row | `DED#<pool>#<period>#<agency>` | `<nip>#<fileId>#D` (correction `#C`; `…#D:<nik>` for a row earmarking a worker) | amount, workerNik?, ended?, line, chunkId, kind, recordedAt |
 * | donor directory | `DONOR#<nip>` | `<pool>#<agency>` | firstPeriod (first period ingested), recordedAt |
 * | chunk summary | `CREDIT#<pool>` | `<period>#<agency>#<chunkId>` | kind, period, agency, fileId, total (signed), rows, earmarks? [{nip, nik}], recordedAt |
 * | grant | `CREDIT#<pool>` | `<period>#GRANT#<reference>` | kind GRANT, period, source, amount, note, fileId, recordedAt |
 * | grant reference | `GRANTREF#<pool>` | `<reference>` | period, amount, source, fileId (a reference counts once per pool, whatever its period) |
 * | recording-time index | `CREDITREC#<pool>#<Jakarta month of recordedAt>` | `<recordedAt>#<summary or grant sk>` | none (written before its commit marker; dynamodb-credit-history.ts) |
 * | credit closing | `CLOSING#<pool>` | `<month>` | credits per period recorded by the month's end (domain/credit-closing.ts) |
 *
 * Query paths: pool+period+agency = one Query on `DED#…`; pool+period = one Query per agency (the
 * agencies are in the period's summaries); by NIP = Query `DONOR#<nip>`, then the `DED#…` partitions
 * it names with `begins_with(sk, '<nip>#')`. No GSI: a GSI costs one more write unit per deduction.
 *
 * Credits per pool are derived from the chunk summaries (one ~200-byte item per 50 deductions in the
 * `CREDIT#<pool>` partition): the allocation run reads them with one paginated Query, never the rows,
 * and no counter item is written by every deduction (no hot key).
 *
 * writeChunk, each step idempotent, so a crash anywhere is healed by redelivery:
 * 1. One BatchGetItem of the summary key and the chunk's donor-directory keys (reads are cheap, one
 *    round trip): summary present → ALREADY_PRESENT, no writes.
 * 2. BatchWriteItem (25 per call, in parallel, UnprocessedItems retried with backoff) of the rows plus
 *    directory items for the donors not found (a fresh month of known donors writes none). Same keys
 *    and amounts on redelivery, so rewriting is harmless.
 * 3. PutItem summary with attribute_not_exists(pk), strictly after step 2; a lost race → ALREADY_PRESENT.
 * A half-written chunk counts zero until a redelivery completes it. Measured (dynalite and DynamoDB
 * Local ConsumedCapacity): known donors 50 rows + 1 recording-time index item + 1 summary = 52 WCU per 50 deductions ≈ 1.04 WCU and
 * ≈ 0.51 RCU per deduction; new donors ≈ 2.02 WCU (one directory item each, once per pool+agency).
 *
 * Rows carry the recordedAt of the attempt that last wrote them; the summary's recordedAt (the commit
 * time) is the one `asOf` filters on. Earmarks: from the period's summaries, one per NIP + worker row
 * (a donor may name several workers, docs/intake.md#several-rows-per-donor); a CORRECTION re-asserts a changed row's earmark or ends
 * a removed row's (`off`); per agency+NIP+NIK the latest recordedAt wins (a CORRECTION wins a tie),
 * and the earmark is dated by the first version of its unbroken run of versions naming the worker.
 */

export type DynamoDbCreditLedgerOptions = {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter?: CapacityMeter;
  /** Backoff between retries of unprocessed batch items; injectable so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxBatchAttempts?: number;
};

type Item = Record<string, unknown>;

const TOTAL = 'TOTAL' as const;

export class DynamoDbCreditLedger implements CreditLedger {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;
  readonly #batch: BatchOptions;

  constructor(opts: DynamoDbCreditLedgerOptions) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
    this.#batch = {
      meter: opts.meter,
      ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      ...(opts.maxBatchAttempts === undefined ? {} : { maxAttempts: opts.maxBatchAttempts }),
    };
  }

  async writeChunk(chunk: DeductionChunk, recordedAt: Date): Promise<WriteOutcome> {
    const at = recordedAt.toISOString();
    const { rows, summary, recorded } = chunkItems(chunk, at);
    const nips = [...new Set(chunk.entries.map((e) => e.nip))];
    const donorKeys = nips.map((nip) => ledgerKeys.donor(nip, chunk.pool, chunk.agency));
    // One read answers both "committed already?" and "which donors are new?" (≤ 51 keys per chunk).
    const found = new Set((await this.#batchGet([summary, ...donorKeys])).map((k) => `${k.pk}|${k.sk}`));
    if (found.has(`${summary.pk}|${summary.sk}`)) return 'ALREADY_PRESENT';
    const newDonors = nips.filter((_, i) => !found.has(`${donorKeys[i]?.pk}|${donorKeys[i]?.sk}`));
    // The recording-time index item goes with the rows, before the summary (ledger-keys.ts `recorded`).
    const items: Item[] = [...newDonors.map((nip) => donorItem(nip, chunk, at)), ...rows, recorded];
    await this.#batchPut(items);
    return (await putIfAbsent(this.#ddb, this.#table, summary, this.#meter)) ? 'WRITTEN' : 'ALREADY_PRESENT';
  }

  async writeGrant(grant: Grant, recordedAt: Date): Promise<WriteOutcome> {
    const at = recordedAt.toISOString();
    const claim = {
      ...ledgerKeys.grantReference(grant.pool, grant.reference),
      period: grant.period,
      amount: grant.amount,
      source: grant.source,
      fileId: grant.fileId,
    };
    if (!(await putIfAbsent(this.#ddb, this.#table, claim, this.#meter))) {
      // The reference was claimed before: the same grant again is a no-op; different money is a conflict.
      const existing = grantReferenceItemSchema.parse(await this.#get(claim, true));
      if (existing.amount !== grant.amount || existing.period !== grant.period) {
        throw new ConflictError(
          `grant reference ${grant.reference} of pool ${grant.pool} was already credited as ` +
            `Rp${existing.amount} for ${existing.period} (file ${existing.fileId}); ` +
            `this file says Rp${grant.amount} for ${grant.period}`,
          { code: 'GRANT_REFERENCE_CONFLICT' },
        );
      }
    }
    const key = ledgerKeys.grant(grant);
    // Index first, then the grant (its commit marker), as for a chunk.
    await putIfAbsent(this.#ddb, this.#table, ledgerKeys.recorded(grant.pool, at, key.sk), this.#meter);
    const item = {
      ...key,
      kind: 'GRANT',
      period: grant.period,
      source: grant.source,
      amount: grant.amount,
      ...(grant.note === undefined ? {} : { note: grant.note }),
      fileId: grant.fileId,
      line: grant.line,
      recordedAt: at,
    };
    return (await putIfAbsent(this.#ddb, this.#table, item, this.#meter)) ? 'WRITTEN' : 'ALREADY_PRESENT';
  }

  async creditsByPeriod(pool: PoolCode, asOf?: Date): Promise<PeriodCredits[]> {
    const cutoff = asOf?.toISOString();
    const items = await this.#queryCredits(pool);
    return periodCreditsOf(cutoff === undefined ? items : items.filter((i) => i.recordedAt <= cutoff));
  }

  async earmarks(pool: PoolCode, period: Period): Promise<Earmark[]> {
    const versions = new Map<
      string,
      { earmark: Omit<Earmark, 'recordedAt'>; rank: string; at: string; off: boolean }[]
    >();
    for (const item of await this.#queryCredits(pool, `${period}#`, true)) {
      if (item.kind === 'GRANT') continue;
      // recordedAt orders versions; at equal instants a CORRECTION (from the newer file) wins.
      const rank = `${item.recordedAt}#${item.kind === 'CORRECTION' ? 1 : 0}#${item.sk}`;
      for (const { nip, nik, off } of item.earmarks ?? []) {
        if (nik === '') continue; // legacy "earmark removed" entries: superseded by per-worker `off`
        const key = `${item.agency}#${nip}#${nik}`;
        const list = versions.get(key) ?? [];
        list.push({
          earmark: { nik, nip, agency: item.agency },
          rank,
          at: item.recordedAt,
          off: off === true,
        });
        versions.set(key, list);
      }
    }
    const out: [string, Earmark][] = [];
    for (const [key, list] of versions) {
      list.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
      // The latest version decides; the earmark dates from the first version of its unbroken run.
      let since: string | undefined;
      for (const v of list) since = v.off ? undefined : (since ?? v.at);
      const last = list.at(-1);
      if (last !== undefined && !last.off && since !== undefined)
        out.push([key, { ...last.earmark, recordedAt: since }]);
    }
    return out.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  }

  #record(kind: 'read' | 'write', consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    if (this.#meter === undefined || consumed === undefined) return;
    for (const c of Array.isArray(consumed) ? consumed : [consumed])
      this.#meter[kind] += c.CapacityUnits ?? 0;
  }

  async #send<T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    operation: string,
    kind: 'read' | 'write',
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      const out = await call();
      this.#record(kind, out.ConsumedCapacity);
      return out;
    } catch (err) {
      throw translateDynamoDbError(err, operation);
    }
  }

  async #get(key: ItemKey, consistent = false): Promise<Item | undefined> {
    const out = await this.#send('GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: key.pk, sk: key.sk },
          ConsistentRead: consistent,
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    return out.Item;
  }

  #batchGet(keys: ItemKey[]): Promise<Item[]> {
    const only = keys.map((k) => ({ pk: k.pk, sk: k.sk }));
    return batchGetAll(this.#ddb, this.#table, only, { ...this.#batch, projection: ['pk', 'sk'] });
  }

  #batchPut(items: Item[]): Promise<void> {
    return batchPutAll(this.#ddb, this.#table, items, this.#batch);
  }

  /** Without earmarks unless asked: the sums need five small attributes, and the partition only grows. */
  async #queryCredits(pool: PoolCode, skPrefix?: string, withEarmarks = false): Promise<CreditItem[]> {
    const projected = ['sk', 'kind', 'period', 'agency', 'total', 'rows', 'amount', 'recordedAt'];
    if (withEarmarks) projected.push('earmarks');
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: skPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': ledgerKeys.creditPartition(pool),
          ...(skPrefix === undefined ? {} : { ':prefix': skPrefix }),
        },
        // Consistent: the allocation run must see every summary committed before it started.
        ConsistentRead: true,
        ProjectionExpression: projected.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(projected.map((name, i) => [`#a${i}`, name])),
      },
      { meter: this.#meter },
    );
    return items.map((raw) => creditItemSchema.parse(raw));
  }
}
