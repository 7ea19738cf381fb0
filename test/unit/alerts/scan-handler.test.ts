import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError, TransientError } from '#domain/errors.ts';
import { makeHandler } from '#functions/scan-lapses/handler.ts';
import type { ScanStep } from '#shared/use-cases/scan-lapses.ts';
import { ingestContext, makeSqsEvent } from '../ingest/sqs-event.ts';

afterEach(() => vi.restoreAllMocks());

describe('scan-lapses handler error policy', () => {
  it('drops the job of a pool that no longer exists, retries a passing failure, logs the pool', async () => {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const scan = vi.fn(async (job: { pool: string }): Promise<ScanStep> => {
      throw job.pool === '15.09' ? new NotFoundError('no pool 15.09') : new TransientError('throttled');
    });
    const lambda = makeHandler({
      scan,
      fanOut: async () => ({ pools: 0, date: '2026-03-01' }),
      expireHeld: async () => [],
    });
    const job = (pool: string) => JSON.stringify({ kind: 'SCAN', pool, date: '2026-03-01' });

    const result = await lambda(makeSqsEvent([job('15.09'), job('15.04')]), ingestContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'scan job dropped: the pool no longer exists',
        pool: '15.09',
        code: 'NOT_FOUND',
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'scan job failed; SQS will redeliver it',
        pool: '15.04',
      }),
    );
  });
});
