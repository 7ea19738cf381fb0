import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

const s3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventVersion: z.string(),
      eventSource: z.string(),
      awsRegion: z.string(),
      eventTime: z.string(),
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string(), arn: z.string() }),
        object: z.object({ key: z.string(), size: z.number(), eTag: z.string(), sequencer: z.string() }),
      }),
    }),
  ),
});

/** Collects what a consumer of `queue` receives until the cloud is drained. */
const receiveAll = async (queue: 'payrollFiles' | 'workerFiles' | 'grantFiles'): Promise<SQSRecord[]> => {
  const seen: SQSRecord[] = [];
  const consumer = cloud().consume(queue, (event) => {
    seen.push(...event.Records);
  });
  await cloud().drain({ timeoutMs: 10_000 });
  await consumer.stop();
  return seen;
};

describe('S3 object-created notifications', () => {
  it('delivers a payroll file put to the intake bucket to the payroll-files queue as an S3 event', async () => {
    const { clients, names, region } = cloud();
    const key = 'incoming/payroll/15.04/2026-01/A1.csv';
    const body = 'nip,amount\n199001012020011001,16800\n';

    await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: key, Body: body }));
    const records = await receiveAll('payrollFiles');

    expect(records).toHaveLength(1);
    const event = s3EventSchema.parse(JSON.parse(records[0]?.body ?? ''));
    expect(event.Records).toHaveLength(1);
    const [record] = event.Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: names.buckets.intake, arn: `arn:aws:s3:::${names.buckets.intake}` },
        object: { key, size: Buffer.byteLength(body) },
      },
    });
    expect(Number.isNaN(Date.parse(record?.eventTime ?? ''))).toBe(false);
    expect(record?.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(records[0]?.eventSourceARN).toBe(names.queues.payrollFiles.arn);
  });

  it('URL-encodes the key like AWS (spaces as +) and routes by prefix', async () => {
    const { clients, names } = cloud();
    const key = 'incoming/workers/Dinas Sosial/workers (1).csv';

    await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: key, Body: 'x' }));
    const records = await receiveAll('workerFiles');

    const event = s3EventSchema.parse(JSON.parse(records[0]?.body ?? ''));
    expect(records).toHaveLength(1);
    expect(event.Records[0]?.s3.object.key).toBe('incoming/workers/Dinas+Sosial/workers+%281%29.csv');
    expect(decodeURIComponent((event.Records[0]?.s3.object.key ?? '').replaceAll('+', ' '))).toBe(key);
  });

  it('sends nothing for keys outside the notification prefixes or buckets without notifications', async () => {
    const { clients, names } = cloud();

    await clients.s3.send(
      new PutObjectCommand({ Bucket: names.buckets.intake, Key: 'archive/A1.csv', Body: 'x' }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: names.buckets.reports, Key: 'incoming/payroll/A1.csv', Body: 'x' }),
    );
    await cloud().drain({ timeoutMs: 10_000 });

    for (const queue of Object.values(names.queues)) {
      const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url }));
      expect(Messages ?? [], queue.name).toHaveLength(0);
    }
  });
});
