import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type BucketName,
  buckets,
  dlqName,
  localName,
  type QueueName,
  type QueueSpec,
  queues,
  type TableName,
  type TopicName,
  tables,
  topics,
} from '#infra/resources.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';
import { createTables, ResourceSetupError } from './create-tables.ts';

export { ResourceSetupError };

export type QueueResource = {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly dlqName: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
};

/** Physical names, URLs and ARNs of every logical resource in infra/resources.ts for one stage. */
export type LocalResourceNames = {
  readonly tables: Record<TableName, string>;
  readonly queues: Record<QueueName, QueueResource>;
  readonly buckets: Record<BucketName, string>;
  readonly topics: Record<TopicName, string>;
};

const retentionSeconds = (days: number): string => String(days * 24 * 60 * 60);

const queueArn = async (sqs: SQSClient, url: string): Promise<string> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new ResourceSetupError(`queue ${url} has no QueueArn`);
  return arn;
};

/** CreateQueue is idempotent in SQS when the attributes match, which they do on every start. */
const createQueue = async (sqs: SQSClient, name: string, spec: QueueSpec): Promise<QueueResource> => {
  const dlq = dlqName(name);
  const retention = retentionSeconds(spec.retentionDays);
  const dlqCreated = await sqs.send(
    new CreateQueueCommand({ QueueName: dlq, Attributes: { MessageRetentionPeriod: retention } }),
  );
  const dlqUrl = dlqCreated.QueueUrl ?? '';
  const dlqArn = await queueArn(sqs, dlqUrl);
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        MessageRetentionPeriod: retention,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
      },
    }),
  );
  const url = created.QueueUrl ?? '';
  return { name, url, arn: await queueArn(sqs, url), dlqName: dlq, dlqUrl, dlqArn };
};

const createTopic = async (sns: SNSClient, name: string): Promise<string> => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (TopicArn === undefined) throw new ResourceSetupError(`topic ${name} has no ARN`);
  return TopicArn;
};

const createBucket = async (s3: S3Client, name: string): Promise<void> => {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch {
    // Not there yet (HeadBucket answers a bare 404): create it below.
  }
  await s3.send(new CreateBucketCommand({ Bucket: name }));
};

const mapEntries = async <K extends string, V, R>(
  record: Record<K, V>,
  fn: (key: K, value: V) => Promise<R>,
): Promise<Record<K, R>> => {
  const entries = Object.entries(record) as [K, V][];
  const results = await Promise.all(entries.map(async ([k, v]) => [k, await fn(k, v)] as const));
  return Object.fromEntries(results) as Record<K, R>;
};

/**
 * Creates every table, queue (+DLQ with redrive), topic and bucket of infra/resources.ts under
 * `sertakan-<stage>-*` names. Safe to run again on the same emulators or an on-disk data dir.
 */
export const createResources = async (
  clients: Pick<AwsClients, 'ddbRaw' | 'sqs' | 'sns' | 's3'>,
  stage: string,
): Promise<LocalResourceNames> => {
  const [tableNames, queueNames, bucketNames, topicArns] = await Promise.all([
    createTables(clients.ddbRaw, stage),
    mapEntries(queues, (_, spec) => createQueue(clients.sqs, localName(stage, spec.name), spec)),
    mapEntries(buckets, async (_, spec) => {
      const name = localName(stage, spec.name);
      await createBucket(clients.s3, name);
      return name;
    }),
    mapEntries(topics, (_, spec) => createTopic(clients.sns, localName(stage, spec.name))),
  ]);
  return { tables: tableNames, queues: queueNames, buckets: bucketNames, topics: topicArns };
};

/** Every resource env var named in infra/resources.ts, mapped to this stage's physical value. */
export const resourceEnv = (names: LocalResourceNames): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [key, spec] of Object.entries(tables)) env[spec.envVar] = names.tables[key as TableName];
  for (const [key, spec] of Object.entries(queues)) env[spec.envVar] = names.queues[key as QueueName].url;
  for (const [key, spec] of Object.entries(buckets)) env[spec.envVar] = names.buckets[key as BucketName];
  for (const [key, spec] of Object.entries(topics)) env[spec.envVar] = names.topics[key as TopicName];
  return env;
};
