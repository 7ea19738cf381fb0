import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageConfig } from '#infra/config.ts';
import { ConsoleSite } from '#infra/constructs/console-site.ts';
import { PipelineMonitoring } from '#infra/constructs/pipeline-monitoring.ts';
import { SertakanFunction } from '#infra/constructs/sertakan-function.ts';
import { bucketPhysicalName } from '#infra/naming.ts';
import {
  type BucketName,
  type BucketSpec,
  buckets,
  type FunctionSpec,
  functions,
  queues,
  type ScheduleSpec,
  schedules,
  type TableName,
  type TopicName,
  tables,
  topics,
} from '#infra/resources.ts';
import type { QueuePair } from '#infra/stacks/stateful-stack.ts';
import { CONSOLE_DIST_DIR } from '#shared/console/build-console.ts';

export type StatefulResources = {
  readonly tables: Record<TableName, ITable>;
  readonly queues: Record<keyof typeof queues, QueuePair>;
  readonly topics: Record<TopicName, ITopic>;
  readonly opsAlarmsTopic: ITopic;
  /** The data buckets' customer-managed key: functions that touch those buckets use it through S3. */
  readonly dataKey: IKey;
};

export type ProcessingStackProps = StackProps & {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** The built console to deploy (default dist/console); tests pass a directory without one. */
  readonly consoleWebDir?: string;
};

type FunctionKey = keyof typeof functions;

const entriesOf = <K extends string, V>(record: Partial<Record<K, V>>): [K, V][] =>
  Object.entries(record) as [K, V][];

/**
 * The functions and everything that triggers them (SQS event sources, schedules, the HTTP API), plus
 * alarms and the dashboard. Wiring and permissions follow each function's `access` in resources.ts.
 */
/**
 * Requests per second (steady, burst) per HTTP API route. The console (treasurers, ops, finance in a
 * browser) and the finance API (scripts, the CLI) are separate budgets; the stage default (20/40) only
 * applies to routes not listed here.
 */
export const API_ROUTE_THROTTLES: Record<string, { rateLimit: number; burstLimit: number }> = {
  'GET /api/{proxy+}': { rateLimit: 50, burstLimit: 100 },
  'POST /api/{proxy+}': { rateLimit: 10, burstLimit: 20 },
  'GET /{proxy+}': { rateLimit: 20, burstLimit: 40 },
};

export class ProcessingStack extends Stack {
  readonly functions: Record<FunctionKey, SertakanFunction>;
  readonly httpApi: HttpApi;
  readonly console: ConsoleSite;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    // Buckets by their fixed names (see naming.ts): no cross-stack export for a bucket ARN.
    const bucketRefs = Object.fromEntries(
      entriesOf<BucketName, BucketSpec>(buckets).map(([key, spec]) => [
        key,
        Bucket.fromBucketName(this, `${key}BucketRef`, bucketPhysicalName(config.stage, spec.name)),
      ]),
    ) as Record<BucketName, IBucket>;

    const built = entriesOf(functions as Record<FunctionKey, FunctionSpec>).map(([key, spec]) => {
      const fn = new SertakanFunction(this, `${key}Function`, { spec, config });
      const access = spec.access;
      for (const [t, mode] of entriesOf(access.tables ?? {}))
        fn.bindTable(tables[t], stateful.tables[t], mode);
      for (const [t, names] of entriesOf(access.indexes ?? {})) fn.bindIndexQuery(stateful.tables[t], names);
      for (const [b, mode] of entriesOf(access.buckets ?? {}))
        fn.bindBucket(buckets[b], bucketRefs[b], mode, stateful.dataKey);
      for (const q of access.sendTo ?? []) fn.bindQueueSender(queues[q], stateful.queues[q].queue);
      for (const t of access.publishTo ?? []) fn.bindTopicPublisher(topics[t], stateful.topics[t]);
      if (spec.source !== undefined) {
        // Batch sizes and windows are chosen in resources.ts next to each function: intake files and
        // allocation/scan chunks are 1 per invocation (one unit of work, resumable), deductions batch 10
        // with a 5 s window and maxConcurrency 20 so ledger writes stay under on-demand burst limits.
        // reportBatchItemFailures: a failed record is retried alone, the rest of the batch is deleted.
        const { queue, batchSize, maxBatchingWindowSeconds, maxConcurrency } = spec.source;
        fn.fn.addEventSource(
          new SqsEventSource(stateful.queues[queue].queue, {
            batchSize,
            reportBatchItemFailures: true,
            ...(maxBatchingWindowSeconds > 0
              ? { maxBatchingWindow: Duration.seconds(maxBatchingWindowSeconds) }
              : {}),
            ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
          }),
        );
      }
      return [key, fn] as const;
    });
    this.functions = Object.fromEntries(built) as Record<FunctionKey, SertakanFunction>;

    for (const [key, spec] of entriesOf<string, ScheduleSpec>(schedules)) {
      new Schedule(this, `${key}Schedule`, {
        description: spec.purpose,
        schedule: ScheduleExpression.expression(spec.cron, TimeZone.of(spec.timeZone)),
        target: new SqsSendMessage(stateful.queues[spec.queue].queue, {
          // scheduledTime makes a schedule that fires twice produce the same job, which the consumer
          // deduplicates on; the rest of the body is the message from resources.ts.
          input: ScheduleTargetInput.fromObject({
            ...spec.message,
            scheduledTime: ContextAttribute.scheduledTime,
          }),
          deadLetterQueue: stateful.queues[spec.queue].dlq,
          retryAttempts: 10,
        }),
      });
    }

    const { api, stage } = this.financeApi(config, this.functions.financeApi);
    this.httpApi = api;
    this.console = new ConsoleSite(this, 'Console', {
      config,
      api: this.httpApi,
      fn: this.functions.consoleApi.fn,
      webDir: props.consoleWebDir ?? CONSOLE_DIST_DIR,
    });
    // Each people's API gets its own limits, per route, on top of the stage's default: the console's
    // treasurers uploading on payroll day never use up the finance API's budget, nor the reverse.
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(API_ROUTE_THROTTLES).map(([route, t]) => [
        route,
        // CloudFormation's own property names: the L1 passes this object through as written.
        { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
      ]),
    );
    // Route settings name routes: the stage is deployed after the console's routes exist.
    cfnStage.node.addDependency(this.console);

    new PipelineMonitoring(this, 'Monitoring', {
      config,
      alarmTopic: stateful.opsAlarmsTopic,
      queues: stateful.queues,
      functions: Object.values(this.functions),
      httpApi: this.httpApi,
    });
  }

  private financeApi(config: StageConfig, fn: SertakanFunction): { api: HttpApi; stage: HttpStage } {
    // IAM authorisation: callers sign requests with SigV4 and need execute-api:Invoke on this API.
    const api = new HttpApi(this, 'FinanceApi', {
      description: 'SERTAKAN finance API (IAM-authorised, read-only)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('FinanceApiIntegration', fn.fn),
    });
    const accessLogs = new LogGroup(this, 'FinanceApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const stage = new HttpStage(this, 'FinanceApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 20, burstLimit: 40 },
    });
    // The caller table: who may call, which pools each sees (shared/finance-api/callers.ts).
    fn.fn.addEnvironment('FINANCE_CALLERS', JSON.stringify(config.financeCallers));
    new CfnOutput(this, 'FinanceApiUrl', { value: api.apiEndpoint });
    return { api, stage };
  }
}
