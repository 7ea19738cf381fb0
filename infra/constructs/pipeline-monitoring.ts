import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmRule,
  AlarmState,
  ComparisonOperator,
  CompositeAlarm,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Universal } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config.ts';
import { PipelineDashboard } from '#infra/constructs/pipeline-dashboard.ts';
import type { SertakanFunction } from '#infra/constructs/sertakan-function.ts';
import { allocationDeadlineSchedules } from '#infra/deadline-schedules.ts';
import { acknowledge } from '#infra/nag.ts';
import { functions, type QueueName, queues } from '#infra/resources.ts';
import type { QueuePair } from '#infra/stacks/stateful-stack.ts';
import { METRICS_NAMESPACE, pipelineMetrics } from '#shared/runtime/pipeline-metrics.ts';

export type PipelineMonitoringProps = {
  readonly config: StageConfig;
  readonly alarmTopic: ITopic;
  readonly queues: Record<QueueName, QueuePair>;
  readonly functions: readonly SertakanFunction[];
  /** The HTTP API of the finance API and the console (5xx alarm). */
  readonly httpApi?: HttpApi;
};

/**
 * Where an alarm's runbook lives (what it means, what to check, the command that fixes it), appended to
 * every alarm's description so the notification carries it. test/infra checks each file exists.
 */
export const RUNBOOKS = {
  dlqDepth: 'docs/runbooks/dlq-depth.md',
  functionErrors: 'docs/runbooks/function-errors.md',
  functionThrottles: 'docs/runbooks/function-throttles.md',
  deductionsAge: 'docs/runbooks/deductions-age.md',
  allocationOverdue: 'docs/runbooks/allocation-overdue.md',
  apiErrors: 'docs/runbooks/api-errors.md',
} as const;

const withRunbook = (text: string, runbook: string): string => `${text}. Runbook: ${runbook}`;

/** Functions behind the HTTP API: their wrapper answers every error, so they get an error-metric alarm. */
const HTTP_FUNCTIONS: readonly string[] = [functions.financeApi.name, functions.consoleApi.name];

/**
 * Alarms for the pipeline, all notifying the ops-alarms topic: DLQ depth per queue, errors and
 * throttles per function, age of the oldest deduction, and "allocation not completed by the deadline".
 */
