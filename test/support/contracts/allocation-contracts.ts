import { describe, expect, it } from 'vitest';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore, StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import type { AllocationEntry, ChunkCommit } from '#domain/ports/allocation/run-record.ts';
import { workerNik } from '../../unit/ingest/chunk-factory.ts';
import { runRecord } from '../run-records.ts';
import { collectPages } from './collect.ts';

/**
 * The behaviour every AllocationLog and CoverageStore must share: run against the in-memory fakes
 * (test/unit/contracts) and the DynamoDB adapters on the emulator (test/integration/contracts), so
 * the fakes the allocation tests use cannot drift from what runs on AWS.
 */

const entry = (n: number, over: Partial<AllocationEntry> = {}): AllocationEntry => ({
  pool: '15.04',
  month: '2026-03',
  nik: workerNik(n),
  tier: 'JKK_JKM',
  amount: 16_800,
  priority: 'ACTIVE',
  runId: '15.04/2026-03/001',
  name: `Pekerja ${n}`,
  allocatedAt: '2026-03-10T00:00:00.000Z',
  ...over,
});

const commit = (over: Partial<ChunkCommit> = {}): ChunkCommit => ({
  nextChunk: 1,
  status: 'RUNNING',
  cursor: { ...runRecord({ month: '2026-03', seq: 1 }).cursor, funded: 5, allocated: 84_000 },
  updatedAt: '2026-03-10T00:01:00.000Z',
  commitToken: 'token-a',
  uncovered: { chunk: 0, cursor: runRecord({ month: '2026-03', seq: 1 }).cursor },
  ...over,
});

export const describeAllocationLogContract = (name: string, make: () => Promise<AllocationLog>) => {
  describe(`AllocationLog contract: ${name}`, () => {
    it('creates a run once; the second create of the same pool+month+seq finds it', async () => {
      const log = await make();
      const run = runRecord({ month: '2026-03', seq: 1, status: 'RUNNING', cause: 'schedule:x' });

      const outcomes = [await log.createRun(run), await log.createRun({ ...run, cause: 'operator:y' })];

      expect(outcomes).toEqual(['CREATED', 'EXISTS']);
      expect(await log.getRun('15.04', '2026-03', 1)).toEqual(run);
      expect(await log.getRun('15.04', '2026-03', 2)).toBeUndefined();
    });

    it('lists a pool’s runs oldest first, by month then sequence (seq 10 after seq 9)', async () => {
      const log = await make();
      const runs = [
        runRecord({ month: '2026-02', seq: 10 }),
        runRecord({ month: '2026-03', seq: 1 }),
        runRecord({ month: '2026-02', seq: 9 }),
        runRecord({ month: '2026-01', seq: 2 }),
        runRecord({ pool: '15.05', month: '2026-01', seq: 1 }),
      ];
      for (const r of runs) await log.createRun(r);

      const listed = await log.listRuns('15.04');

      expect(listed.map((r) => `${r.month}/${r.seq}`)).toEqual([
        '2026-01/2',
        '2026-02/9',
        '2026-02/10',
        '2026-03/1',
      ]);
    });

    it('moves the cursor only from the chunk it is at, and only while the run is RUNNING', async () => {
      const log = await make();
      const run = runRecord({ month: '2026-03', seq: 1, status: 'RUNNING', chunkCount: 2, nextChunk: 0 });
      await log.createRun(run);

      const first = await log.commitChunk(run, 0, commit());
      const stale = await log.commitChunk(run, 0, commit({ commitToken: 'token-b' }));
      const last = await log.commitChunk(
        run,
        1,
        commit({
          nextChunk: 2,
          status: 'COMPLETED',
          completedAt: '2026-03-10T00:02:00.000Z',
          commitToken: 'c',
        }),
      );
      const afterEnd = await log.commitChunk(run, 2, commit({ nextChunk: 3 }));

      expect([first, stale, last, afterEnd]).toEqual(['COMMITTED', 'CONFLICT', 'COMMITTED', 'CONFLICT']);
      expect(await log.getRun('15.04', '2026-03', 1)).toMatchObject({
        nextChunk: 2,
        status: 'COMPLETED',
        completedAt: '2026-03-10T00:02:00.000Z',
        commitToken: 'c',
        cursor: { funded: 5, allocated: 84_000 },
      });
    });

    it('keeps the committed chunk uncovered until its coverage is marked written, and only that chunk', async () => {
      const log = await make();
      const run = runRecord({ month: '2026-03', seq: 1, status: 'RUNNING', chunkCount: 3, nextChunk: 0 });
      await log.createRun(run);

      await log.commitChunk(run, 0, commit());
      const afterCommit = (await log.getRun('15.04', '2026-03', 1))?.uncovered;
      await log.commitChunk(run, 1, commit({ nextChunk: 2, uncovered: { chunk: 1, cursor: run.cursor } }));
      await log.markCovered(run, 0);
      const staleMark = (await log.getRun('15.04', '2026-03', 1))?.uncovered?.chunk;
      await log.markCovered(run, 1);
      await log.markCovered(run, 1);

      expect(afterCommit).toMatchObject({ chunk: 0, cursor: { funded: 0 } });
      expect(staleMark).toBe(1);
      expect((await log.getRun('15.04', '2026-03', 1))?.uncovered).toBeUndefined();
    });

    it('marks a RUNNING run stalled, refuses a completed one, and keeps the first outputs time', async () => {
      const log = await make();
      const running = runRecord({ month: '2026-03', seq: 1, status: 'RUNNING' });
      const done = runRecord({ month: '2026-02', seq: 1 });
      await log.createRun(running);
      await log.createRun(done);
      const stalled = { at: '2026-03-10T01:00:00.000Z', reason: 'FOREIGN_ALLOCATION' };

      const outcomes = [await log.markStalled(running, stalled), await log.markStalled(done, stalled)];
      await log.markOutputs(done, '2026-02-10T01:00:00.000Z');
      await log.markOutputs(done, '2026-02-11T01:00:00.000Z');

      expect(outcomes).toEqual(['UPDATED', 'CONFLICT']);
      expect((await log.getRun('15.04', '2026-03', 1))?.stalled).toEqual(stalled);
      expect((await log.getRun('15.04', '2026-02', 1))?.stalled).toBeUndefined();
      expect((await log.getRun('15.04', '2026-02', 1))?.outputsAt).toBe('2026-02-10T01:00:00.000Z');
    });

    it('writes an allocation once per worker and month; another run’s entry comes back as foreign', async () => {
      const log = await make();
      const batch = [entry(1), entry(2), entry(3, { kpj: '12345678901' })];

      const first = await log.writeAllocations(batch);
      const redone = await log.writeAllocations(batch);
      const other = await log.writeAllocations([
        entry(2, { runId: '15.04/2026-03/002', amount: 36_800, tier: 'JKK_JKM_JHT' }),
        entry(4, { runId: '15.04/2026-03/002' }),
      ]);

      expect(first).toEqual({ written: 3, foreign: [] });
      expect(redone).toEqual({ written: 0, foreign: [] });
      expect(other).toEqual({ written: 1, foreign: [entry(2)] });
    });

    it('pages a month’s allocations in NIK order, and an empty month yields no page', async () => {
      const log = await make();
      await log.writeAllocations([entry(30), entry(4), entry(17)]);
      await log.writeAllocations([entry(5, { month: '2026-04' }), entry(6, { pool: '15.05' })]);

      const march = (await collectPages(log.allocations('15.04', '2026-03'))).flat();
      const empty = await collectPages(log.allocations('15.04', '2026-05'));

      expect(march).toEqual([entry(30), entry(4), entry(17)].sort((a, b) => a.nik.localeCompare(b.nik)));
      expect(empty).toEqual([]);
    });
  });
};

