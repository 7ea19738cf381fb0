import { setTimeout as delay } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { localName, type TableName, type TableSpec, tables } from '#infra/resources.ts';

/**
 * The tables of infra/resources.ts alone (create-resources.ts adds queues, topics and buckets): what a
 * command that only reads and writes tables needs on a data dir, without the other emulators or SDK
 * clients.
 */

export class ResourceSetupError extends Error {
  override readonly name = 'ResourceSetupError';
}

const keyAttributes = (spec: TableSpec): AttributeDefinition[] => {
  const all = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const unique = new Map(all.map((a) => [a.name, a.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

const waitUntilActive = async (ddb: DynamoDBClient, tableName: string): Promise<void> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await delay(10);
  }
  throw new ResourceSetupError(`table ${tableName} did not become ACTIVE`);
};

/** An existing table (on-disk data dir) must still match the spec, or the run would be misleading. */
const checkExistingTable = async (ddb: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> => {
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = spec.indexes.filter((i) => !existing.has(i.name)).map((i) => i.name);
  if (missing.length > 0) {
    throw new ResourceSetupError(
      `table ${tableName} exists without index(es) ${missing.join(', ')}: delete the local data dir`,
    );
  }
};

const createTable = async (ddb: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> => {
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes(spec),
        KeySchema: [
          { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: spec.sortKey.name, KeyType: 'RANGE' },
        ],
        ...(spec.indexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                  { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              })),
            }),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    await checkExistingTable(ddb, tableName, spec);
  }
  await waitUntilActive(ddb, tableName);
};

/** Creates (or checks) every table under `sertakan-<stage>-*` names; safe on an on-disk data dir. */
export const createTables = async (
  ddb: DynamoDBClient,
  stage: string,
): Promise<Record<TableName, string>> => {
  const entries = Object.entries(tables) as [TableName, TableSpec][];
  const created = await Promise.all(
    entries.map(async ([key, spec]) => {
      const name = localName(stage, spec.name);
      await createTable(ddb, name, spec);
      return [key, name] as const;
    }),
  );
  return Object.fromEntries(created) as Record<TableName, string>;
};
