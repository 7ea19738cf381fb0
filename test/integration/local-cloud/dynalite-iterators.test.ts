import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLOSE_LEVEL_ITERATORS_ON_DESTROY } from '#shared/local-cloud/emulators.ts';

// dynalite in this test's own process (the local cloud runs it in a worker thread, out of a spy's reach),
// with the same patch the worker applies before it loads dynalite.
const requireHere = createRequire(import.meta.url);
const requireFromLevel = createRequire(createRequire(requireHere.resolve('dynalite')).resolve('level'));
const iteratorPrototype = Object.getPrototypeOf(
  (requireFromLevel('abstract-level') as { AbstractIterator: { prototype: object } }).AbstractIterator
    .prototype,
) as { close(): Promise<void> };

let server: Server;
let ddb: DynamoDBDocumentClient;
const TableName = 'iterators';

beforeAll(async () => {
  (new Function(`return ${CLOSE_LEVEL_ITERATORS_ON_DESTROY}`)() as (r: NodeRequire) => void)(
    requireFromLevel,
  );
  server = (requireHere('dynalite') as (o: object) => Server)({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ap-southeast-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  ddb = DynamoDBDocumentClient.from(raw);
  await raw.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 12; i++)
    await ddb.send(new PutCommand({ TableName, Item: { pk: 'P', sk: String(i).padStart(2, '0') } }));
});

afterAll(async () => {
  ddb?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

describe('dynalite on abstract-level, with the iterator patch', () => {
  it('closes the LevelDB iterator of every Query, read to its end or stopped at its Limit', async () => {
    const close = vi.spyOn(iteratorPrototype, 'close');
    const query = (Limit?: number) =>
      ddb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'P' },
          ...(Limit === undefined ? {} : { Limit }),
        }),
      );

    const whole = await query();
    const firstPage = await query(5);
    for (let i = 0; i < 8; i++) await query(i % 2 === 0 ? undefined : 3);
    // A close() may finish just after its Query answered.
    await vi.waitFor(() => expect(close.mock.calls.length).toBeGreaterThanOrEqual(10));

    expect(whole.Items?.map((i) => i.sk)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i).padStart(2, '0')),
    );
    expect(firstPage.Items).toHaveLength(5);
    expect(firstPage.LastEvaluatedKey).toEqual({ pk: 'P', sk: '04' });
    close.mockRestore();
  });
});
