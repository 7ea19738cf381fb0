import { beforeAll } from 'vitest';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
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
