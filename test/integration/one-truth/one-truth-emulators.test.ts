/**
 * The one-truth property (test/unit/one-truth) through the emulators, shorter: the ledger, the
 * allocation log, coverage, plans (S3) and the month shares are the DynamoDB and S3 adapters on the
 * local cloud; the intake use cases keep their in-memory registry and object store. Each sequence
 * works in its own pool of the same tables. The oracle reads its own copy of every committed chunk,
 * written beside DynamoDB with the same recording time; every view is read back through the adapters.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Grant } from '#domain/model.ts';
import { defaultPoolRecord } from '#domain/pools.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { checkViews } from '../../unit/one-truth/one-truth-oracle.ts';
import { actionArb, type Backend, pipelineWorld } from '../../unit/one-truth/pipeline-world.ts';

const cloud = useLocalCloud();

/** Writes go to DynamoDB and, with the same recording time, to the oracle's copy. */
function teeLedger(ddb: DynamoDbCreditLedger, record: InMemoryCreditLedger): CreditLedger {
  return {
    writeChunk: async (chunk, at) => {
      const outcome = await ddb.writeChunk(chunk, at);
      await record.writeChunk(chunk, at);
      return outcome;
    },
    writeGrant: async (grant: Grant, at) => {
      const outcome = await ddb.writeGrant(grant, at);
      await record.writeGrant(grant, at);
      return outcome;
    },
    creditsByPeriod: (pool, asOf) => ddb.creditsByPeriod(pool, asOf),
    earmarks: (pool, period) => ddb.earmarks(pool, period),
  };
}

let sequence = 0;

async function emulatorBackend(): Promise<{ backend: Backend; pool: string }> {
  const c = cloud();
  const { ddb } = c.clients;
  const { ledger: ledgerTable, registry } = c.names.tables;
  const pool = `15.${String(10 + (sequence++ % 90)).padStart(2, '0')}`;
  const pools = new DynamoDbPoolRegistry({ ddb, tableName: registry });
  await pools.create(defaultPoolRecord(pool, 'PAYROLL', new Date('2025-12-01T00:00:00Z')));
  const record = new InMemoryCreditLedger();
  const log = new DynamoDbAllocationLog({ ddb, tableName: ledgerTable });
  return {
    pool,
    backend: {
      ledger: teeLedger(new DynamoDbCreditLedger({ ddb, tableName: ledgerTable }), record),
      record,
      reader: new DynamoDbLedgerQueries({ ddb, tableName: ledgerTable }),
      log,
      allocations: log,
      coverage: new DynamoDbCoverageStore({ ddb, tableName: registry }),
      plans: new ObjectStorePlanStore(new S3ObjectStore({ s3: c.clients.s3 }), c.names.buckets.reports),
      shares: new DynamoDbShareStore({ ddb, tableName: ledgerTable }),
      pools,
    },
  };
}

describe('one truth through the emulators', () => {
  it('every view read through the adapters equals the committed ledger after every step', async () => {
    const started = performance.now();
    const stats = { sequences: 0, steps: 0, views: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 1, maxLength: 12, size: 'medium' }),
        async (actions) => {
          const { backend, pool } = await emulatorBackend();
          const w = pipelineWorld(backend, pool);
          stats.sequences++;
          for (const [i, a] of actions.entries()) {
            const up = await w.apply(a);
            stats.steps++;
            stats.views += await checkViews(w, up, `${pool} step ${i + 1} ${JSON.stringify(a)}`);
          }
        },
      ),
      // Shrinking makes a new pool per attempt; a failure still names the sequence.
      { numRuns: Number(process.env.ONE_TRUTH_EMULATOR_RUNS ?? 12), seed: 2826, endOnFailure: true },
    );
    process.stderr.write(
      `one truth (emulators): ${stats.sequences} sequences, ${stats.steps} steps, ${stats.views} view checks, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }, 180_000);
});
