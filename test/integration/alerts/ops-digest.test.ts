import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeductionChunk } from '#domain/model.ts';
import { jakartaInstant } from '#domain/period.ts';
import { buildDeps as allocationDeps } from '#functions/allocate-pool/handler.ts';
import { buildDeps, makeHandler } from '#functions/scan-lapses/handler.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * The digest as ops receives it: an SQS queue subscribed to the ops topic, fed by the real scan-lapses
 * handler on the local cloud (DynamoDB, S3, SQS, SNS emulators), after real allocation runs.
 */
const cloud = useLocalCloud();
const POOL = '15.04';
const nik = (n: number) => `150401010190${String(n).padStart(4, '0')}`;
const nip = (n: number) => `19860926201505${String(n).padStart(4, '0')}`;
let now = jakartaInstant('2026-01-10', 6);
const clock = { now: () => now };

const envelopeSchema = z.object({
  Message: z.string(),
  Subject: z.string().optional(),
  MessageAttributes: z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })),
});

async function opsInbox() {
  const { sqs, sns } = cloud().clients;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${cloud().stage}-ops-inbox` }));
  const url = QueueUrl ?? '';
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud().names.topics.opsAlerts,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn ?? '',
    }),
  );
  return async () => {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return (out.Messages ?? []).map((m) => envelopeSchema.parse(JSON.parse(m.Body ?? '{}')));
  };
}

const chunk = (agency: string, period: string, donors: number[], amount: number): DeductionChunk => ({
  chunkId: `${agency}-${period}#0`,
  fileId: `${agency}-${period}`,
  kind: 'DEDUCTION',
  pool: POOL,
  period,
  agency,
  entries: donors.map((d, i) => ({ nip: nip(d), amount, line: i + 2 })),
});

describe('ops digest on the local cloud', () => {
  afterAll(async () => {
    now = new Date(0);
  });

  it('delivers one digest per pool per day through an SQS subscription, and nothing on a re-run', async () => {
    const { ddb } = cloud().clients;
    const env = { ...process.env, ...cloud().env };
    const registry = cloud().names.tables.registry;
    const ledger = new DynamoDbCreditLedger({ ddb, tableName: cloud().names.tables.ledger });
    const workers = new DynamoDbWorkerRegistry({ ddb, tableName: registry });
    await ddb.send(new PutCommand({ TableName: registry, Item: { pk: 'POOL', sk: POOL, fileCutoffDay: 5 } }));
    for (let n = 1; n <= 10; n++) {
      const after = {
        pool: POOL,
        nik: nik(n),
        name: `Siti Aminah ${n}`,
        tier: 'JKK_JKM' as const,
        occupation: 'Petani',
        enrolledOn: '2025-12-01',
        updatedAt: '2025-12-01T00:00:00.000Z',
        fileId: 'w1',
      };
      await workers.recordChange({
        pool: POOL,
        nik: nik(n),
        change: 'ENROLLED',
        after,
        recordedAt: after.updatedAt,
        fileId: 'w1',
        line: n,
      });
    }
    const inbox = await opsInbox();
    const allocation = allocationDeps(env, cloud().clients, clock);
    const runMonth = async (month: string) => {
      now = jakartaInstant(`${month}-10`, 6);
      while ((await allocation.allocate({ pool: POOL, month })).state === 'CONTINUING');
    };
    // B's 25% donor drop counts as the 10% cap, so March's forecast (153,720) pays 9 of 10: one AT_RISK.
    // January pays all 10 (A: 6 donors, B: 4 donors at Rp16,800); in February one of B's donors left.
    await ledger.writeChunk(chunk('A', '2026-01', [1, 2, 3, 4, 5, 6], 16_800), now);
    await ledger.writeChunk(chunk('B', '2026-01', [7, 8, 9, 10], 16_800), now);
    await runMonth('2026-01');
    await ledger.writeChunk(chunk('A', '2026-02', [1, 2, 3, 4, 5, 6], 16_800), now);
    await ledger.writeChunk(chunk('B', '2026-02', [7, 8, 9], 16_800), now);
    await runMonth('2026-02');

    const consumer = cloud().consume('scanJobs', makeHandler(buildDeps(env, cloud().clients, clock)));
    const scanDay = async (date: string) => {
      now = jakartaInstant(date, 7);
      await cloud().clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: cloud().names.queues.scanJobs.url,
          MessageBody: JSON.stringify({ kind: 'FAN_OUT', date }),
        }),
      );
      await cloud().drain({ timeoutMs: 30_000 });
      return inbox();
    };

    const feb10 = await scanDay('2026-02-10');
    expect(feb10).toHaveLength(1);
    const digest = feb10[0];
    expect(digest?.MessageAttributes).toMatchObject({
      pool: { Type: 'String', Value: POOL },
      severity: { Type: 'String', Value: 'WARNING' },
      kinds: { Type: 'String.Array', Value: JSON.stringify(['AT_RISK', 'UNFUNDED', 'RUNWAY_LOW']) },
    });
    expect(digest?.Message).toContain(`UNFUNDED ${'1504**********10'} (S*** A*** 1***), Februari 2026`);
    expect(digest?.Message).not.toMatch(/\d{16}/);

    // The same day again (a doubled schedule): nothing new is sent.
    expect(await scanDay('2026-02-10')).toHaveLength(0);

    // 5 March: A delivered, B did not: FILE_MISSING and at-risk workers for March.
    await ledger.writeChunk(chunk('A', '2026-03', [1, 2, 3, 4, 5, 6], 16_800), jakartaInstant('2026-03-02'));
    const mar5 = await scanDay('2026-03-05');
    expect(mar5).toHaveLength(1);
    expect(mar5[0]?.Message).toContain('FILE_MISSING (file potongan gaji belum masuk): 1 terbuka, 1 baru');
    const csv = await cloud().clients.s3.send(
      new GetObjectCommand({
        Bucket: cloud().names.buckets.reports,
        Key: `reports/alerts/${POOL}/2026-03-05.csv`,
      }),
    );
    const text = (await csv.Body?.transformToString('utf-8')) ?? '';
    expect(text).toContain('FILE_MISSING;WARNING;15.04;B;2026-03;YA/YES');
    await consumer.stop();
  });
});
