import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localName, type TableSpec, tables } from '#infra/resources.ts';
import { startDynamoDbLocal } from '#shared/local-cloud/dynamodb-local.ts';
import { type RunningEmulator, startDynalite } from '#shared/local-cloud/emulators.ts';
import { type DdbBackend, ddbBackendFromEnv } from '#shared/local-cloud/local-cloud.ts';
import { makeAwsClients } from '#shared/runtime/aws-clients.ts';

/**
 * DynamoDB only (these tests need no queues or buckets): dynalite by default, AWS's DynamoDB Local
 * with SERTAKAN_DDB=dynamodb-local. Each test takes fresh tables from `newTables()` (its own stage),
 * created from infra/resources.ts like the local cloud and CDK do.
 */
export type DdbTestBackend = {
  readonly kind: DdbBackend;
  readonly endpoint: string;
  readonly ddb: DynamoDBDocumentClient;
  readonly ddbRaw: DynamoDBClient;
  newTables(): Promise<{ readonly ledger: string; readonly registry: string }>;
  addPool(registryTable: string, pool: string): Promise<void>;
  stop(): Promise<void>;
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

export const startDdbBackend = async (): Promise<DdbTestBackend> => {
  const kind = ddbBackendFromEnv();
  const emulator: RunningEmulator =
    kind === 'dynamodb-local'
      ? await startDynamoDbLocal()
      : await startDynalite({ host: '127.0.0.1', port: 0 });
  const clients = makeAwsClients({ endpoints: { dynamodb: emulator.endpoint } });
  return {
    kind,
    endpoint: emulator.endpoint,
    ddb: clients.ddb,
    ddbRaw: clients.ddbRaw,
    newTables: async () => {
      const stage = `t${randomUUID().slice(0, 8)}`;
      const ledger = localName(stage, tables.ledger.name);
      const registry = localName(stage, tables.registry.name);
      await Promise.all([
        createTable(clients.ddbRaw, ledger, tables.ledger),
        createTable(clients.ddbRaw, registry, tables.registry),
      ]);
      return { ledger, registry };
    },
    addPool: async (registryTable, pool) => {
      await clients.ddb.send(
        new PutCommand({ TableName: registryTable, Item: { pk: 'POOL', sk: pool, name: pool } }),
      );
    },
    stop: async () => {
      clients.destroy();
      await emulator.stop();
    },
  };
};
