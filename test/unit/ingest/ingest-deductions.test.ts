import { describe, expect, it } from 'vitest';
import { PoisonMessageError } from '#domain/errors.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import { makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { chunksOfFile, donorNip, expectedTotals, makeChunk, shuffled } from './chunk-factory.ts';

const pools = (...known: string[]): PoolDirectory => ({ poolExists: async (pool) => known.includes(pool) });
const fixedClock = (iso: string) => ({ now: () => new Date(iso) });

const setup = () => {
  const ledger = new InMemoryCreditLedger();
  const ingest = makeIngestDeductions({
    ledger,
    pools: pools('15.04', '15.03'),
    clock: fixedClock('2025-07-02T03:00:00Z'),
  });
  return { ledger, ingest };
};

describe('ingestDeductions', () => {
  it('writes a new chunk with the clock time and reports a redelivery as already present', async () => {
    const { ledger, ingest } = setup();
    const [chunk] = chunksOfFile({
      pool: '15.04',
      period: '2025-07',
      agency: 'A',
      fileId: 'f1',
      donors: [1, 2],
    });
    if (chunk === undefined) throw new Error('fixture');

    const first = await ingest(chunk);
    const again = await ingest(chunk);

    expect([first, again]).toEqual(['WRITTEN', 'ALREADY_PRESENT']);
    expect([...ledger.chunks.values()].map((c) => c.recordedAt.toISOString())).toEqual([
      '2025-07-02T03:00:00.000Z',
    ]);
  });

  it('keeps per-pool totals of a clean pass under duplicated and shuffled delivery', async () => {
    const chunks = [
      ...chunksOfFile({ pool: '15.04', period: '2025-07', agency: 'A', fileId: 'f1', donors: range(0, 120) }),
      ...chunksOfFile({
        pool: '15.03',
        period: '2025-07',
        agency: 'B',
        fileId: 'f2',
        donors: range(200, 260),
      }),
    ];
    const { ledger, ingest } = setup();

    for (const chunk of shuffled([...chunks, ...chunks, ...chunks], 7)) await ingest(chunk);

    const totals = new Map<string, number>();
    for (const pool of ['15.04', '15.03']) {
      totals.set(
        pool,
        (await ledger.creditsByPeriod(pool)).reduce((s, p) => s + p.deductions, 0),
      );
    }
    expect(totals).toEqual(expectedTotals(chunks));
  });

  it('refuses a chunk of an unknown pool as poison and writes nothing', async () => {
    const { ledger, ingest } = setup();
    const chunk = makeChunk({ pool: '15.09', entries: [{ nip: donorNip(1), amount: 10_000, line: 2 }] });

    await expect(ingest(chunk)).rejects.toThrow(PoisonMessageError);
    expect(ledger.chunks.size).toBe(0);
  });

  it('refuses a chunk naming one NIP twice, since the second row would overwrite the first', async () => {
    const { ledger, ingest } = setup();
    const chunk = makeChunk({
      entries: [
        { nip: donorNip(1), amount: 10_000, line: 2 },
        { nip: donorNip(1), amount: 20_000, line: 3 },
      ],
    });

    await expect(ingest(chunk)).rejects.toMatchObject({ code: 'DUPLICATE_NIP' });
    expect(ledger.chunks.size).toBe(0);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
