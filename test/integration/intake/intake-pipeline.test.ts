/**
 * The three intake functions, wired exactly as in Lambda (their module-scope `handler`, env from the
 * local cloud), against the emulators: S3 put -> S3 notification -> SQS -> handler -> deductions queue,
 * reports in S3, registry and ledger in DynamoDB.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import type { QueueName } from '#infra/resources.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsIntakeRequeue } from '#shared/adapters/sqs-intake-requeue.ts';
import type { SqsHandler } from '#shared/local-cloud/sqs-poller.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { fileIdOf, sha256Hex } from '#shared/use-cases/intake/intake-key.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { nikOf, nipOf, type PayrollRow, payrollCsv } from '#test/unit/intake-use-cases/payroll-fixtures.ts';

const cloud = useLocalCloud();
const handlers: Partial<Record<QueueName, SqsHandler>> = {};

beforeAll(async () => {
  // The handler modules read their env at import (cold start), as in Lambda.
  Object.assign(process.env, cloud().env);
  handlers.payrollFiles = (await import('../../../functions/split-payroll-file/handler.ts')).handler;
  handlers.workerFiles = (await import('../../../functions/register-workers/handler.ts')).handler;
  handlers.grantFiles = (await import('../../../functions/credit-grants/handler.ts')).handler;
});

/** Puts objects, runs the function behind `queue` until everything settled. */
async function deliver(queue: QueueName, files: readonly { key: string; body: string }[]): Promise<void> {
  const { clients, names } = cloud();
  const handler = handlers[queue];
  if (!handler) throw new Error(`no handler for ${queue}`);
  const consumer = cloud().consume(queue, handler);
  for (const f of files) {
    await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: f.key, Body: f.body }));
  }
  await cloud().drain({ timeoutMs: 20_000 });
  await consumer.stop();
}

/** Everything waiting on the deductions queue, removed from it, in chunk-id order. */
async function takeChunks(): Promise<DeductionChunk[]> {
  const { clients, names } = cloud();
  const chunks: DeductionChunk[] = [];
  for (;;) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: names.queues.deductions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) chunks.push(deductionChunkSchema.parse(JSON.parse(m.Body ?? '')));
    await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: names.queues.deductions.url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return chunks.sort((a, b) => (a.chunkId < b.chunkId ? -1 : 1));
}

async function reportText(key: string): Promise<string> {
  const { clients, names } = cloud();
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: names.buckets.reports, Key: key }));
  const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

const fileIdFor = (key: string, body: string) => fileIdOf(key, sha256Hex(body));
const REPORT_HEAD = '\uFEFFbaris;kolom;nilai;kode;keterangan;description\r\n';

