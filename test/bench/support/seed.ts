/**
 * Direct enrollment for large runs: the registry items the worker registry writes for a new worker
 * (owner claim, enrollment; the history item is left out as nothing monthly reads it), put with
 * BatchWriteItem. Registering through files goes one row at a time (see the report), which at 100k
 * workers would dominate a benchmark of the monthly flow; enrollment is one-time onboarding.
 */
import type { Period } from '#domain/model.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { type BenchPool, workersOf } from './population.ts';
import { batchWrite, inParallel } from './raw-write.ts';

export const seedWorkers = async (
  cloud: LocalCloud,
  pools: readonly BenchPool[],
  start: Period,
  at: Date,
) => {
  const table = cloud.names.tables.registry;
  const updatedAt = at.toISOString();
  const items: Record<string, unknown>[] = [];
  for (const pool of pools) {
    for (const w of workersOf(pool, start)) {
      items.push({
        pk: `NIK#${w.nik}`,
        sk: 'OWNER',
        pool: pool.code,
        claimedAt: updatedAt,
        fileId: 'bench-seed',
      });
      items.push({
        pk: `WORKER#${pool.code}`,
        sk: w.nik,
        pool: pool.code,
        nik: w.nik,
        name: w.name,
        ...(w.kpj === '' ? {} : { kpj: w.kpj }),
        tier: w.tier,
        occupation: w.occupation,
        enrolledOn: w.enrolledOn,
        updatedAt,
        fileId: 'bench-seed',
      });
    }
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await inParallel(batches, 10, (b) => batchWrite(cloud.clients.ddb, table, b));
};
