import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config.ts';
import { acknowledge, flattenForNag } from '#infra/nag.ts';
import type {
  BucketAccess,
  BucketSpec,
  FunctionSpec,
  QueueSpec,
  TableAccess,
  TableAction,
  TableSpec,
  TopicSpec,
} from '#infra/resources.ts';
import { METRICS_NAMESPACE } from '#shared/runtime/pipeline-metrics.ts';
import { ENTRY_NAME, functionCode } from './function-bundle.ts';

/** `read` and `readWrite` shorthands; exact lists come from resources.ts. No Scan, DeleteItem or ConditionCheckItem. */
const TABLE_READ: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];
const TABLE_WRITE: readonly TableAction[] = ['PutItem', 'UpdateItem', 'BatchWriteItem'];

const tableActions = (access: TableAccess): readonly TableAction[] =>
  access === 'read' ? TABLE_READ : access === 'readWrite' ? [...TABLE_READ, ...TABLE_WRITE] : access;

/** Key prefixes read and written; '' is the whole bucket (the string shorthands). */
const bucketPrefixes = (access: BucketAccess): { read: readonly string[]; write: readonly string[] } => {
  if (access === 'read') return { read: [''], write: [] };
  if (access === 'write') return { read: [], write: [''] };
  if (access === 'readWrite') return { read: [''], write: [''] };
  return { read: access.read ?? [], write: access.write ?? [] };
};

export type SertakanFunctionProps = {
  readonly spec: FunctionSpec;
  readonly config: StageConfig;
};

/**
 * A function with the house defaults (Node 22 ARM64, ESM bundle, X-Ray, Powertools env, retained
 * logs) and its own role. Every bind* method grants AND sets the env var in one call, so a function can
 * never hold a permission without knowing the resource, nor a resource name without the permission.
 */
export class SertakanFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IRole;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, { spec, config }: SertakanFunctionProps) {
    super(scope, id);
    this.spec = spec;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: log writes are scoped to this log group only.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.name}: only the resources listed in infra/resources.ts`,
    });
    logGroup.grantWrite(role);
    this.role = role;

    // The handler's bundle with code splitting (function-bundle.ts): what loads only on some paths
    // is a chunk beside index.mjs, not part of every cold start.
    this.fn = new LambdaFunction(this, 'Fn', {
      code: functionCode(spec.entry),
      handler: `${ENTRY_NAME}.handler`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      description: spec.purpose,
      environment: {
        POWERTOOLS_SERVICE_NAME: spec.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Traces keep timings, never bodies: responses carry unmasked statements, bills and presigned
        // URLs (shared/runtime/powertools.ts turns it off in code too).
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        SERTAKAN_STAGE: config.stage,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    this.acknowledgeOnPolicy(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, AWS requires "*".',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Node 22 is pinned on purpose (STACK.md): the handlers are built and tested for Node 22 and Node 20, not 24.',
    );
  }

  /** X-Ray writes exist only once tracing has added them, so acknowledge after the role policy exists. */
  private acknowledgeOnPolicy(id: string, reason: string): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) acknowledge(policy, id, reason);
  }

  /**
   * Exactly the actions resources.ts lists, on the table only; an index is granted only when the
   * function's access names it ({@link bindIndexQuery}).
   */
  bindTable(spec: TableSpec, table: ITable, access: TableAccess): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: tableActions(access).map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
      }),
    );
    this.fn.addEnvironment(spec.envVar, table.tableName);
  }

  /** Query, and nothing else, on the named global secondary indexes of a table. */
  bindIndexQuery(table: ITable, indexNames: readonly string[]): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
      }),
    );
  }

  bindBucket(spec: BucketSpec, bucket: IBucket, access: BucketAccess, key?: IKey): void {
    const { read, write } = bucketPrefixes(access);
    // A bucket under a customer-managed key: S3 decrypts (reads) and makes data keys (writes, multipart
    // parts need Decrypt too) under the caller's identity, only through S3.
    if (key !== undefined && read.length + write.length > 0) {
      const actions = [...(write.length > 0 ? ['kms:GenerateDataKey'] : []), 'kms:Decrypt'];
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions,
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    const grant = (actions: string[], prefixes: readonly string[]) => {
      if (prefixes.length === 0) return;
      const objects = prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: objects }));
      for (const arn of objects) {
        this.acknowledgeOnPolicy(
          `AwsSolutions-IAM5[Resource::${flattenForNag(this, arn)}]`,
          `Object keys under a prefix of the ${spec.name} bucket carry data (pool, period, agency, file id), so they cannot be listed in advance; access stays within that prefix.`,
        );
      }
    };
    grant(['s3:GetObject'], read);
    grant(['s3:PutObject', 's3:AbortMultipartUpload'], write);
    // ListBucket lets a missing key answer 404 instead of 403, which the adapters rely on to tell "absent".
    if (read.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    this.fn.addEnvironment(spec.envVar, bucket.bucketName);
  }

  /** SendMessage only (grantSendMessages would add GetQueueAttributes and GetQueueUrl, which nothing calls). */
  bindQueueSender(spec: QueueSpec, queue: IQueue): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    this.fn.addEnvironment(spec.envVar, queue.queueUrl);
  }

  bindTopicPublisher(spec: TopicSpec, topic: ITopic): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    // An encrypted topic: SNS encrypts the message with a data key made under the caller's identity.
    // Named actions instead of grantPublish's `kms:GenerateDataKey*`, so no wildcard action exists.
    if (topic.masterKey !== undefined) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [topic.masterKey.keyArn],
        }),
      );
    }
    this.fn.addEnvironment(spec.envVar, topic.topicArn);
  }
}
