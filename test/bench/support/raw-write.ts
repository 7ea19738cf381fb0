/**
 * The limit beside the pipeline: the emulator's raw BatchWriteItem throughput for the same number of
 * items of the same size (deduction rows as the ledger writes them, prefix `RAW#` instead of `DED#`),
 * into the same table, in the same run.
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeductionChunk } from '#domain/model.ts';
import { chunkItems } from '#shared/adapters/ledger-keys.ts';
import { nipOf } from './population.ts';

/** Runs `work` over `items` with at most `limit` in flight. */
export const inParallel = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
};

export const batchWrite = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
) => {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  while (pending.length > 0) {
    const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []).map((r) => ({
      PutRequest: { Item: r.PutRequest?.Item ?? {} },
    }));
  }
};

export type RawWriteResult = {
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly avgItemBytes: number;
};

/**
 * `count` deduction-row-shaped items in chunks of 50 (as ingest builds them), BatchWriteItem 25 at a
 * time with `inFlight` calls outstanding (ingest's 10 chunks per invocation x 2 batches each = 20).
 */
export const measureRawBatchWrite = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  opts: { count: number; period: string; inFlight?: number },
): Promise<RawWriteResult> => {
  const at = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let first = 0; first < opts.count; first += 50) {
    const chunk: DeductionChunk = {
      chunkId: `raw-${first}`,
      fileId: '0123456789abcdef01234567',
      kind: 'DEDUCTION',
      pool: '15.04',
      period: opts.period,
      agency: `OPD-1504-${String(Math.floor(first / 200) % 1000).padStart(3, '0')}`,
      entries: Array.from({ length: Math.min(50, opts.count - first) }, (_, i) => ({
        nip: nipOf(first + i),
        amount: 16_800,
        line: first + i + 2,
        ...((first + i) % 33 === 0 ? { workerNik: '1504014107900001' } : {}),
      })),
    };
    for (const row of chunkItems(chunk, at).rows) items.push({ ...row, pk: row.pk.replace(/^DED#/, 'RAW#') });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const avgItemBytes = Math.round(
    items.reduce((s, it) => s + Buffer.byteLength(JSON.stringify(it)), 0) / Math.max(1, items.length),
  );
  const started = performance.now();
  await inParallel(batches, opts.inFlight ?? 20, (batch) => batchWrite(ddb, table, batch));
  const seconds = (performance.now() - started) / 1000;
  return { items: items.length, seconds, itemsPerSecond: items.length / seconds, avgItemBytes };
};
