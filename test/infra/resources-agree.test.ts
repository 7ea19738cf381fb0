import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BucketNotificationSpec,
  buckets,
  type QueueName,
  queues,
  type TableName,
  type TableSpec,
  tables,
} from '#infra/resources.ts';
import { type LocalCloud, startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { logicalIdOf, resourceById, resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

/**
 * The CDK template, the local cloud and infra/resources.ts describe the same tables and queues.
 * Both sides are reduced to one plain shape and compared with each other and with the spec.
 */
type KeyShape = { hash: string; range: string };
type TableShape = { keys: KeyShape; attributes: Record<string, string>; indexes: Record<string, KeyShape> };
type QueueShape = { visibilityTimeout: number; retentionSeconds: number; maxReceiveCount: number };

type KeyElement = { AttributeName?: string; KeyType?: string };
const keyShape = (schema: readonly KeyElement[] | undefined): KeyShape => ({
  hash: schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '',
  range: schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName ?? '',
});
type RawTable = {
  KeySchema?: KeyElement[];
  AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[];
  GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeyElement[] }[];
};
const tableShape = (t: RawTable): TableShape => ({
  keys: keyShape(t.KeySchema),
  attributes: Object.fromEntries(
    (t.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]),
  ),
  indexes: Object.fromEntries(
    (t.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, keyShape(i.KeySchema)]),
  ),
});
const specShape = (spec: TableSpec): TableShape => {
  const all = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    keys: { hash: spec.partitionKey.name, range: spec.sortKey.name },
    attributes: Object.fromEntries(all.map((a) => [a.name, a.type])),
    indexes: Object.fromEntries(
      spec.indexes.map((i) => [i.name, { hash: i.partitionKey.name, range: i.sortKey.name }]),
    ),
  };
};
const DAY = 86_400;

const { stateful, statefulTemplate } = synthesise('dev');
const tableKeys = Object.keys(tables) as TableName[];
const queueKeys = Object.keys(queues) as QueueName[];

const templateTable = (key: TableName): TableShape =>
  tableShape(resourceById(statefulTemplate, logicalIdOf(stateful.tables[key])).Properties as RawTable);
const templateQueue = (key: QueueName): QueueShape & { dlq: unknown } => {
  const props = resourceById(statefulTemplate, logicalIdOf(stateful.queues[key].queue)).Properties ?? {};
  const redrive = props.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: unknown };
  return {
    visibilityTimeout: props.VisibilityTimeout as number,
    retentionSeconds: props.MessageRetentionPeriod as number,
    maxReceiveCount: redrive.maxReceiveCount,
    dlq: redrive.deadLetterTargetArn,
  };
};

describe('CDK template agrees with infra/resources.ts', () => {
  it('has exactly the tables of resources.ts, with their keys and indexes', () => {
    expect(resourcesOfType(statefulTemplate, 'AWS::DynamoDB::Table')).toHaveLength(tableKeys.length);
    for (const key of tableKeys) expect(templateTable(key), key).toEqual(specShape(tables[key]));
  });

  it('has exactly the queues of resources.ts, each with its own DLQ, limits and visibility timeout', () => {
    expect(resourcesOfType(statefulTemplate, 'AWS::SQS::Queue')).toHaveLength(2 * queueKeys.length);
    for (const key of queueKeys) {
      const spec = queues[key];
      expect(templateQueue(key), key).toEqual({
        visibilityTimeout: spec.visibilityTimeoutSeconds,
        retentionSeconds: spec.retentionDays * DAY,
        maxReceiveCount: spec.maxReceiveCount,
        dlq: { 'Fn::GetAtt': [logicalIdOf(stateful.queues[key].dlq), 'Arn'] },
      });
    }
  });

  it('notifies exactly the queues of each bucket prefix on object creation', () => {
    const [notifications] = resourcesOfType(statefulTemplate, 'Custom::S3BucketNotifications');
    const config = notifications?.[1].Properties?.NotificationConfiguration as {
      QueueConfigurations: { Events: string[]; Filter: unknown; QueueArn: unknown }[];
    };
    const expected = (buckets.intake.notifications as readonly BucketNotificationSpec[]).map((n) => ({
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: n.prefix }] } },
      QueueArn: { 'Fn::GetAtt': [logicalIdOf(stateful.queues[n.queue].queue), 'Arn'] },
    }));

    expect(resourcesOfType(statefulTemplate, 'Custom::S3BucketNotifications')).toHaveLength(1);
    expect(buckets.reports.notifications).toHaveLength(0);
    expect(config.QueueConfigurations).toEqual(expect.arrayContaining(expected));
    expect(config.QueueConfigurations).toHaveLength(expected.length);
  });
});

describe('the local cloud builds the same tables and queues as the CDK template', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({ stage: 'infra-agree', ddb: 'dynalite' });
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it.each(tableKeys)('table %s: same keys, attribute types and indexes', async (key) => {
    const { Table } = await cloud.clients.ddbRaw.send(
      new DescribeTableCommand({ TableName: cloud.names.tables[key] }),
    );

    expect(tableShape(Table ?? {})).toEqual(templateTable(key));
  });

  it.each(queueKeys)(
    'queue %s: same visibility timeout, retention and redrive limit to its DLQ',
    async (key) => {
      const local = cloud.names.queues[key];
      const { Attributes = {} } = await cloud.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: local.url, AttributeNames: ['All'] }),
      );
      const redrive = JSON.parse(Attributes.RedrivePolicy ?? '{}') as {
        maxReceiveCount: unknown;
        deadLetterTargetArn: string;
      };
      const fromTemplate = templateQueue(key);

      expect({
        visibilityTimeout: Number(Attributes.VisibilityTimeout),
        retentionSeconds: Number(Attributes.MessageRetentionPeriod),
        maxReceiveCount: Number(redrive.maxReceiveCount),
      }).toEqual({
        visibilityTimeout: fromTemplate.visibilityTimeout,
        retentionSeconds: fromTemplate.retentionSeconds,
        maxReceiveCount: fromTemplate.maxReceiveCount,
      });
      expect(redrive.deadLetterTargetArn).toBe(local.dlqArn);
      expect(local.dlqName).toBe(`${local.name}-dlq`);
    },
  );
});
