// Over 300 lines on purpose: the one resource description, read whole by CDK, the local cloud and reviewers.
/**
 * The one description of SERTAKAN's stateful resources and wiring. The CDK stacks (infra/stacks) and
 * the embedded local cloud (shared/local-cloud) both read this, so tables, keys, indexes, queues,
 * redrive limits, bucket notifications and schedules cannot drift apart between AWS and a laptop.
 *
 * Logical names here are stage-independent; physical names are `sertakan-<stage>-<name>` locally and
 * CDK-generated on AWS (handed to functions through env vars named in `envVar`).
 */

export type KeyAttribute = { readonly name: string; readonly type: 'S' | 'N' };

export type IndexSpec = {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
};

export type TableSpec = {
  readonly name: string;
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly indexes: readonly IndexSpec[];
  readonly purpose: string;
};

export type QueueSpec = {
  readonly name: string;
  readonly envVar: string;
  /**
   * Seconds; above the consuming function's timeout (AWS requires >= it). Not the 6x AWS suggests for
   * batching windows: these functions take one record per invocation, and a longer timeout only delays
   * the retry of a crashed job step.
   */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to `<name>-dlq`. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  readonly purpose: string;
};

export type BucketNotificationSpec = {
  readonly prefix: string;
  readonly suffix?: string;
  readonly queue: QueueName;
};

/** Objects under `prefix` are deleted `days` after they were written (an S3 lifecycle rule). */
export type ExpirationSpec = { readonly prefix: string; readonly days: number; readonly reason: string };

export type BucketSpec = {
  readonly name: string;
  readonly envVar: string;
  readonly notifications: readonly BucketNotificationSpec[];
  /** Working objects with personal data get a lifetime; records (bills, reconciliations, rejections) stay. */
  readonly expirations: readonly ExpirationSpec[];
  /** Browsers may PUT here through presigned URLs (the console's uploads): a CORS rule for that. */
  readonly browserUploads?: boolean;
  readonly purpose: string;
};

export type TopicSpec = {
  readonly name: string;
  readonly envVar: string;
  readonly purpose: string;
  /** Subscribe the stage's ops email (ops topics); treasurers subscribe to intake outcomes by filter. */
  readonly opsEmail: boolean;
};

/** The DynamoDB actions our adapters call (no Scan, DeleteItem or ConditionCheckItem: none does). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'BatchWriteItem';

/**
 * Exact actions, or a shorthand: `read` (GetItem, BatchGetItem, Query) and `readWrite` (+ PutItem,
 * UpdateItem, BatchWriteItem). Exact lists are what the bundle test proves used (infra/README.md).
 */
export type TableAccess = 'read' | 'readWrite' | readonly TableAction[];

/**
 * Key prefixes a function may read and write, or a whole-bucket shorthand. Prefixes are what the
 * bundle test proves used: personal data under one prefix is not readable by a function that only
 * writes rejection reports under another.
 */
export type BucketAccess =
  | 'read'
  | 'write'
  | 'readWrite'
  | { readonly read?: readonly string[]; readonly write?: readonly string[] };

/** What a function may touch: the CDK grants exactly this and sets the matching env vars. */
export type FunctionAccess = {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  /** Global secondary indexes the function Queries, by table: Query is granted on those index ARNs only. */
  readonly indexes?: Partial<Record<TableName, readonly string[]>>;
  readonly buckets?: Partial<Record<BucketName, BucketAccess>>;
  readonly sendTo?: readonly QueueName[];
  readonly publishTo?: readonly TopicName[];
};

export type FunctionSpec = {
  readonly name: string;
  readonly access: FunctionAccess;
  /** Source entry, relative to the repository root. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** SQS event source, if the function is queue-driven. */
  readonly source?: {
    readonly queue: QueueName;
    readonly batchSize: number;
    readonly maxBatchingWindowSeconds: number;
    readonly maxConcurrency?: number;
  };
  readonly purpose: string;
};

export type ScheduleSpec = {
  readonly name: string;
  /** EventBridge Scheduler cron expression, evaluated in `timeZone`. */
  readonly cron: string;
  readonly timeZone: 'Asia/Jakarta';
  /** Queue the scheduler sends its message to. */
  readonly queue: QueueName;
  readonly message: Record<string, unknown>;
  readonly purpose: string;
  /**
   * Local cloud only: when simulated time jumps over several occurrences (the demo steps a day at a time),
   * send only the latest. True only for a job whose later occurrence does everything an earlier one would
   * when nothing happened in between (a sweep that reads state). EventBridge always sends each one.
   */
  readonly catchUpLatestOnly?: boolean;
};

