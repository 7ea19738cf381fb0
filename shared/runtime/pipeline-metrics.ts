/**
 * The custom CloudWatch metrics the dashboard and alarms read. Function authors: publish EXACTLY these
 * names with Powertools Metrics (namespace from POWERTOOLS_METRICS_NAMESPACE, which the CDK sets to
 * `Sertakan`) and keep Powertools' single default dimension `service` (= POWERTOOLS_SERVICE_NAME, the
 * function's name in infra/resources.ts). Do not add per-pool dimensions: every extra dimension set is a
 * separate metric that the dashboard's SEARCH and the alarms below would not see, and it costs money.
 * Unit is Count for all of them.
 */
export const METRICS_NAMESPACE = 'Sertakan';

export const pipelineMetrics = {
  /** split-payroll-file, register-workers, credit-grants: +1 per intake file taken up. */
  filesReceived: 'FilesReceived',
  /** The three intake functions: rows that passed validation. */
  rowsAccepted: 'RowsAccepted',
  /** The three intake functions: rows written to a rejection report. */
  rowsRejected: 'RowsRejected',
  /** ingest-deductions: deductions newly written to the ledger (replays are not counted). */
  deductionsIngested: 'DeductionsIngested',
  /** allocate-pool: worker-months funded / left unfunded by an allocation chunk. */
  workersFunded: 'WorkersFunded',
  workersUnfunded: 'WorkersUnfunded',
  /** scan-lapses: lapse alerts sent (once per alert, not per digest). */
  alertsSent: 'AlertsSent',
  /**
   * allocate-pool: +1 when a pool's monthly allocation run completes (once per pool per month, on the
   * chunk that finishes the run). The "allocation not completed by the 14th" alarm reads it.
   */
  allocationRunsCompleted: 'AllocationRunsCompleted',
  /**
   * finance-api, console-api: +1 per request the HTTP wrapper answered 5xx (an unexpected error, or a
   * dependency unavailable). The wrapper turns every error into a reply, so Lambda's own Errors metric
   * never counts these; this is what the API error alarms read.
   */
  httpServerErrors: 'HttpServerErrors',
  /**
   * Published by the infrastructure itself (an EventBridge Scheduler universal target, no function)
   * on the 14th at 09:00 WIB; marks "the allocation deadline is now". Functions never publish it.
   */
  allocationDeadlineReached: 'AllocationDeadlineReached',
} as const;

export type PipelineMetricName = (typeof pipelineMetrics)[keyof typeof pipelineMetrics];
