/**
 * Ingest benchmark: N deductions through DynamoDbCreditLedger.writeChunk on the local emulator, next to
 * the raw BatchWriteItem throughput of the same emulator for the same number of same-size items,
 * measured in the same run. Prints figures; never fails on a time.
 *
 *   npx tsx test/bench/ingest.ts [N=20000] [chunks in flight=10]
 *   SERTAKAN_DDB=dynamodb-local npx tsx test/bench/ingest.ts
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeductionChunk } from '#domain/model.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { makeCapacityMeter } from '#shared/adapters/dynamodb-support.ts';
import { chunkItems } from '#shared/adapters/ledger-keys.ts';
import { startDdbBackend } from '../integration/ingest/ddb-backend.ts';
import { chunksOfFile } from '../unit/ingest/chunk-factory.ts';

const total = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 10);
const AGENCY_SIZE = 1_000;

/** One payroll month of `total` donors, 1,000 per agency, 1 in 20 earmarking a worker. */
const month = (period: string): DeductionChunk[] => {
  const chunks: DeductionChunk[] = [];
  for (let first = 0, a = 0; first < total; first += AGENCY_SIZE, a++) {
    const donors = Array.from({ length: Math.min(AGENCY_SIZE, total - first) }, (_, i) => first + i);
    chunks.push(
      ...chunksOfFile({ pool: '15.04', period, agency: `OPD-${a}`, fileId: `f-${period}-${a}`, donors }),
    );
  }
  return chunks;
};

/** Runs `work` over `items` with at most `limit` in flight, like a Lambda's parallel batch. */
const pool = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
};

const timed = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

const rawBatchWrite = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
) => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches, inFlight * 2, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []).map((r) => ({
        PutRequest: { Item: r.PutRequest?.Item ?? {} },
      }));
    }
  });
};

const ROUNDS = 4;

const main = async () => {
  const backend = await startDdbBackend();
  try {
    const { ledger: table } = await backend.newTables();
    const meter = makeCapacityMeter();
    const ledger = new DynamoDbCreditLedger({ ddb: backend.ddb, tableName: table, meter });
    const july = month('2025-07');
    const august = month('2025-08');
    const at = new Date('2025-08-02T00:00:00Z');

    const newDonorsSeconds = await timed(() => pool(july, inFlight, (c) => ledger.writeChunk(c, at)));
    const newDonorsWcu = meter.write;
    meter.write = 0;
    meter.read = 0;
    // Known donors (the steady state), in rounds alternating with the raw baseline so that load from
    // anything else on the machine hits both alike. The raw items are the same rows (same size: the
    // 'DED#' prefix becomes 'RAW#') into the same table, so both write into an equally full table.
    let knownSeconds = 0;
    let rawSeconds = 0;
    let rawCount = 0;
    const roundSize = Math.ceil(august.length / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      const round = august.slice(r * roundSize, (r + 1) * roundSize);
      knownSeconds += await timed(() => pool(round, inFlight, (c) => ledger.writeChunk(c, at)));
      const rawItems = round.flatMap((c) =>
        chunkItems(c, at.toISOString()).rows.map((row) => ({ ...row, pk: row.pk.replace(/^DED#/, 'RAW#') })),
      );
      rawCount += rawItems.length;
      rawSeconds += await timed(() => rawBatchWrite(backend.ddb, table, rawItems));
    }

    const rate = (n: number, s: number) => Math.round(n / s);
    const ingestRate = rate(total, knownSeconds);
    const rawRate = rate(rawCount, rawSeconds);
    const figures = {
      backend: backend.kind,
      deductions: total,
      chunks: august.length,
      chunksInFlight: inFlight,
      rawBatchWritesInFlight: inFlight * 2,
      knownDonors: {
        deductionsPerSecond: ingestRate,
        wcuPerDeduction: +(meter.write / total).toFixed(3),
        rcuPerDeduction: +(meter.read / total).toFixed(3),
      },
      newDonors: {
        deductionsPerSecond: rate(total, newDonorsSeconds),
        wcuPerDeduction: +(newDonorsWcu / total).toFixed(3),
      },
      rawBatchWriteItemsPerSecond: rawRate,
      ingestToRawRatio: +(ingestRate / rawRate).toFixed(2),
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await backend.stop();
  }
};

await main();