describe('intake on the local cloud', () => {
  const KEY = 'incoming/payroll/15.04/2026-01/BKPSDM.csv';
  const v1Rows: PayrollRow[] = [
    ...Array.from({ length: 55 }, (_, i) => ({ nip: nipOf(i), amount: 16_800 })),
    { nip: nipOf(60), amount: 36_800, nik: nikOf(7) },
    { nip: '12345', amount: 16_800 },
  ];
  const v1 = payrollCsv('2026-01', v1Rows);

  it('a payroll file becomes exactly the expected deduction chunks and report', async () => {
    await deliver('payrollFiles', [{ key: KEY, body: v1 }]);
    const fileId = fileIdFor(KEY, v1);
    const chunks = await takeChunks();

    const accepted = v1Rows.slice(0, 56).map((r, i) => ({
      nip: r.nip,
      amount: r.amount,
      ...(r.nik === undefined ? {} : { workerNik: r.nik }),
      line: i + 2,
    }));
    const header = { fileId, kind: 'DEDUCTION', pool: '15.04', period: '2026-01', agency: 'BKPSDM' } as const;
    expect(chunks).toEqual([
      { ...header, chunkId: `${fileId}#D00000`, entries: accepted.slice(0, 50) },
      { ...header, chunkId: `${fileId}#D00001`, entries: accepted.slice(50) },
    ]);
    const report = await reportText(`reports/rejections/15.04/2026-01/BKPSDM/${fileId}.csv`);
    expect(report).toBe(
      `${REPORT_HEAD}58;nip;*****;NIP_FORMAT;NIP harus 18 angka.;The NIP must be 18 digits.\r\n`,
    );
    const { clients, names } = cloud();
    const item = await clients.ddb.send(
      new GetCommand({ TableName: names.tables.registry, Key: { pk: `FILE#${fileId}`, sk: 'FILE' } }),
    );
    expect(item.Item).toMatchObject({
      status: 'PARTIALLY_REJECTED',
      dataRows: 57,
      acceptedRows: 56,
      acceptedAmount: 55 * 16_800 + 36_800,
      rejectedRows: 1,
      rejectedAmount: 16_800,
      gsi1pk: 'FILES#15.04#2026-01',
    });
    const agency = await clients.ddb.send(
      new GetCommand({ TableName: names.tables.registry, Key: { pk: 'AGENCY#BKPSDM', sk: 'AGENCY' } }),
    );
    expect(agency.Item).toMatchObject({ pool: '15.04', firstFileId: fileId });
  });

  it('the same file again emits nothing new', async () => {
    await deliver('payrollFiles', [{ key: KEY, body: v1 }]);
    expect(await takeChunks()).toEqual([]);
  });

  it('a corrected file emits only the corrections', async () => {
    const v2Rows = [
      ...Array.from({ length: 54 }, (_, i) => ({ nip: nipOf(i), amount: i === 3 ? 20_000 : 16_800 })),
      { nip: nipOf(60), amount: 36_800 },
      { nip: nipOf(70), amount: 50_000 },
    ];
    const v2 = payrollCsv('2026-01', v2Rows);
    await deliver('payrollFiles', [{ key: KEY, body: v2 }]);
    const fileId = fileIdFor(KEY, v2);
    // Two rows end: it waits for a person (nothing emitted), then the confirmation is recorded and the
    // file handed back to the payroll-files queue, as `sertakan file confirm` and the console do.
    const { clients: c, names: n } = cloud();
    const registry = new DynamoDbFileRegistry({ ddb: c.ddb, tableName: n.tables.registry });
    expect(await registry.getFile(fileId)).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      pending: { removedRows: 2, takenAway: 16_800 + 36_800 },
    });
    expect(await takeChunks()).toEqual([]);
    const decide = makeDecidePending({
      files: registry,
      objects: new S3ObjectStore({ s3: c.s3 }),
      intakeBucket: n.buckets.intake,
      clock: { now: () => new Date() },
      requeue: new SqsIntakeRequeue({
        sqs: c.sqs,
        queueUrl: n.queues.payrollFiles.url,
        bucket: n.buckets.intake,
      }),
    });
    await decide({ fileId, action: 'CONFIRM', by: 'bendahara.bkpsdm' });
    await deliver('payrollFiles', []);
    expect(await registry.getFile(fileId)).toMatchObject({
      status: 'ACCEPTED',
      decision: { action: 'CONFIRMED', by: 'bendahara.bkpsdm' },
    });

    expect(await takeChunks()).toEqual([
      {
        chunkId: `${fileId}#C00000`,
        fileId,
        kind: 'CORRECTION',
        pool: '15.04',
        period: '2026-01',
        agency: 'BKPSDM',
        entries: [
          // Rows are NIP + worker: nipOf(60) dropping its earmark ends that row and starts one without.
          { nip: nipOf(3), amount: 3_200, line: 5 },
          { nip: nipOf(60), amount: 36_800, line: 56 },
          { nip: nipOf(70), amount: 50_000, line: 57 },
          { nip: nipOf(54), amount: -16_800, line: 0 },
          { nip: nipOf(60), amount: -36_800, workerNik: nikOf(7), ended: true, line: 0 },
        ],
      },
    ]);
    expect(await reportText(`reports/rejections/15.04/2026-01/BKPSDM/${fileId}.csv`)).toBe(REPORT_HEAD);
    const { clients, names } = cloud();
    const old = await clients.ddb.send(
      new GetCommand({
        TableName: names.tables.registry,
        Key: { pk: `FILE#${fileIdFor(KEY, v1)}`, sk: 'FILE' },
      }),
    );
    expect(old.Item).toMatchObject({ status: 'SUPERSEDED', supersededBy: fileId });
  });

  it('ignores the S3 test event and rejects an unreadable key with a report', async () => {
    const { clients, names } = cloud();
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: names.queues.payrollFiles.url,
        MessageBody: JSON.stringify({
          Service: 'Amazon S3',
          Event: 's3:TestEvent',
          Bucket: names.buckets.intake,
        }),
      }),
    );
    const key = 'incoming/payroll/15.04/2026-01/Dinas Kesehatan.csv';
    const body = payrollCsv('2026-01', [{ nip: nipOf(1), amount: 16_800 }]);
    await deliver('payrollFiles', [{ key, body }]);
    expect(await takeChunks()).toEqual([]);
    const report = await reportText(`reports/rejections/invalid-key/${fileIdFor(key, body)}.csv`);
    expect(report.split('\r\n')[1]).toMatch(/^0;;.*;KEY_INVALID;/);
  });

  it('a worker file becomes registry items with history', async () => {
    const key = 'incoming/workers/15.04/enrollment 2026-01.csv';
    const body = [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      `${nikOf(1)};Siti Aminah;;JKK_JKM;Petani;01/07/2025`,
      `${nikOf(2)};Ahmad;12345678901;JKK_JKM_JHT;Guru ngaji;2025-07-02`,
      '1504;Bad;;JKK_JKM;Petani;2025-07-02',
    ].join('\n');
    await deliver('workerFiles', [{ key, body }]);
    const fileId = fileIdFor(key, body);
    const { clients, names } = cloud();
    const workers = await clients.ddb.send(
      new QueryCommand({
        TableName: names.tables.registry,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'WORKER#15.04' },
      }),
    );
    expect(workers.Items?.map((w) => [w.sk, w.tier, w.kpj, w.enrolledOn, w.fileId])).toEqual([
      [nikOf(1), 'JKK_JKM', undefined, '2025-07-01', fileId],
      [nikOf(2), 'JKK_JKM_JHT', '12345678901', '2025-07-02', fileId],
    ]);
    const history = await clients.ddb.send(
      new QueryCommand({
        TableName: names.tables.registry,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `WORKERHIST#15.04#${nikOf(2)}` },
      }),
    );
    expect(history.Items?.map((h) => h.change)).toEqual(['ENROLLED']);
    const report = await reportText(`reports/rejections/15.04/workers/${fileId}.csv`);
    expect(
      report
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(';').slice(0, 4).join(';')),
    ).toEqual(['4;nik;****;NIK_FORMAT']);
  });

  it('a grant file credits the ledger once', async () => {
    const key = 'incoming/grants/15.04/bkbk-2026.csv';
    const body =
      'referensi,sumber,periode,jumlah,keterangan\nBKBK-2026-01,BKBK,2026-01,"Rp 780.000.000",dana desa\n';
    await deliver('grantFiles', [{ key, body }]);
    await deliver('grantFiles', [{ key, body }]);
    const { clients, names } = cloud();
    const ledger = new DynamoDbCreditLedger({ ddb: clients.ddb, tableName: names.tables.ledger });
    const credits = await ledger.creditsByPeriod('15.04');
    expect(credits.find((c) => c.period === '2026-01')?.grants).toBe(780_000_000);
  });
});
