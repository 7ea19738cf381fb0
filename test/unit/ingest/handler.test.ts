import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransientError } from '#domain/errors.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import { buildDeps, makeHandler } from '#functions/ingest-deductions/handler.ts';
import { makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { donorNip, makeChunk } from './chunk-factory.ts';
import { ingestContext, makeSqsEvent } from './sqs-event.ts';

const pools: PoolDirectory = { poolExists: async (pool) => pool === '15.04' };
const clock = { now: () => new Date('2025-07-02T03:00:00Z') };
const secretNip = donorNip(4242);
const good = (index: number) =>
  JSON.stringify(makeChunk({ index, entries: [{ nip: donorNip(index), amount: 10_000, line: 2 }] }));

afterEach(() => vi.restoreAllMocks());

describe('ingest-deductions handler', () => {
  it('fails only the poison records of a batch and writes the others', async () => {
    const ledger = new InMemoryCreditLedger();
    const handler = makeHandler({ ingest: makeIngestDeductions({ ledger, pools, clock }) });
    const unknownPool = JSON.stringify(
      makeChunk({ pool: '15.09', index: 9, entries: [{ nip: secretNip, amount: 10_000, line: 2 }] }),
    );
    const badSchema = JSON.stringify({
      ...makeChunk({ index: 8, entries: [] }),
      entries: [{ nip: `${secretNip}9` }],
    });
    const output: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }

    const result = await handler(
      makeSqsEvent([good(0), unknownPool, 'not json', badSchema, good(1)]),
      ingestContext(),
    );

    // Records run in parallel, so failures come back in completion order.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(ledger.chunks.size).toBe(2);
    const logged = output.join('');
    expect(logged).toContain('poison deduction chunk');
    expect(logged).not.toContain(secretNip);
  });

  it('reports a transient failure as a failed record so SQS redelivers it', async () => {
    const ingest = vi
      .fn()
      .mockRejectedValueOnce(new TransientError('throttled'))
      .mockResolvedValue('WRITTEN');
    const handler = makeHandler({ ingest });
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockReturnValue(true);

    const first = await handler(makeSqsEvent([good(0)]), ingestContext());
    const second = await handler(makeSqsEvent([good(0)], 2), ingestContext());

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(second.batchItemFailures).toEqual([]);
  });
});

describe('ingest-deductions wiring', () => {
  it('fails fast naming each missing table variable', () => {
    const ddb = {} as DynamoDBDocumentClient;

    expect(() => buildDeps({ LEDGER_TABLE_NAME: 'l' }, { ddb })).toThrow(/REGISTRY_TABLE_NAME is missing/);
    expect(() => buildDeps({}, { ddb })).toThrow(
      /LEDGER_TABLE_NAME is missing; REGISTRY_TABLE_NAME is missing/,
    );
    expect(buildDeps({ LEDGER_TABLE_NAME: 'l', REGISTRY_TABLE_NAME: 'r' }, { ddb }).ingest).toBeTypeOf(
      'function',
    );
  });
});