const coverage = (n: number, over: Partial<StoredCoverage> = {}): StoredCoverage => ({
  nik: workerNik(n),
  tier: 'JKK_JKM',
  month: '2026-03',
  status: 'ACTIVE',
  paidThrough: '2026-03',
  unpaidStreak: 0,
  prior: { status: 'WAITLISTED', unpaidStreak: 0 },
  ...over,
});

export const describeCoverageStoreContract = (name: string, make: () => Promise<CoverageStore>) => {
  describe(`CoverageStore contract: ${name}`, () => {
    it('lists a pool’s coverage in NIK order, and an empty pool yields no page', async () => {
      const store = await make();
      await store.put('15.04', [coverage(9), coverage(2), coverage(5)], { month: '2026-03', seq: 1 });
      await store.put('15.05', [coverage(7)], { month: '2026-03', seq: 1 });

      const listed = (await collectPages(store.list('15.04'))).flat();

      expect(listed).toEqual(
        [coverage(9), coverage(2), coverage(5)].sort((a, b) => a.nik.localeCompare(b.nik)),
      );
      expect(await collectPages(store.list('15.06'))).toEqual([]);
    });

    it('refuses a write from an earlier run than the stored one, and counts it', async () => {
      const store = await make();
      await store.put('15.04', [coverage(1), coverage(2)], { month: '2026-03', seq: 2 });

      const older = await store.put('15.04', [coverage(1, { status: 'LAPSED', paidThrough: '2026-01' })], {
        month: '2026-03',
        seq: 1,
      });
      const same = await store.put('15.04', [coverage(2, { unpaidStreak: 1, status: 'ACTIVE' })], {
        month: '2026-03',
        seq: 2,
      });
      const earlierMonth = await store.put('15.04', [coverage(1, { month: '2026-02' })], {
        month: '2026-02',
        seq: 9,
      });
      const later = await store.put('15.04', [coverage(1, { month: '2026-04', unpaidStreak: 1 })], {
        month: '2026-04',
        seq: 1,
      });

      expect([older, same, earlierMonth, later]).toEqual([
        { fenced: 1 },
        { fenced: 0 },
        { fenced: 1 },
        { fenced: 0 },
      ]);
      expect((await collectPages(store.list('15.04'))).flat()).toEqual([
        coverage(1, { month: '2026-04', unpaidStreak: 1 }),
        coverage(2, { unpaidStreak: 1 }),
      ]);
    });
  });
};
