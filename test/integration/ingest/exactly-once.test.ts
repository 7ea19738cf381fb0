import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeductionChunk } from '#domain/model.ts';
import type { PeriodCredits, WriteOutcome } from '#domain/ports/credit-ledger.ts';
import { makeHandler } from '#functions/ingest-deductions/handler.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import {
  chunksOfFile,
  donorNip,
  expectedTotals,
  makeChunk,
  shuffled,
} from '../../unit/ingest/chunk-factory.ts';
import { ingestContext, makeSqsEvent } from '../../unit/ingest/sqs-event.ts';
import { crashingClient, InjectedCrashError } from './crashing-client.ts';
import { type DdbTestBackend, ddbBackendOf } from './ddb-backend.ts';

const POOLS = ['15.04', '15.03'];

const correction = makeChunk({
  pool: '15.04',
  period: '2025-07',
  agency: 'A',
  fileId: 'fA-v2',
  kind: 'CORRECTION',
  entries: [
    { nip: donorNip(3), amount: -7_500, line: 4 },
    { nip: donorNip(400), amount: 30_000, line: 90 },
    { nip: donorNip(5), amount: 0, workerNik: '', line: 6 },
  ],
});

/** Two pools, three agencies, a correction: 7 chunks, 225 deductions. */
const allChunks: DeductionChunk[] = [
  ...chunksOfFile({ pool: '15.04', period: '2025-07', agency: 'A', fileId: 'fA', donors: range(0, 120) }),
  ...chunksOfFile({ pool: '15.04', period: '2025-07', agency: 'B', fileId: 'fB', donors: range(120, 180) }),
  ...chunksOfFile({ pool: '15.03', period: '2025-07', agency: 'C', fileId: 'fC', donors: range(500, 544) }),
  correction,
];

/** Fewer chunks for the crash test, which replays once per write point (4 chunks, every kind of step). */
const crashChunks: DeductionChunk[] = [
  ...chunksOfFile({ pool: '15.04', period: '2025-07', agency: 'A', fileId: 'fA', donors: range(0, 70) }),
  ...chunksOfFile({ pool: '15.03', period: '2025-07', agency: 'C', fileId: 'fC', donors: range(500, 510) }),
  correction,
];

const cloud = useLocalCloud();
let backend: DdbTestBackend;

beforeAll(() => {
  backend = ddbBackendOf(cloud());
});

/** A clock that moves 1 ms per reading, so recording times are distinct and ordered. */
const tickingClock = () => {
  let t = Date.parse('2025-07-02T01:00:00Z');
  return { now: () => new Date(t++) };
};

const freshWorld = async () => {
  const names = await backend.newTables();
  await Promise.all(POOLS.map((pool) => backend.addPool(names.registry, pool)));
  const ingestWith = (ddb: DynamoDBDocumentClient) =>
    makeIngestDeductions({
      ledger: new DynamoDbCreditLedger({ ddb, tableName: names.ledger }),
      pools: new DynamoDbPoolRegistry({ ddb, tableName: names.registry }),
      clock: tickingClock(),
    });
  const reader = new DynamoDbCreditLedger({ ddb: backend.ddb, tableName: names.ledger });
  const credits = async () => {
    const byPool: Record<string, PeriodCredits[]> = {};
    // Money and counts; when a chunk was first recorded depends on the delivery order, not on what it holds.
    for (const pool of POOLS)
      byPool[pool] = (await reader.creditsByPeriod(pool)).map(({ lastPayrollAt: _, ...c }) => c);
    return byPool;
  };
  const totals = async () => {
    const sums = new Map<string, number>();
    for (const [pool, periods] of Object.entries(await credits())) {
      const sum = periods.reduce((s, p) => s + p.deductions + p.corrections, 0);
      if (periods.length > 0) sums.set(pool, sum);
    }
    return sums;
  };
  return { names, ingestWith, credits, totals };
};

/** Feeds chunks to a handler the way the event source mapping does: batches of 10 records. */
const deliver = async (handler: ReturnType<typeof makeHandler>, chunks: readonly DeductionChunk[]) => {
  const failed: string[] = [];
  for (let i = 0; i < chunks.length; i += 10) {
    const batch = chunks.slice(i, i + 10);
    const result = await handler(makeSqsEvent(batch.map((c) => JSON.stringify(c))), ingestContext());
    failed.push(...result.batchItemFailures.map((f) => f.itemIdentifier));
  }
  return failed;
};

const cleanPass = async (chunks: readonly DeductionChunk[]) => {
  const world = await freshWorld();
  const ingest = world.ingestWith(backend.ddb);
  for (const chunk of chunks) await ingest(chunk);
  return world.credits();
};

