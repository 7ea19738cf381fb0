import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '#infra/config.ts';
import { acknowledge } from '#infra/nag.ts';
import { bucketPhysicalName } from '#infra/naming.ts';
import {
  type BucketName,
  type BucketNotificationSpec,
  buckets,
  type QueueName,
  queues,
  type TableName,
  type TableSpec,
  type TopicName,
  tables,
  topics,
} from '#infra/resources.ts';

export type QueuePair = { readonly queue: Queue; readonly dlq: Queue };

export type StatefulStackProps = StackProps & { readonly config: StageConfig };

const attributeType = (t: 'S' | 'N'): AttributeType =>
  t === 'S' ? AttributeType.STRING : AttributeType.NUMBER;

const mapRecord = <K extends string, V, R>(record: Record<K, V>, fn: (key: K, value: V) => R): Record<K, R> =>
  Object.fromEntries((Object.entries(record) as [K, V][]).map(([k, v]) => [k, fn(k, v)])) as Record<K, R>;

/** Denied to every principal, whatever its IAM policy says: an append-only table's items never change. */
export const APPEND_ONLY_DENIED = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

const appendOnlyPolicy = (): PolicyDocument =>
  new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AppendOnly',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...APPEND_ONLY_DENIED],
        resources: ['*'],
      }),
    ],
  });

