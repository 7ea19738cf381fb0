import { beforeAll } from 'vitest';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import {
  describeBillBookContract,
  describeConfirmationStoreContract,
} from '../../support/contracts/bill-book-contract.ts';
import { type DdbTestBackend, ddbBackendOf } from '../ingest/ddb-backend.ts';

/** The DynamoDB BillBook against the contract its fake is held to, on fresh tables of the emulator. */
const cloud = useLocalCloud();
let backend: DdbTestBackend;
beforeAll(() => {
  backend = ddbBackendOf(cloud());
});

describeBillBookContract('DynamoDB adapter', async () => {
  const t = await backend.newTables();
  return new DynamoDbBillBook({ ddb: backend.ddb, tableName: t.ledger });
});

describeConfirmationStoreContract('DynamoDB adapter', async () => {
  const t = await backend.newTables();
  return new DynamoDbConfirmationStore({ ddb: backend.ddb, tableName: t.ledger });
});
