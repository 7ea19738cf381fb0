import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { TransientError } from '#domain/errors.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { makeCapacityMeter, translateDynamoDbError } from '#shared/adapters/dynamodb-support.ts';
import { chunksOfFile } from './chunk-factory.ts';

type Command = { readonly input: Record<string, unknown> };
type Reply = (command: Command, call: number) => unknown;

/** A DocumentClient stand-in that answers from `reply` and records every command it was sent. */
const fakeClient = (reply: Reply) => {
  const sent: Command[] = [];
  const client = {
    send: async (command: Command) => {
      sent.push(command);
      const out = reply(command, sent.length);
      if (out instanceof Error) throw out;
      return out;
    },
  };
  return { sent, ddb: client as unknown as DynamoDBDocumentClient };
};

const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...extra });
const [chunk] = chunksOfFile({
  pool: '15.04',
  period: '2025-07',
  agency: 'A',
  fileId: 'f1',
  donors: [...Array(30).keys()],
});
if (chunk === undefined) throw new Error('fixture');
const recordedAt = new Date('2025-07-02T00:00:00Z');

describe('DynamoDbCreditLedger (against a scripted client)', () => {
  it('retries unprocessed batch items until all are written, then commits the summary last', async () => {
    let firstRowBatch = true;
    const { sent, ddb } = fakeClient((command) => {
      if (command instanceof BatchGetCommand)
        return { Responses: {}, ConsumedCapacity: [{ CapacityUnits: 4 }] };
      if (command instanceof BatchWriteCommand) {
        const requests = (command.input.RequestItems as Record<string, unknown[]>).ledger ?? [];
        const leftOver = firstRowBatch ? requests.slice(0, 2) : [];
        firstRowBatch = false;
        return {
          UnprocessedItems: { ledger: leftOver },
          ConsumedCapacity: [{ CapacityUnits: requests.length - leftOver.length }],
        };
      }
      return { ConsumedCapacity: { CapacityUnits: 1 } };
    });
    const meter = makeCapacityMeter();
    const ledger = new DynamoDbCreditLedger({ ddb, tableName: 'ledger', meter, sleep: async () => {} });

    expect(await ledger.writeChunk(chunk, recordedAt)).toBe('WRITTEN');

    const writes = sent
      .filter((c) => c instanceof BatchWriteCommand)
      .map((c) => (c.input.RequestItems as Record<string, unknown[]>).ledger?.length);
    // 30 directory items + 30 rows + the recording-time index item in parallel batches; the first
    // leaves 2 unprocessed, retried alone.
    expect(writes).toEqual([25, 25, 11, 2]);
    const batched = sent
      .filter((c) => c instanceof BatchWriteCommand)
      .flatMap(
        (c) =>
          (c.input.RequestItems as Record<string, { PutRequest: { Item: { pk: string } } }[]>).ledger ?? [],
      )
      .map((r) => r.PutRequest.Item.pk);
    expect(batched.filter((pk) => pk.startsWith('CREDITREC#'))).toHaveLength(1);
    expect(sent.at(-1)).toBeInstanceOf(PutCommand);
    // 30 directory items + 30 rows + 1 index item + 1 summary; one BatchGet read the summary and donor keys.
    expect(meter).toEqual({ read: 4, write: 62 });
  });

  it('gives up on items that stay unprocessed with a TransientError, so SQS redelivers the chunk', async () => {
    const { ddb } = fakeClient((command) => {
      if (command instanceof BatchWriteCommand) {
        return { UnprocessedItems: command.input.RequestItems };
      }
      return {};
    });
    const ledger = new DynamoDbCreditLedger({
      ddb,
      tableName: 'ledger',
      sleep: async () => {},
      maxBatchAttempts: 3,
    });

    await expect(ledger.writeChunk(chunk, recordedAt)).rejects.toThrow(TransientError);
  });

  it('reports a lost race on the summary as ALREADY_PRESENT and bills the failed write', async () => {
    const { ddb } = fakeClient((command) =>
      command instanceof PutCommand ? sdkError('ConditionalCheckFailedException') : {},
    );
    const meter = makeCapacityMeter();
    const ledger = new DynamoDbCreditLedger({ ddb, tableName: 'ledger', meter });

    expect(await ledger.writeChunk(chunk, recordedAt)).toBe('ALREADY_PRESENT');
    expect(meter.write).toBe(1);
  });

  it('does not write anything for a chunk whose summary exists', async () => {
    const { sent, ddb } = fakeClient((command) =>
      command instanceof BatchGetCommand
        ? { Responses: { ledger: [{ pk: 'CREDIT#15.04', sk: `2025-07#A#${chunk.chunkId}` }] } }
        : {},
    );
    const ledger = new DynamoDbCreditLedger({ ddb, tableName: 'ledger' });

    expect(await ledger.writeChunk(chunk, recordedAt)).toBe('ALREADY_PRESENT');
    expect(sent).toHaveLength(1);
  });
});

describe('translateDynamoDbError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', {}],
    ['ThrottlingException', {}],
    ['InternalServerError', { $fault: 'server' }],
    ['SomethingNew', { $fault: 'server' }],
    ['Error', { code: 'ECONNRESET' }],
  ])('turns %s into a TransientError that keeps the cause', (name, extra) => {
    const cause = sdkError(name, extra);
    const translated = translateDynamoDbError(cause, 'PutItem');
    expect(translated).toBeInstanceOf(TransientError);
    expect((translated as TransientError).cause).toBe(cause);
  });

  it('leaves a client error (a bug, not weather) as it is', () => {
    const err = sdkError('ValidationException', { $fault: 'client' });
    expect(translateDynamoDbError(err, 'PutItem')).toBe(err);
  });
});
