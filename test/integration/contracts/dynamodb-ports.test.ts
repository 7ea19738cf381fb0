import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPoolRecord } from '#domain/pools.ts';
import { DynamoDbAgencyRegistry } from '#shared/adapters/dynamodb-agency-registry.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import {
  describeAlertLogContract,
  describeDigestLogContract,
  describeScanStateStoreContract,
} from '../../support/contracts/alert-contracts.ts';
import {
  describeAllocationLogContract,
  describeCoverageStoreContract,
} from '../../support/contracts/allocation-contracts.ts';
import {
  describeColumnMappingsContract,
  describeFileRegistryContract,
  describeWorkerRegistryContract,
} from '../../support/contracts/intake-contracts.ts';
import { type DdbTestBackend, ddbBackendOf } from '../ingest/ddb-backend.ts';

/**
 * The DynamoDB adapters against the contracts their in-memory fakes are held to
 * (test/unit/contracts/in-memory-ports.test.ts), each test on fresh tables of the emulator the suite
 * runs: dynalite by default, AWS's DynamoDB Local with SERTAKAN_DDB=dynamodb-local.
 */
const cloud = useLocalCloud();
let backend: DdbTestBackend;
beforeAll(() => {
  backend = ddbBackendOf(cloud());
});
const onTables = async () => ({ ddb: backend.ddb, ...(await backend.newTables()) });
const label = process.env.SERTAKAN_DDB === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

describeFileRegistryContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbFileRegistry({ ddb: t.ddb, tableName: t.registry });
});
describeColumnMappingsContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbColumnMappings({ ddb: t.ddb, tableName: t.registry });
});
describeWorkerRegistryContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbWorkerRegistry({ ddb: t.ddb, tableName: t.registry });
});
describeAllocationLogContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  // Pages of 2, so paging is part of the contract.
  return new DynamoDbAllocationLog({ ddb: t.ddb, tableName: t.ledger, pageSize: 2 });
});
describeCoverageStoreContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbCoverageStore({ ddb: t.ddb, tableName: t.registry, pageSize: 2 });
});
describeAlertLogContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbAlertLog({ ddb: t.ddb, tableName: t.ledger });
});
describeScanStateStoreContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbAlertLog({ ddb: t.ddb, tableName: t.ledger });
});
describeDigestLogContract(`DynamoDB adapter on ${label}`, async () => {
  const t = await onTables();
  return new DynamoDbAlertLog({ ddb: t.ddb, tableName: t.ledger }).digests;
});

describe(`DynamoDbPoolRegistry on ${label}`, () => {
  it("an operator's `pool set` changes the settings and keeps the intake's firstPeriod on the same item", async () => {
    // prepare: a pool registered with a name, whose first payroll month the intake noted
    const t = await onTables();
    const pools = new DynamoDbPoolRegistry({ ddb: t.ddb, tableName: t.registry });
    const agencies = new DynamoDbAgencyRegistry({ ddb: t.ddb, tableName: t.registry });
    const at = new Date('2026-01-05T01:00:00.000Z');
    await pools.create({ ...defaultPoolRecord('15.04', 'PAYROLL', at), name: 'Batanghari' });
    await agencies.notePeriod('15.04', '2025-11');
    // act: the record replaced with a new horizon and no name
    const before = await pools.get('15.04');
    if (before === undefined) throw new Error('pool not created');
    const { name: _name, ...unnamed } = before;
    await pools.replace({ ...unnamed, horizonMonths: 6, updatedAt: at.toISOString() });
    // assess
    expect(await pools.get('15.04')).toMatchObject({ horizonMonths: 6, updatedAt: at.toISOString() });
    expect((await pools.get('15.04'))?.name).toBeUndefined();
    expect((await agencies.getPool('15.04'))?.firstPeriod).toBe('2025-11');
    await expect(pools.replace({ ...unnamed, pool: '16.01' })).rejects.toMatchObject({
      code: 'POOL_UNKNOWN',
    });
  });
});