export class PipelineMonitoring extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const { config } = props;
    const action = new SnsAction(props.alarmTopic);
    const notify = (alarm: Alarm): Alarm => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    for (const [key, pair] of Object.entries(props.queues) as [QueueName, QueuePair][]) {
      // Any message in a DLQ is a record the pipeline gave up on: someone must look at it.
      notify(
        new Alarm(this, `${key}DlqDepth`, {
          alarmDescription: withRunbook(
            `${queues[key].name}-dlq holds messages that failed ${queues[key].maxReceiveCount} times`,
            RUNBOOKS.dlqDepth,
          ),
          metric: pair.dlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const f of props.functions) {
      const id = f.node.id;
      notify(
        new Alarm(this, `${id}Errors`, {
          alarmDescription: withRunbook(
            `${f.spec.name}: invocation errors (SQS retries them; persistent errors end in a DLQ)`,
            RUNBOOKS.functionErrors,
          ),
          metric: f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: config.alarms.functionErrorsPer5Min,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      notify(
        new Alarm(this, `${id}Throttles`, {
          alarmDescription: withRunbook(
            `${f.spec.name}: throttled invocations (account concurrency or maxConcurrency reached)`,
            RUNBOOKS.functionThrottles,
          ),
          metric: f.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    notify(
      new Alarm(this, 'DeductionsOldestMessageAge', {
        alarmDescription: withRunbook(
          'Deductions wait too long before reaching the ledger (ingest-deductions is behind or failing)',
          RUNBOOKS.deductionsAge,
        ),
        metric: props.queues.deductions.queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: config.alarms.deductionsOldestMessageAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const f of props.functions.filter((x) => HTTP_FUNCTIONS.includes(x.spec.name))) {
      notify(
        new Alarm(this, `${f.node.id}ServerErrors`, {
          alarmDescription: withRunbook(
            `${f.spec.name}: requests answered 5xx by the HTTP wrapper (Lambda's Errors never counts these)`,
            RUNBOOKS.apiErrors,
          ),
          metric: new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: pipelineMetrics.httpServerErrors,
            dimensionsMap: { service: f.spec.name },
            statistic: 'Sum',
            period: Duration.minutes(5),
          }),
          threshold: config.alarms.functionErrorsPer5Min,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    if (props.httpApi !== undefined) {
      notify(
        new Alarm(this, 'HttpApi5xx', {
          alarmDescription: withRunbook(
            'The HTTP API (finance and console) answered 5xx: the functions, their integration or API Gateway itself',
            RUNBOOKS.apiErrors,
          ),
          metric: props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: config.alarms.functionErrorsPer5Min,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    this.allocationDeadlineAlarm(action);
    new PipelineDashboard(this, 'Dashboard', { queues: props.queues, functions: props.functions });
  }

  /**
   * "Allocation not completed by the deadline" (the last working day before BPJS's due date,
   * docs/bpjs-loop.md#the-due-date). A plain absence alarm on AllocationRunsCompleted (daily
   * period, missing data = breaching) would flip to ALARM a few days after every normal run, i.e. page
   * ops in the middle of every month, and CloudWatch cannot look back a whole month. So two alarms,
   * neither notifying on its own, are combined:
   *  - NoRecentCompletion: AllocationRunsCompleted summed per day, missing = breaching, all of the last
   *    5 days breaching => no run completed since the 9th (the fan-out is on the 10th, 06:00 WIB).
   *  - DeadlineReached: EventBridge schedules on each month's allocation deadline, 09:00 WIB, computed
   *    at synth from the holiday calendar (infra/deadline-schedules.ts), publish AllocationDeadlineReached
   *    (no function involved); ALARM for the 24 hours after it.
   * The composite (both in ALARM) is what notifies: only on the deadline day, only if nothing completed.
   * Limit: the count is not per pool, so one pool finished and another stuck does not trip this one;
   * that case shows up as the allocation-jobs DLQ alarm or allocate-pool errors.
   */
  private allocationDeadlineAlarm(action: SnsAction): void {
    const service = functions.allocatePool.name;
    const noRecentCompletion = new Alarm(this, 'AllocationNoRecentCompletion', {
      alarmDescription: withRunbook(
        'No allocation run completed in the last 5 days (on its own not an incident)',
        RUNBOOKS.allocationOverdue,
      ),
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: pipelineMetrics.allocationRunsCompleted,
        dimensionsMap: { service },
        statistic: 'Sum',
        period: Duration.days(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const deadlineReached = new Alarm(this, 'AllocationDeadlineReached', {
      alarmDescription: withRunbook(
        'The monthly allocation deadline (the working day before the due date, 09:00 WIB) passed within the last 24 hours',
        RUNBOOKS.allocationOverdue,
      ),
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: pipelineMetrics.allocationDeadlineReached,
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 24,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const overdue = new CompositeAlarm(this, 'AllocationOverdue', {
      alarmDescription: withRunbook(
        'Allocation run not completed by the deadline: BPJS contributions are due on the 15th or the next working day',
        RUNBOOKS.allocationOverdue,
      ),
      alarmRule: AlarmRule.allOf(
        AlarmRule.fromAlarm(noRecentCompletion, AlarmState.ALARM),
        AlarmRule.fromAlarm(deadlineReached, AlarmState.ALARM),
      ),
    });
    overdue.addAlarmAction(action);

    const markerRole = new Role(this, 'DeadlineMarkerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler publish the AllocationDeadlineReached metric, nothing else',
    });
    const marker = {
      Namespace: METRICS_NAMESPACE,
      MetricData: [{ MetricName: pipelineMetrics.allocationDeadlineReached, Value: 1, Unit: 'Count' }],
    };
    for (const d of allocationDeadlineSchedules()) {
      new Schedule(this, `AllocationDeadlineSchedule${d.id}`, {
        description: 'Marks the monthly allocation deadline for the AllocationOverdue alarm',
        schedule: ScheduleExpression.expression(d.expression, TimeZone.ASIA_JAKARTA),
        ...(d.start === undefined ? {} : { start: d.start }),
        target: new Universal({
          service: 'cloudwatch',
          action: 'putMetricData',
          role: markerRole,
          input: ScheduleTargetInput.fromObject(marker),
          // The same statement for every schedule: the role's policy holds it once.
          policyStatements: [
            new PolicyStatement({
              actions: ['cloudwatch:PutMetricData'],
              resources: ['*'],
              conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
            }),
          ],
        }),
      });
    }
    const policy = markerRole.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) {
      acknowledge(
        policy,
        'AwsSolutions-IAM5[Resource::*]',
        'cloudwatch:PutMetricData has no resource-level permissions (AWS requires "*"); the statement is limited to the Sertakan namespace by the cloudwatch:namespace condition.',
      );
    }
  }
}
