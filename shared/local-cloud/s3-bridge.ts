import { randomBytes } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { type BucketName, type BucketNotificationSpec, buckets, type QueueName } from '#infra/resources.ts';
import type { LocalResourceNames } from './create-resources.ts';
import type { S3Event } from './emulators.ts';

/** What we read from s3rver's event; s3rver's own record is close to AWS's but not quite. */
const s3rverEventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({
          key: z.string(),
          size: z.number().optional(),
          eTag: z.string().optional(),
          sequencer: z.string(),
        }),
      }),
    }),
  ),
});

type S3rverRecord = z.infer<typeof s3rverEventSchema>['Records'][number];

/**
 * AWS URL-encodes keys in notifications like a form value: spaces become `+`, `/` stays, and
 * `!'()` are escaped too (encodeURIComponent leaves them).
 */
export const encodeS3EventKey = (key: string): string =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replaceAll('%20', '+'),
    )
    .join('/');

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

/** One record in the shape S3 sends to SQS (event structure version 2.1). */
export const toAwsS3Record = (record: S3rverRecord, region: string, configurationId: string) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: region,
  eventTime: record.eventTime,
  eventName: record.eventName,
  userIdentity: { principalId: 'AWS:LOCAL' },
  requestParameters: { sourceIPAddress: '127.0.0.1' },
  responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': hex(32) },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId,
    bucket: {
      name: record.s3.bucket.name,
      ownerIdentity: { principalId: 'LOCAL' },
      arn: `arn:aws:s3:::${record.s3.bucket.name}`,
    },
    object: {
      key: encodeS3EventKey(record.s3.object.key),
      size: record.s3.object.size ?? 0,
      ...(record.s3.object.eTag === undefined ? {} : { eTag: record.s3.object.eTag }),
      sequencer: record.s3.object.sequencer.padStart(18, '0'),
    },
  },
});

export type S3Bridge = {
  /** Events received but not yet sent to SQS (drain waits for these). */
  readonly pending: () => number;
  /** Resolves when every event received so far has been sent. */
  settled(): Promise<void>;
};

/**
 * Reproduces S3 -> SQS event notifications: each object-created event in a bucket whose spec lists a
 * matching prefix/suffix is sent to that queue, as AWS would (one record per message).
 */
export const bridgeS3ToSqs = (opts: {
  readonly onEvent: (listener: (event: S3Event) => void) => void;
  /** Events emitted by S3 but not delivered to `onEvent` yet (s3rver runs in another thread). */
  readonly undelivered?: () => number;
  readonly sqs: SQSClient;
  readonly names: LocalResourceNames;
  readonly region: string;
  readonly onError: (err: unknown) => void;
}): S3Bridge => {
  const logicalByPhysical = new Map(
    (Object.keys(buckets) as BucketName[]).map((logical) => [opts.names.buckets[logical], logical]),
  );
  const inFlight = new Set<Promise<void>>();

  const targets = (record: S3rverRecord): QueueName[] => {
    const logical = logicalByPhysical.get(record.s3.bucket.name);
    if (logical === undefined || !record.eventName.startsWith('ObjectCreated:')) return [];
    const key = record.s3.object.key;
    const notifications: readonly BucketNotificationSpec[] = buckets[logical].notifications;
    return notifications
      .filter((n) => key.startsWith(n.prefix) && key.endsWith(n.suffix ?? ''))
      .map((n) => n.queue);
  };

  const send = async (record: S3rverRecord, queue: QueueName): Promise<void> => {
    const body = JSON.stringify({ Records: [toAwsS3Record(record, opts.region, `${queue}-notification`)] });
    await opts.sqs.send(
      new SendMessageCommand({ QueueUrl: opts.names.queues[queue].url, MessageBody: body }),
    );
  };

  opts.onEvent((event) => {
    const parsed = s3rverEventSchema.safeParse(event);
    if (!parsed.success) {
      opts.onError(parsed.error);
      return;
    }
    for (const record of parsed.data.Records) {
      for (const queue of targets(record)) {
        const sending: Promise<void> = send(record, queue)
          .catch(opts.onError)
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
    }
  });

  return {
    pending: () => inFlight.size + (opts.undelivered?.() ?? 0),
    settled: async () => {
      await Promise.all([...inFlight]);
    },
  };
};
