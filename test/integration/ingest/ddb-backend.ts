import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localName, type TableSpec, tables } from '#infra/resources.ts';
import { startDynamoDbLocal } from '#shared/local-cloud/dynamodb-local.ts';
import { type RunningEmulator, startDynalite } from '#shared/local-cloud/emulators.ts';
import { type DdbBackend, ddbBackendFromEnv, type LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { makeAwsClients } from '#shared/runtime/aws-clients.ts';

/**
 * Fresh ledger and registry tables per test (`newTables()`, each its own stage, created from
 * infra/resources.ts like the local cloud and CDK do) on the DynamoDB of a local cloud (tests:
 * `ddbBackendOf(useLocalCloud()())`) or of a bare emulator (`startDdbBackend()`, for the bench).
 * Backend: dynalite by default, AWS's DynamoDB Local with SERTAKAN_DDB=dynamodb-local.
 */
export type DdbTestBackend = {
  readonly kind: DdbBackend;
  readonly ddb: DynamoDBDocumentClient;
  newTables(): Promise<{ readonly ledger: string; readonly registry: string }>;
  addPool(registryTable: string, pool: string): Promise<void>;
};

const createTable = async (ddb: DynamoDBClient, name: string, spec: TableSpec): Promise<void> => {
  const attrs = [
    spec.partitionKey,
    spec.sortKey,
    ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...new Map(attrs.map((a) => [a.name, a.type]))].map(
        ([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        }),
      ),
      KeySchema: [
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: spec.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: spec.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  for (let i = 0; i < 200; i++) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${name} never became ACTIVE`);
};

const backendOn = (
  kind: DdbBackend,
  ddb: DynamoDBDocumentClient,
  ddbRaw: DynamoDBClient,
): DdbTestBackend => ({
  kind,
  ddb,
  newTables: async () => {
    const stage = `t${randomUUID().slice(0, 8)}`;
    const ledger = localName(stage, tables.ledger.name);
    const registry = localName(stage, tables.registry.name);
    await Promise.all([
      createTable(ddbRaw, ledger, tables.ledger),
      createTable(ddbRaw, registry, tables.registry),
    ]);
    return { ledger, registry };
  },
  addPool: async (registryTable, pool) => {
    await ddb.send(new PutCommand({ TableName: registryTable, Item: { pk: 'POOL', sk: pool, name: pool } }));
  },
});

export const ddbBackendOf = (cloud: LocalCloud): DdbTestBackend =>
  backendOn(cloud.ddbBackend, cloud.clients.ddb, cloud.clients.ddbRaw);

/** A bare emulator with no queues or buckets (the bench needs only DynamoDB). */
export const startDdbBackend = async (): Promise<DdbTestBackend & { stop(): Promise<void> }> => {
  const kind = ddbBackendFromEnv();
  const emulator: RunningEmulator =
    kind === 'dynamodb-local'
      ? await startDynamoDbLocal()
      : await startDynalite({ host: '127.0.0.1', port: 0 });
  const clients = makeAwsClients({ endpoints: { dynamodb: emulator.endpoint } });
  return {
    ...backendOn(kind, clients.ddb, clients.ddbRaw),
    stop: async () => {
      clients.destroy();
      await emulator.stop();
    },
  };
};