const gsi = (n: 1 | 2): IndexSpec => ({
  name: `gsi${n}`,
  partitionKey: { name: `gsi${n}pk`, type: 'S' },
  sortKey: { name: `gsi${n}sk`, type: 'S' },
});

const pkSk = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
} as const;

export const tables = {
  ledger: {
    name: 'ledger',
    envVar: 'LEDGER_TABLE_NAME',
    ...pkSk,
    indexes: [gsi(1), gsi(2)],
    purpose:
      'Append-only money history: deductions, corrections, grants, credit summaries, allocations, runs, alerts.',
  },
  registry: {
    name: 'registry',
    envVar: 'REGISTRY_TABLE_NAME',
    ...pkSk,
    indexes: [gsi(1)],
    purpose:
      'Current state with history: agencies, intake files, workers and their coverage, donor directory.',
  },
} as const satisfies Record<string, TableSpec>;

export const queues = {
  payrollFiles: {
    name: 'payroll-files',
    envVar: 'PAYROLL_FILES_QUEUE_URL',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/payroll/.',
  },
  workerFiles: {
    name: 'worker-files',
    envVar: 'WORKER_FILES_QUEUE_URL',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/workers/.',
  },
  grantFiles: {
    name: 'grant-files',
    envVar: 'GRANT_FILES_QUEUE_URL',
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/grants/.',
  },
  deductions: {
    name: 'deductions',
    envVar: 'DEDUCTIONS_QUEUE_URL',
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Validated deduction chunks from the splitter, consumed by ingest-deductions.',
  },
  allocationJobs: {
    name: 'allocation-jobs',
    envVar: 'ALLOCATION_JOBS_QUEUE_URL',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Monthly fan-out (one message per pool), chunk continuations of allocation runs, sweeps.',
  },
  scanJobs: {
    name: 'scan-jobs',
    envVar: 'SCAN_JOBS_QUEUE_URL',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Daily lapse-scan fan-out (one message per pool) and chunk continuations.',
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof queues;
export type TableName = keyof typeof tables;

export const buckets = {
  intake: {
    name: 'intake',
    envVar: 'INTAKE_BUCKET_NAME',
    notifications: [
      { prefix: 'incoming/payroll/', queue: 'payrollFiles' },
      { prefix: 'incoming/workers/', queue: 'workerFiles' },
      { prefix: 'incoming/grants/', queue: 'grantFiles' },
    ],
    // The files as received are the evidence every deduction, worker and grant points back to.
    expirations: [],
    browserUploads: true,
    purpose: 'Files from payroll treasurers, worker enrollment and grants; kept as received.',
  },
  reports: {
    name: 'reports',
    envVar: 'REPORTS_BUCKET_NAME',
    notifications: [],
    expirations: [
      {
        prefix: 'plans/',
        days: 62,
        reason:
          'Allocation plans (NIK, name, KPJ, tier per worker) are read only while their run is RUNNING. A run ' +
          'starts on the 10th and completes by the 15th; a stalled one is finished at the latest by the next ' +
          "month's run. 62 days covers two monthly cycles; the run's outcome is kept in the ledger, bill and reconciliation.",
      },
      {
        prefix: 'work/',
        days: 7,
        reason:
          "Parts of a day's alert list (NIK, names) while the scan runs; the assembled list under " +
          'reports/alerts/ is the record. A week leaves time to look at a failed scan.',
      },
    ],
    purpose: 'Rejection reports, BPJS bills, reconciliations, alert lists, HTML pool reports.',
  },
} as const satisfies Record<string, BucketSpec>;

export type BucketName = keyof typeof buckets;

export const topics = {
  opsAlerts: {
    name: 'ops-alerts',
    envVar: 'OPS_ALERTS_TOPIC_ARN',
    purpose: 'One digest per pool per day for BPJS operations (lapse alerts).',
    opsEmail: true,
  },
  intakeOutcomes: {
    name: 'intake-outcomes',
    envVar: 'INTAKE_OUTCOMES_TOPIC_ARN',
    purpose:
      'Every intake outcome, with attributes pool, agency, kind, status: each treasurer subscribes to their own by filter policy.',
    opsEmail: false,
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = keyof typeof topics;

export const functions = {
  splitPayrollFile: {
    access: {
      // Query gsi1: a newer upload expires the month's older versions still waiting for confirmation.
      tables: { registry: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
      indexes: { registry: ['gsi1'] },
      buckets: {
        intake: { read: ['incoming/payroll/'] },
        // A corrected file is compared with the snapshot of the version it supersedes; a version that
        // takes money away leaves its masked difference under reports/pending/.
        reports: { read: ['snapshots/'], write: ['snapshots/', 'reports/rejections/', 'reports/pending/'] },
      },
      sendTo: ['deductions'],
      publishTo: ['intakeOutcomes'],
    },
    name: 'split-payroll-file',
    entry: 'functions/split-payroll-file/handler.ts',
    timeoutSeconds: 900,
    memoryMb: 1024,
    // One file per invocation: a file is the unit of validation, reporting and supersession.
    source: { queue: 'payrollFiles', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: 'Validate a payroll deduction file, report rejections, emit deduction chunks.',
  },
  registerWorkers: {
    access: {
      tables: { registry: ['GetItem', 'BatchGetItem', 'PutItem', 'BatchWriteItem'] },
      buckets: { intake: { read: ['incoming/workers/'] }, reports: { write: ['reports/rejections/'] } },
      publishTo: ['intakeOutcomes'],
    },
    name: 'register-workers',
    entry: 'functions/register-workers/handler.ts',
    timeoutSeconds: 900,
    memoryMb: 1024,
    source: { queue: 'workerFiles', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: 'Validate a worker enrollment file into the worker registry.',
  },
  creditGrants: {
    access: {
      tables: { registry: ['GetItem', 'PutItem'], ledger: ['GetItem', 'PutItem'] },
      buckets: { intake: { read: ['incoming/grants/'] }, reports: { write: ['reports/rejections/'] } },
      publishTo: ['intakeOutcomes'],
    },
    name: 'credit-grants',
    entry: 'functions/credit-grants/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    source: { queue: 'grantFiles', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: 'Validate a grant file and credit each grant to its pool once.',
  },
  ingestDeductions: {
    access: {
      tables: { registry: ['GetItem'], ledger: ['BatchGetItem', 'PutItem', 'BatchWriteItem'] },
    },
    name: 'ingest-deductions',
    entry: 'functions/ingest-deductions/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    // Each message is a chunk of up to 50 deductions: 10 messages = up to 500 ledger writes per invocation.
    source: { queue: 'deductions', batchSize: 10, maxBatchingWindowSeconds: 5, maxConcurrency: 20 },
    purpose: 'Write deduction chunks to the ledger exactly once.',
  },
  allocatePool: {
    access: {
      tables: {
        registry: ['GetItem', 'Query', 'PutItem'],
        // BatchWriteItem: the month's donor and agency shares (docs/finance-queries.md).
        ledger: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
      },
      buckets: {
        reports: {
          read: ['plans/'],
          write: [
            'plans/',
            'reports/bpjs-bill/',
            'reports/reconciliation/',
            'reports/allocations/',
            'reports/shares/',
          ],
        },
      },
      sendTo: ['allocationJobs'],
    },
    name: 'allocate-pool',
    entry: 'functions/allocate-pool/handler.ts',
    timeoutSeconds: 900,
    // The first step of a run orders the whole pool in memory (~0.8 KB per worker measured by
    // `npm run bench`): 3 GB keeps a 1,000,000-worker pool's plan inside one invocation.
    memoryMb: 3008,
    source: { queue: 'allocationJobs', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: 'Monthly allocation and coverage renewal of one pool, one chunk per invocation.',
  },
  scanLapses: {
    access: {
      tables: { registry: ['GetItem', 'Query'], ledger: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'] },
      // The day's list is assembled from parts written under work/ while the scan runs.
      buckets: { reports: { read: ['work/alerts/'], write: ['work/alerts/', 'reports/alerts/'] } },
      sendTo: ['scanJobs'],
      publishTo: ['opsAlerts'],
    },
    name: 'scan-lapses',
    entry: 'functions/scan-lapses/handler.ts',
    timeoutSeconds: 900,
    memoryMb: 1024,
    source: { queue: 'scanJobs', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: 'Daily lapse scan of one pool, one chunk per invocation; sends the ops digest.',
  },
  financeApi: {
    // Reads the ledger and registry; writes only pool records (`POST/PATCH /pools`, conditional PutItem
    // on pk='POOL'); in the reports bucket only the month files it hands out as presigned links (bill,
    // allocation log, shares: too large for a 6 MB response), never plans.
    access: {
      tables: { registry: ['GetItem', 'Query', 'PutItem'], ledger: ['GetItem', 'Query'] },
      buckets: { reports: { read: ['reports/bpjs-bill/', 'reports/allocations/', 'reports/shares/'] } },
    },
    name: 'finance-api',
    entry: 'functions/finance-api/handler.ts',
    timeoutSeconds: 29,
    memoryMb: 1024,
    purpose: 'HTTP API for finance: allocations, reconciliation, bills, donor statements.',
  },
  consoleApi: {
    // The finance queries (read), the alert desk (read alerts, append handled notes), files and their
    // rejection reports (read), presigned PUTs of payroll files (the URL carries this grant), and
    // decisions on pending payroll files (UpdateItem of the file record, the file handed back to the
    // payroll-files queue; a withdrawal request is a small PUT under incoming/payroll/).
    access: {
      tables: { registry: ['GetItem', 'Query', 'UpdateItem'], ledger: ['GetItem', 'Query', 'PutItem'] },
      sendTo: ['payrollFiles'],
      // A period's files are listed through the registry's gsi1 (FILES#<pool>#<period>).
      indexes: { registry: ['gsi1'] },
      buckets: { intake: { write: ['incoming/payroll/'] }, reports: { read: ['reports/rejections/'] } },
    },
    name: 'console-api',
    entry: 'functions/console-api/handler.ts',
    timeoutSeconds: 29,
    memoryMb: 1024,
    purpose:
      'HTTP API of the web console (JWT-authorised): treasurer, ops and finance routes by role and scope.',
  },
} as const satisfies Record<string, FunctionSpec>;

/**
 * The web console's sign-in (docs/console.md): a Cognito user pool whose groups are the roles and
 * whose custom attributes are the scope; the console API reads them from the ID token.
 */
export const consoleAuth = {
  groups: ['treasurer', 'ops', 'finance'],
  attributes: {
    pools: { maxLength: 256, purpose: 'comma-separated pool code prefixes, e.g. 15.04 or 15' },
    agency: { maxLength: 40, purpose: "the treasurer's agency (OPD) code" },
  },
  /** Route prefix of the console API on the HTTP API (JWT authorizer), and the CloudFront behaviour. */
  routePrefix: '/api',
} as const;

export const schedules = {
  monthlyAllocation: {
    name: 'monthly-allocation',
    // Day 10, 06:00 WIB: payroll of the 1st is in, and BPJS must be paid by the 15th.
    cron: 'cron(0 6 10 * ? *)',
    timeZone: 'Asia/Jakarta',
    queue: 'allocationJobs',
    message: { kind: 'FAN_OUT' },
    purpose: 'Start the monthly allocation: one job per pool.',
  },
  // The sweeper (docs/allocation-liveness.md): resumes allocation runs that no live message carries any
  // more. Hourly while the month's allocation is due (10th-14th, before BPJS's 15th), daily otherwise.
  allocationSweepHourly: {
    name: 'allocation-sweep-hourly',
    cron: 'cron(30 * 10-14 * ? *)',
    timeZone: 'Asia/Jakarta',
    queue: 'allocationJobs',
    message: { kind: 'SWEEP' },
    purpose: 'Resume stalled allocation runs every hour from the 10th to the 14th.',
    catchUpLatestOnly: true,
  },
  allocationSweepDaily: {
    name: 'allocation-sweep-daily',
    cron: 'cron(30 5 * * ? *)',
    timeZone: 'Asia/Jakarta',
    queue: 'allocationJobs',
    message: { kind: 'SWEEP' },
    purpose: 'Resume stalled allocation runs once a day (a run left over from an earlier month).',
    catchUpLatestOnly: true,
  },
  dailyScan: {
    name: 'daily-scan',
    cron: 'cron(0 7 * * ? *)',
    timeZone: 'Asia/Jakarta',
    queue: 'scanJobs',
    message: { kind: 'FAN_OUT' },
    purpose: 'Daily lapse scan at 07:00 WIB: one job per pool.',
  },
} as const satisfies Record<string, ScheduleSpec>;

export const resources = { tables, queues, buckets, topics, functions, schedules } as const;

/** Physical name used by the local cloud (AWS names come from CDK and reach functions via env vars). */
export const localName = (stage: string, logical: string): string => `sertakan-${stage}-${logical}`;
export const dlqName = (queueName: string): string => `${queueName}-dlq`;
