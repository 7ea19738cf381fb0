import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { TransientError } from '#domain/errors.ts';
import { alertRef, DynamoDbAlertDesk } from '#shared/adapters/dynamodb-alert-desk.ts';

/**
 * The alert desk's DynamoDB adapter on a scripted client: it pages with the shared Query loop (every
 * page, in order) and its SDK errors are translated as every adapter's are (throttling: TransientError).
 */

const NIK = '1504011705900001';
const alert = (n: number, subject = NIK) => ({
  pk: 'ALERT#15.04',
  sk: `AT_RISK#15.04#${subject}#2026-0${n}`,
  kind: 'AT_RISK',
  month: `2026-0${n}`,
  firstSeen: `2026-0${n}-16`,
  severity: 'WARNING',
  subject: '150401******0001',
  subjectType: 'WORKER',
  daysUntilDue: 12,
  details: { unpaidMonths: 0 },
});

type Sent = { name: string; input: Record<string, unknown> };

/** A client that answers Queries from `partitions`, two items a page, and records every command. */
const scripted = (partitions: Record<string, Record<string, unknown>[]>, fail?: Error) => {
  const sent: Sent[] = [];
  const ddb = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (fail !== undefined) throw fail;
      if (command.constructor.name !== 'QueryCommand') return {};
      const values = command.input.ExpressionAttributeValues as Record<string, string>;
      const items = partitions[values[':pk'] ?? ''] ?? [];
      const start = (command.input.ExclusiveStartKey as { i?: number } | undefined)?.i ?? 0;
      const page = items.slice(start, start + 2);
      return {
        Items: page,
        ...(start + 2 < items.length ? { LastEvaluatedKey: { i: start + 2 } } : {}),
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { ddb, sent };
};

describe('DynamoDbAlertDesk', () => {
  it('reads every page of a pool, each alert with its latest handled note', async () => {
    const alerts = [1, 2, 3, 4, 5].map((n) => alert(n));
    const ref = alertRef(alerts[0]?.sk ?? '');
    const { ddb, sent } = scripted({
      'ALERT#15.04': alerts,
      'HANDLED#15.04': [
        { sk: `${ref}#2026-01-17T01:00:00Z`, at: '2026-01-17T01:00:00Z', note: 'ditelepon', role: 'ops' },
        { sk: `${ref}#2026-01-18T01:00:00Z`, at: '2026-01-18T01:00:00Z', note: 'lunas', role: 'ops' },
      ],
    });
    const desk = new DynamoDbAlertDesk({ ddb, tableName: 'ledger' });

    const listed = await desk.list('15.04');

    expect(listed.map((a) => a.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
    expect(listed[0]?.handled?.note).toBe('lunas');
    expect(listed[1]?.handled).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(NIK);
    // 5 alerts in 3 pages, 2 notes in 1.
    expect(sent.filter((s) => s.name === 'QueryCommand')).toHaveLength(4);
  });

  it('finds the worker an alert names only on the server, and notes only alerts the pool has', async () => {
    const alerts = [alert(1), alert(2, '1504011705900002')];
    const { ddb, sent } = scripted({ 'ALERT#15.04': alerts });
    const desk = new DynamoDbAlertDesk({ ddb, tableName: 'ledger' });
    const ref = alertRef(alerts[0]?.sk ?? '');
    const note = { at: '2026-01-17T01:00:00Z', note: 'dicek', role: 'ops' };

    expect(await desk.workerOf('15.04', ref)).toBe(NIK);
    expect((await desk.ofWorker('15.04', NIK)).map((a) => a.ref)).toEqual([ref]);
    expect(await desk.markHandled('15.04', 'no-such-ref', note)).toBe(false);
    expect(await desk.markHandled('15.04', ref, note)).toBe(true);
    const put = sent.filter((s) => s.name === 'PutCommand');
    expect(put).toHaveLength(1);
    expect(put[0]?.input).toMatchObject({
      Item: { pk: 'HANDLED#15.04', sk: `${ref}#${note.at}`, note: 'dicek' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('turns throttling into TransientError, so the request is answered as a passing failure', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const desk = new DynamoDbAlertDesk({ ddb: scripted({}, throttled).ddb, tableName: 'ledger' });

    await expect(desk.list('15.04')).rejects.toBeInstanceOf(TransientError);
    await expect(
      desk.markHandled('15.04', 'x', { at: '2026-01-17T01:00:00Z', note: 'n', role: 'ops' }),
    ).rejects.toBeInstanceOf(TransientError);
  });
});