describe('ingest-deductions exactly once', () => {
  let clean: Awaited<ReturnType<typeof cleanPass>>;
  let cleanSmall: Awaited<ReturnType<typeof cleanPass>>;

  beforeAll(async () => {
    [clean, cleanSmall] = [await cleanPass(allChunks), await cleanPass(crashChunks)];
  });

  it('a clean pass counts every rupiah of every chunk', async () => {
    const totals = new Map(
      Object.entries(clean).map(([pool, periods]) => [
        pool,
        periods.reduce((s, p) => s + p.deductions + p.corrections, 0),
      ]),
    );
    expect(totals).toEqual(expectedTotals(allChunks));
    expect(clean['15.04']?.[0]?.deductionRows).toBe(180);
  });

  it.each([2, 5])('delivering every message %ix in shuffled order gives the clean totals', async (times) => {
    const world = await freshWorld();
    const outcomes: WriteOutcome[] = [];
    const ingest = world.ingestWith(backend.ddb);
    const handler = makeHandler({ ingest: async (c) => record(outcomes, await ingest(c)) });
    const deliveries = shuffled(
      allChunks.flatMap((c) => Array.from({ length: times }, () => c)),
      times,
    );

    const failed = await deliver(handler, deliveries);

    expect(failed).toEqual([]);
    expect(outcomes.filter((o) => o === 'WRITTEN')).toHaveLength(allChunks.length);
    expect(await world.credits()).toEqual(clean);
  });

  it('a crash after any write, then redelivery of everything, gives the clean totals', async () => {
    const probe = await freshWorld();
    const counting = crashingClient(backend.ddb, Number.POSITIVE_INFINITY);
    const probeIngest = probe.ingestWith(counting.client);
    for (const chunk of crashChunks) await probeIngest(chunk);
    const sendsOfCleanPass = counting.state.sends;
    const crashedOn = new Set<string>();

    for (let crashAfter = 1; crashAfter <= sendsOfCleanPass; crashAfter++) {
      const world = await freshWorld();
      const crashing = crashingClient(backend.ddb, crashAfter);
      const ingest = world.ingestWith(crashing.client);
      let completed = 0;
      try {
        for (const chunk of crashChunks) {
          await ingest(chunk);
          completed++;
        }
      } catch (err) {
        if (!(err instanceof InjectedCrashError)) throw err;
      }
      crashedOn.add(crashing.state.crashedOn ?? 'none');
      // Until redelivery, only committed chunks count; the one in flight counts only if its summary landed.
      const committed = crashChunks.slice(0, completed + (crashing.state.crashedOn === 'PutCommand' ? 1 : 0));
      expect(await world.totals(), `after crash at send ${crashAfter}`).toEqual(expectedTotals(committed));

      const redeliver = world.ingestWith(backend.ddb);
      for (const chunk of shuffled(crashChunks, crashAfter)) await redeliver(chunk);
      expect(await world.credits(), `redelivered after crash at send ${crashAfter}`).toEqual(cleanSmall);
    }
    // Every kind of step was a crash point: pool lookup, summary+directory read, batch writes, commit.
    expect([...crashedOn].sort()).toEqual([
      'BatchGetCommand',
      'BatchWriteCommand',
      'GetCommand',
      'PutCommand',
    ]);
  });

  it('two consumers on overlapping batches, concurrently, give the clean totals', async () => {
    const world = await freshWorld();
    const outcomes: WriteOutcome[] = [];
    const consumer = () => {
      const ingest = world.ingestWith(backend.ddb);
      return makeHandler({ ingest: async (c) => record(outcomes, await ingest(c)) });
    };
    const firstShare = shuffled(allChunks.slice(0, 5), 11);
    const secondShare = shuffled(allChunks.slice(2), 12);

    const [failedA, failedB] = await Promise.all([
      deliver(consumer(), [...firstShare, ...shuffled(allChunks, 13)]),
      deliver(consumer(), [...secondShare, ...shuffled(allChunks, 14)]),
    ]);

    expect([...failedA, ...failedB]).toEqual([]);
    expect(outcomes.filter((o) => o === 'WRITTEN')).toHaveLength(allChunks.length);
    expect(await world.credits()).toEqual(clean);
  });

  it('a poison chunk (unknown pool) fails alone in its batch', async () => {
    const world = await freshWorld();
    const handler = makeHandler({ ingest: world.ingestWith(backend.ddb) });
    const poison = makeChunk({ pool: '15.09', entries: [{ nip: donorNip(1), amount: 10_000, line: 2 }] });
    const batch = [allChunks[0], poison, allChunks[1]].map((c) => JSON.stringify(c));

    const logged: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi
        .spyOn(stream, 'write')
        .mockImplementation((line: string | Uint8Array) => logged.push(String(line)) > 0),
    );

    const result = await handler(makeSqsEvent(batch), ingestContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    for (const spy of spies) spy.mockRestore();
    expect(logged.join('')).toContain('UNKNOWN_POOL');
    const written = (await world.credits())['15.04']?.[0]?.deductionRows;
    expect(written).toBe((allChunks[0]?.entries.length ?? 0) + (allChunks[1]?.entries.length ?? 0));
  });
});

function record(outcomes: WriteOutcome[], outcome: WriteOutcome): WriteOutcome {
  outcomes.push(outcome);
  return outcome;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
