import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNip } from '#domain/identifiers.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * Every intake outcome reaches the intake-outcomes topic with the attributes a
 * treasurer filters on (pool, agency, kind, status), counts, totals and the report's location, and no
 * personal data. Received here through an SQS queue subscribed to the topic, as an email would be.
 */
const cloud = useLocalCloud();
const clock = new SimulatedClock(new Date('2026-01-02T01:00:00Z'));
let pipeline: Pipeline;
let inbox = '';

beforeAll(async () => {
  pipeline = await startPipeline(cloud(), {
    clock,
    maxBatchingWindowSeconds: 0,
    only: ['splitPayrollFile', 'ingestDeductions', 'registerWorkers'],
  });
  const { sqs, sns } = cloud().clients;
  const { QueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${cloud().stage}-treasurer-inbox` }),
  );
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud().names.topics.intakeOutcomes,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn ?? '',
    }),
  );
  inbox = QueueUrl;
});
afterAll(async () => {
  await pipeline?.stop();
});

type Envelope = {
  Subject?: string;
  Message?: string;
  MessageAttributes?: Record<string, { Value?: string }>;
};

describe('intake outcomes to the sender', () => {
  it('announces each file once processed, with filterable attributes and no personal data', async () => {
    // prepare
    const nip = makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq: 1 });
    const body = ['nip;nama;periode;jumlah', `${nip};Siti Rahma;2026-01;25.000`, '123;Bad;2026-01;1000'].join(
      '\n',
    );
    // act
    await cloud().clients.s3.send(
      new PutObjectCommand({
        Bucket: cloud().names.buckets.intake,
        Key: 'incoming/payroll/15.04/2026-01/DINKES.csv',
        Body: body,
      }),
    );
    await cloud().drain({ timeoutMs: 60_000 });
    const { Messages = [] } = await cloud().clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: inbox, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // assess
    expect(Messages).toHaveLength(1);
    const envelope = JSON.parse(Messages[0]?.Body ?? '{}') as Envelope;
    const attr = (k: string) => envelope.MessageAttributes?.[k]?.Value;
    expect([attr('pool'), attr('agency'), attr('kind'), attr('status')]).toEqual([
      '15.04',
      'DINKES',
      'PAYROLL',
      'PARTIALLY_REJECTED',
    ]);
    expect(envelope.Subject).toBe('SERTAKAN PAYROLL 15.04 2026-01 DINKES: PARTIALLY_REJECTED');
    const text = envelope.Message ?? '';
    expect(text).toContain('diterima 1, ditolak 1');
    expect(text).toContain('Rp25.000');
    expect(text).toMatch(/s3:\/\/sertakan-[a-z0-9]+-reports\/reports\/rejections\/15\.04\/2026-01\/DINKES\//);
    expect(text).not.toContain(nip);
    expect(text).not.toContain('Siti');
  });
});