/**
 * Everything that holds data or messages: tables, buckets, queues with their DLQs, topics. Kept apart
 * from the functions so the processing stack can be replaced freely while data stays put.
 * Every resource comes from infra/resources.ts; nothing stateful is declared anywhere else.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableName, Table>;
  readonly buckets: Record<BucketName, IBucket>;
  /** The customer-managed key of the data buckets (intake, reports): every object there has personal data. */
  readonly dataKey: Key;
  readonly queues: Record<QueueName, QueuePair>;
  readonly topics: Record<TopicName, Topic>;
  /** CloudWatch alarms publish here; separate from ops-alerts (which is for BPJS operations). */
  readonly opsAlarmsTopic: Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tables = mapRecord(tables, (key, spec) => this.table(key, spec, config));
    this.queues = mapRecord(queues, (key, spec) => {
      const dlq = new Queue(this, `${key}Dlq`, {
        // The DLQ keeps a message the full 14 days SQS allows, so there is time to inspect and redrive.
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(this, `${key}Queue`, {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
        // SQS-managed SSE, not KMS: S3 event notifications and EventBridge Scheduler can deliver to it
        // without a key policy, and there is no per-request KMS cost on the busiest path.
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      return { queue, dlq };
    });

    // One customer managed key for both topics: CloudWatch alarms cannot publish to a topic encrypted
    // with the AWS managed aws/sns key, and a CMK lets the key policy name the CloudWatch service.
    const topicKey = new Key(this, 'TopicKey', {
      description: 'SERTAKAN topics (ops-alerts, ops-alarms, intake-outcomes)',
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    topicKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topics = mapRecord(topics, (key, spec) => {
      const topic = new Topic(this, `${key}Topic`, {
        masterKey: topicKey,
        enforceSSL: true,
        displayName: spec.name,
      });
      if (spec.opsEmail && config.opsEmail !== undefined)
        topic.addSubscription(new EmailSubscription(config.opsEmail));
      return topic;
    });
    this.opsAlarmsTopic = new Topic(this, 'OpsAlarmsTopic', {
      masterKey: topicKey,
      enforceSSL: true,
      displayName: 'sertakan ops alarms',
    });
    if (config.opsEmail !== undefined)
      this.opsAlarmsTopic.addSubscription(new EmailSubscription(config.opsEmail));

    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      // Server access log delivery only supports SSE-S3 on the target bucket.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: config.removalPolicy,
      autoDeleteObjects: config.autoDeleteObjects,
      lifecycleRules: [{ expiration: config.accessLogExpiration }],
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This is the server access log bucket itself; logging its own writes into itself would loop.',
    );

    // Payroll files (NIP, names), worker files and snapshots (NIK), bills and allocation logs: personal
    // data under a key this stack owns, so access to it is one key policy away from being revoked and
    // every decrypt is in CloudTrail (docs/data-retention.md). Bucket keys keep KMS calls per object few.
    this.dataKey = new Key(this, 'DataKey', {
      description: 'SERTAKAN data buckets (intake, reports): personal data at rest',
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    this.buckets = mapRecord(buckets, (key, spec) => {
      const isIntake = key === 'intake';
      return new Bucket(this, `${key}Bucket`, {
        bucketName: bucketPhysicalName(config.stage, spec.name),
        encryption: BucketEncryption.KMS,
        encryptionKey: this.dataKey,
        bucketKeyEnabled: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        // Intake keeps every version: a payroll file replaced by a later upload is still evidence.
        versioned: isIntake,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${spec.name}/`,
        // Presigned PUTs from the console in the browser (the signed URL is the authorisation; CORS
        // only lets the page read the answer). The console is served from CloudFront.
        ...('browserUploads' in spec && spec.browserUploads
          ? {
              cors: [
                {
                  allowedMethods: [HttpMethods.PUT],
                  allowedOrigins: ['https://*.cloudfront.net'],
                  allowedHeaders: ['content-type'],
                  maxAge: 600,
                },
              ],
            }
          : {}),
        removalPolicy: config.removalPolicy,
        autoDeleteObjects: config.autoDeleteObjects,
        lifecycleRules: [
          { abortIncompleteMultipartUploadAfter: Duration.days(7) },
          ...(isIntake ? [{ noncurrentVersionExpiration: config.noncurrentVersionExpiration }] : []),
          // Working objects with personal data (resources.ts says what and why); records stay.
          ...spec.expirations.map((e) => ({
            id: `expire-${e.prefix.replace(/\/$/, '')}`,
            prefix: e.prefix,
            expiration: Duration.days(e.days),
          })),
        ],
      });
    });

    // Notifications live here with the bucket (not in the processing stack) so the bucket never
    // depends on the processing stack: no cross-stack cycle.
    for (const [key, spec] of Object.entries(buckets) as [BucketName, (typeof buckets)[BucketName]][]) {
      for (const n of spec.notifications as readonly BucketNotificationSpec[]) {
        const filter = n.suffix === undefined ? { prefix: n.prefix } : { prefix: n.prefix, suffix: n.suffix };
        this.buckets[key].addEventNotification(
          EventType.OBJECT_CREATED,
          new SqsDestination(this.queues[n.queue].queue),
          filter,
        );
      }
    }
    this.acknowledgeCdkInternals();

    // What a newcomer needs after `cdk deploy` (infra/README.md): where to upload, what to subscribe to.
    new CfnOutput(this, 'IntakeBucketName', { value: this.buckets.intake.bucketName });
    new CfnOutput(this, 'ReportsBucketName', { value: this.buckets.reports.bucketName });
    new CfnOutput(this, 'OpsAlertsTopicArn', { value: this.topics.opsAlerts.topicArn });
    new CfnOutput(this, 'OpsAlarmsTopicArn', { value: this.opsAlarmsTopic.topicArn });
  }

  private table(key: TableName, spec: TableSpec, config: StageConfig): Table {
    const table = new Table(this, `${key}Table`, {
      partitionKey: { name: spec.partitionKey.name, type: attributeType(spec.partitionKey.type) },
      sortKey: { name: spec.sortKey.name, type: attributeType(spec.sortKey.type) },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      deletionProtection: config.tableDeletionProtection,
      removalPolicy: config.removalPolicy,
      ...(spec.retention === undefined ? {} : { timeToLiveAttribute: spec.retention.attribute }),
      ...(spec.appendOnly === true ? { resourcePolicy: appendOnlyPolicy() } : {}),
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
        sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
      });
    }
    return table;
  }

  /** CDK's own helper functions (bucket notifications, dev auto-delete) are not ours to reshape. */
  private acknowledgeCdkInternals(): void {
    const notifications = this.node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    if (notifications !== undefined) {
      acknowledge(
        notifications,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK-internal BucketNotificationsHandler (runs only at deploy time): its role and policy are fixed by aws-cdk-lib.',
      );
    }
  }
}
