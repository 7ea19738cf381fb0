import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, MathExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { SertakanFunction } from '#infra/constructs/sertakan-function.ts';
import type { QueueName } from '#infra/resources.ts';
import type { QueuePair } from '#infra/stacks/stateful-stack.ts';
import {
  METRICS_NAMESPACE,
  type PipelineMetricName,
  pipelineMetrics,
} from '#shared/runtime/pipeline-metrics.ts';

export type PipelineDashboardProps = {
  readonly queues: Record<QueueName, QueuePair>;
  readonly functions: readonly SertakanFunction[];
};

const PERIOD = Duration.hours(1);

/**
 * A custom metric summed over every function that publishes it (SEARCH over the `service` dimension
 * Powertools adds), so the dashboard does not need to know which function emits which metric.
 */
const pipelineTotal = (name: PipelineMetricName, label: string): IMetric =>
  new MathExpression({
    expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service} MetricName="${name}"', 'Sum', ${PERIOD.toSeconds()}))`,
    label,
    period: PERIOD,
    usingMetrics: {},
  });

/** The pipeline's health on one page: intake, ledger, allocation, alerts, then the plumbing. */
export class PipelineDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const m = pipelineMetrics;
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# SERTAKAN pipeline\nCustom metrics in namespace \`${METRICS_NAMESPACE}\`, summed per hour over all functions.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Intake: files and rows',
        left: [
          pipelineTotal(m.filesReceived, 'files received'),
          pipelineTotal(m.rowsAccepted, 'rows accepted'),
          pipelineTotal(m.rowsRejected, 'rows rejected'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Ledger: deductions ingested',
        left: [pipelineTotal(m.deductionsIngested, 'deductions ingested')],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Allocation: workers funded / unfunded',
        left: [
          pipelineTotal(m.workersFunded, 'workers funded'),
          pipelineTotal(m.workersUnfunded, 'workers unfunded'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Lapse alerts sent',
        left: [pipelineTotal(m.alertsSent, 'alerts sent')],
        width: 12,
      }),
    );
    const pairs = Object.values(props.queues) as QueuePair[];
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues (messages)',
        left: pairs.map((p) =>
          p.dlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: props.functions.map((f) =>
          f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', label: f.spec.name }),
        ),
        width: 12,
      }),
    );
    this.dashboard = dashboard;
  }
}
