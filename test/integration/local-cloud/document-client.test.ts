import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials } from '#shared/runtime/dynamodb-clients.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

/** lib-dynamodb's own client, as it comes: the reference the cached client must equal. */
let reference: DynamoDBDocumentClient | undefined;
const lib = (): DynamoDBDocumentClient => {
  reference ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cloud().region,
      endpoint: cloud().env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: localCredentials,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return reference;
};
afterAll(() => reference?.destroy());

type Answer = {
  readonly Attributes?: Record<string, unknown>;
  readonly Item?: Record<string, unknown>;
  readonly LastEvaluatedKey?: Record<string, unknown>;
  readonly Responses?: Record<string, Record<string, unknown>[]>;
};

const withoutMetadata = (out: object): Answer => {
  const { $metadata: _, ...rest } = out as Answer & { $metadata?: unknown };
  return rest;
};

/** An item with every kind of value the adapters store (and an undefined member, which is dropped). */
const item = (sk: string) => ({
  pk: 'DOC#1',
  sk,
  n: 16_800,
  text: 'Rp16.800',
  flag: true,
  nothing: null,
  gone: undefined,
  list: [1, 'two', { three: 3 }, [4]],
  map: { nested: { deeper: ['x'] }, empty: {} },
  set: new Set(['a', 'b']),
});

describe('the document client (commands through a middleware-caching DynamoDBClient)', () => {
  it("answers every command the adapters send exactly as lib-dynamodb's client does", async () => {
    const table = cloud().names.tables.ledger;
    const ours = cloud().clients.ddb;
    const both = async (command: () => object) => {
      const [a, b] = [await lib().send(command() as never), await ours.send(command() as never)];
      return [withoutMetadata(a), withoutMetadata(b)] as const;
    };

    for (const sk of ['a', 'b', 'c']) await ours.send(new PutCommand({ TableName: table, Item: item(sk) }));
    const put = await both(
      () =>
        new PutCommand({
          TableName: table,
          Item: item('a'),
          ConditionExpression: 'attribute_not_exists(pk) OR n = :n',
          ExpressionAttributeValues: { ':n': 16_800 },
          ReturnValues: 'ALL_OLD',
        }),
    );
    expect(put[1]).toEqual(put[0]);
    expect(put[1].Attributes).toMatchObject({ text: 'Rp16.800', set: new Set(['a', 'b']) });

    const get = await both(() => new GetCommand({ TableName: table, Key: { pk: 'DOC#1', sk: 'b' } }));
    expect(get[1]).toEqual(get[0]);
    expect(get[1].Item).toEqual({ ...item('b'), gone: undefined });
    expect(get[1].Item).not.toHaveProperty('gone');

    const page = await both(
      () =>
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'DOC#1' },
          ExclusiveStartKey: { pk: 'DOC#1', sk: 'a' },
          Limit: 1,
        }),
    );
    expect(page[1]).toEqual(page[0]);
    expect(page[1].LastEvaluatedKey).toEqual({ pk: 'DOC#1', sk: 'b' });

    const update = await both(
      () =>
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'DOC#1', sk: 'c' },
          UpdateExpression: 'SET #m.#k = :v',
          ExpressionAttributeNames: { '#m': 'map', '#k': 'added' },
          ExpressionAttributeValues: { ':v': [{ deep: 1 }] },
          ReturnValues: 'ALL_NEW',
        }),
    );
    expect(update[1]).toEqual(update[0]);

    const batch = await both(
      () =>
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: [
                { pk: 'DOC#1', sk: 'a' },
                { pk: 'DOC#1', sk: 'c' },
              ],
            },
          },
        }),
    );
    const bySk = (out: (typeof batch)[number]) =>
      (out.Responses?.[table] ?? []).slice().sort((x, y) => String(x.sk).localeCompare(String(y.sk)));
    expect(bySk(batch[1])).toEqual(bySk(batch[0]));

    await ours.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: [
            { PutRequest: { Item: item('d') } },
            { DeleteRequest: { Key: { pk: 'DOC#1', sk: 'a' } } },
          ],
        },
      }),
    );
    const afterBatch = await lib().send(new GetCommand({ TableName: table, Key: { pk: 'DOC#1', sk: 'd' } }));
    expect(afterBatch.Item).toEqual({ ...item('d'), gone: undefined });

    const refused = ours.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: 'DOC#1', sk: 'd' },
        ConditionExpression: 'n = :other',
        ExpressionAttributeValues: { ':other': 1 },
      }),
    );
    await expect(refused).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('lets a middleware added after the first calls (a meter) see every later call of either client', async () => {
    const { ddb, ddbRaw } = cloud().clients;
    const table = cloud().names.tables.ledger;
    const key = { pk: 'DOC#2', sk: 'x' };
    await ddb.send(new PutCommand({ TableName: table, Item: key }));
    await ddb.send(new GetCommand({ TableName: table, Key: key }));
    const seen: string[] = [];
    ddbRaw.middlewareStack.add(
      (next, context) => (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'lateCounter' },
    );
    try {
      await ddb.send(new GetCommand({ TableName: table, Key: key }));
      await ddbRaw.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: 'DOC#2' }, sk: { S: 'x' } } }),
      );
      await ddb.send(new GetCommand({ TableName: table, Key: key }), {});
      expect(seen).toEqual(['GetItemCommand', 'GetItemCommand', 'GetItemCommand']);
    } finally {
      ddbRaw.middlewareStack.remove('lateCounter');
    }
  });
});
