import { DescribeTableCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { buckets, localName, queues, tables, topics } from '#infra/resources.ts';
import { createResources } from '#shared/local-cloud/create-resources.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

describe('local cloud resources', () => {
  it('creates every table with the keys and GSIs of infra/resources.ts, on demand', async () => {
    const { clients, names, stage } = cloud();
    for (const spec of Object.values(tables)) {
      const tableName = localName(stage, spec.name);
      const { Table } = await clients.ddbRaw.send(new DescribeTableCommand({ TableName: tableName }));

      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: spec.sortKey.name, KeyType: 'RANGE' },
      ]);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        keys: i.KeySchema,
      }));
      expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        spec.indexes.map((i) => ({
          name: i.name,
          keys: [
            { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
          ],
        })),
      );
    }
    expect(Object.values(names.tables).sort()).toEqual(
      Object.values(tables)
        .map((t) => localName(stage, t.name))
        .sort(),
    );
  });

  it('creates each queue with its DLQ, redrive limit and visibility timeout', async () => {
    const { clients, names } = cloud();
    for (const [logical, spec] of Object.entries(queues) as [
      keyof typeof queues,
      (typeof queues)[keyof typeof queues],
    ][]) {
      const q = names.queues[logical];
      const { Attributes } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['All'] }),
      );
      const redrive = JSON.parse(Attributes?.RedrivePolicy ?? '{}') as Record<string, unknown>;

      expect(q.dlqName).toBe(`${q.name}-dlq`);
      expect(redrive.deadLetterTargetArn).toBe(q.dlqArn);
      expect(Number(redrive.maxReceiveCount)).toBe(spec.maxReceiveCount);
      expect(Attributes?.VisibilityTimeout).toBe(String(spec.visibilityTimeoutSeconds));
      expect(Attributes?.MessageRetentionPeriod).toBe(String(spec.retentionDays * 86_400));
    }
  });

  it('creates buckets and topics, and names every resource env var', async () => {
    const { clients, names, env } = cloud();
    for (const name of Object.values(names.buckets)) {
      await expect(clients.s3.send(new HeadBucketCommand({ Bucket: name }))).resolves.toBeDefined();
    }
    for (const arn of Object.values(names.topics)) {
      const { Attributes } = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
      expect(Attributes?.TopicArn).toBe(arn);
    }
    const specs = [
      ...Object.values(tables),
      ...Object.values(queues),
      ...Object.values(buckets),
      ...Object.values(topics),
    ];
    for (const spec of specs) expect(env[spec.envVar], spec.envVar).toBeTruthy();
    expect(env.DEDUCTIONS_QUEUE_URL).toBe(names.queues.deductions.url);
    expect(env.OPS_ALERTS_TOPIC_ARN).toBe(names.topics.opsAlerts);
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud().endpoints.dynamodb);
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
  });

  it('is idempotent: creating the resources again changes nothing', async () => {
    const { clients, names, stage } = cloud();
    const again = await createResources(clients, stage);
    // One DynamoDB Local serves every test file's stage: list every page (100 names a page).
    const TableNames: string[] = [];
    for await (const page of paginateListTables({ client: clients.ddbRaw }, {}))
      TableNames.push(...(page.TableNames ?? []));

    expect(again).toEqual(names);
    expect(TableNames.filter((t) => t.startsWith(localName(stage, '')))).toHaveLength(
      Object.keys(tables).length,
    );
  });
});
