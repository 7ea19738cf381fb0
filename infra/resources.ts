// Over 300 lines on purpose: the one resource description, read whole by CDK, the local cloud and reviewers.
/**
 * The one description of SERTAKAN's stateful resources and wiring. The CDK stacks (infra/stacks) and
 * the embedded local cloud (shared/local-cloud) both read this, so tables, keys, indexes, queues,
 * redrive limits, bucket notifications and schedules cannot drift apart between AWS and a laptop.
 *
 * Logical names here are stage-independent; physical names are `sertakan-<stage>-<name>` locally and
 * CDK-generated on AWS (handed to functions through env vars named in `envVar`, whose names are written
 * once in shared/config/function-env.ts).
 */
import { resourceEnvVars } from '#shared/config/function-env.ts';
import { AUDIT_RETENTION_DAYS, MONTHLY_ALLOCATION_CRON } from '#shared/config/operations.ts';

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
  /**
   * Items are written once and never changed: the table's resource policy denies UpdateItem,
   * DeleteItem, BatchWriteItem and PartiQL writes to every principal, and no function is granted them.
   */
  readonly appendOnly?: boolean;
  /** DynamoDB deletes an item `days` after the epoch-seconds instant in `attribute` (TTL). */
  readonly retention?: { readonly attribute: string; readonly days: number; readonly reason: string };
};

export type QueueSpec = {
  readonly name: string;
  readonly envVar: string;
  /**
   * Seconds; at least 6x the consuming function's timeout, as AWS advises for SQS event sources: a
   * throttled invocation's retries happen while the message stays invisible, so a timeout barely above
   * the function's lets a live message reappear and run twice. A crashed job step is then retried after
   * this long; allocation runs do not wait for it (the sweeper resumes an idle run after 20 minutes).
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
  /**
   * A lifetime per data class (docs/data-retention.md): financial records for the archive period,
   * raw files and snapshots as long as corrections may come, working objects briefly.
   */
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
    envVar: resourceEnvVars.tables.ledger,
    ...pkSk,
    indexes: [gsi(1), gsi(2)],
    purpose:
      'Append-only money history: deductions, corrections, grants, credit summaries, allocations, runs, alerts.',
  },
  registry: {
    name: 'registry',
    envVar: resourceEnvVars.tables.registry,
    ...pkSk,
    indexes: [gsi(1)],
    purpose:
      'Current state with history: agencies, intake files, workers and their coverage, donor directory.',
  },
  audit: {
    name: 'audit',
    envVar: resourceEnvVars.tables.audit,
    ...pkSk,
    indexes: [],
    purpose:
      'The audit trail (docs/access.md): one item per action by a person or machine, pk AUDIT#<YYYY-MM>, written once.',
    appendOnly: true,
    retention: {
      attribute: 'expiresAt',
      days: AUDIT_RETENTION_DAYS,
      reason:
        'Ten years, as Indonesian law keeps financial records and their supporting documents (UU 8/1997 ' +
        'on company documents; UU KUP); a trail item holds no NIK, NIP or donor or worker name.',
    },
  },
} as const satisfies Record<string, TableSpec>;

export const queues = {
  payrollFiles: {
    name: 'payroll-files',
    envVar: resourceEnvVars.queues.payrollFiles,
    visibilityTimeoutSeconds: 5400,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/payroll/.',
  },
  workerFiles: {
    name: 'worker-files',
    envVar: resourceEnvVars.queues.workerFiles,
    visibilityTimeoutSeconds: 5400,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/workers/.',
  },
  grantFiles: {
    name: 'grant-files',
    envVar: resourceEnvVars.queues.grantFiles,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/grants/.',
  },
  // BPJS's confirmation files (docs/bpjs-loop.md#the-confirmation-file).
  bpjsFiles: {
    name: 'bpjs-files',
    envVar: resourceEnvVars.queues.bpjsFiles,
    // 6x the 300 s function timeout (AWS's guidance for SQS event sources).
    visibilityTimeoutSeconds: 1800,
    maxReceiveCount: 3,
    retentionDays: 14,
    purpose: 'S3 object-created events for incoming/bpjs/.',
  },
  deductions: {
    name: 'deductions',
    envVar: resourceEnvVars.queues.deductions,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Validated deduction chunks from the splitter, consumed by ingest-deductions.',
  },
  allocationJobs: {
    name: 'allocation-jobs',
    envVar: resourceEnvVars.queues.allocationJobs,
    visibilityTimeoutSeconds: 5400,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Monthly fan-out (one message per pool), chunk continuations of allocation runs, sweeps.',
  },
  scanJobs: {
    name: 'scan-jobs',
    envVar: resourceEnvVars.queues.scanJobs,
    visibilityTimeoutSeconds: 5400,
    maxReceiveCount: 5,
    retentionDays: 14,
    purpose: 'Daily lapse-scan fan-out (one message per pool) and chunk continuations.',
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof queues;
export type TableName = keyof typeof tables;

/**
 * Days a raw intake file and its snapshot are kept: the budget year of its period plus the following year,
 * in which the audit of the regional accounts (BPK) closes and its corrections come (docs/data-retention.md).
 */
export const CORRECTION_WINDOW_DAYS = 2 * 366;

/** Days financial records are kept: ten years, the archive period for books and their documents. */
export const FINANCIAL_ARCHIVE_DAYS = 10 * 366;

export const buckets = {
  intake: {
    name: 'intake',
    envVar: resourceEnvVars.buckets.intake,
    notifications: [
      { prefix: 'incoming/payroll/', queue: 'payrollFiles' },
      { prefix: 'incoming/workers/', queue: 'workerFiles' },
      { prefix: 'incoming/grants/', queue: 'grantFiles' },
      { prefix: 'incoming/bpjs/', queue: 'bpjsFiles' },
    ],
    // The files as received are the evidence every deduction, worker and grant points back to, for as
    // long as a correction of their period may still come; the ledger keeps the financial record after.
    expirations: [
      {
        prefix: 'incoming/',
        days: CORRECTION_WINDOW_DAYS,
        reason:
          'Payroll, worker and grant files as received (NIP, NIK, names): needed while a correction of their ' +
          'period may come (the budget year and the following one, when the audit of the regional accounts ' +
          'closes). After that the ledger holds the financial record; UU 27/2022 asks for no longer than needed.',
      },
    ],
    browserUploads: true,
    purpose: 'Files from payroll treasurers, worker enrollment and grants; kept as received.',
  },
  reports: {
    name: 'reports',
    envVar: resourceEnvVars.buckets.reports,
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
        prefix: 'snapshots/',
        days: CORRECTION_WINDOW_DAYS,
        reason:
          "Each payroll file's rows by full NIP: the base a replacement file is compared with, so kept exactly " +
          'as long as the files themselves (incoming/ in the intake bucket).',
      },
      {
        prefix: 'reports/rejections/',
        days: CORRECTION_WINDOW_DAYS,
        reason:
          'Rejected rows as received (personal data of the bad rows): the treasurer fixes and re-sends within ' +
          "the correction window; the file's outcome stays in the registry.",
      },
      {
        prefix: 'reports/alerts/',
        days: 400,
        reason:
          "Ops' daily lists of workers at risk, unfunded or lapsed (NIK, names): a year of follow-up history. " +
          'Each alert itself stays in the alert log.',
      },
      ...(
        ['reports/bpjs-bill/', 'reports/reconciliation/', 'reports/allocations/', 'reports/shares/'] as const
      ).map((prefix) => ({
        prefix,
        days: FINANCIAL_ARCHIVE_DAYS,
        reason:
          'Financial records (what was billed to BPJS, reconciled, allocated, and whose deductions funded it): ' +
          'kept for the ten years Indonesian law keeps books and their supporting documents (UU 8/1997), ' +
          'which covers any audit (BPK, Inspektorat); then deleted.',
      })),
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
    envVar: resourceEnvVars.topics.opsAlerts,
    purpose: 'One digest per pool per day for BPJS operations (lapse alerts).',
    opsEmail: true,
  },
  intakeOutcomes: {
    name: 'intake-outcomes',
    envVar: resourceEnvVars.topics.intakeOutcomes,
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
  // BPJS's answer for a pool's month: lines per file version and the month's pointer in the ledger
  // table, a newly assigned KPJ in the worker registry (docs/bpjs-loop.md#the-confirmation-file).
  applyBpjsConfirmations: {
    access: {
      tables: {
        registry: ['GetItem', 'BatchGetItem', 'PutItem', 'BatchWriteItem'],
        ledger: ['Query', 'PutItem', 'BatchWriteItem'],
      },
      buckets: { intake: { read: ['incoming/bpjs/'] }, reports: { write: ['reports/rejections/'] } },
      publishTo: ['intakeOutcomes'],
    },
    name: 'apply-bpjs-confirmations',
    entry: 'functions/apply-bpjs-confirmations/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    source: { queue: 'bpjsFiles', batchSize: 1, maxBatchingWindowSeconds: 0 },
    purpose: "Validate BPJS's confirmation file of a pool's month and apply it once (KPJs to the registry).",
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
    // At most 10 pools at once (30 GB): the monthly fan-out of thousands of pools must not take the
    // account's concurrency from the people's APIs, nor burst the ledger's partitions.
    source: { queue: 'allocationJobs', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 10 },
    purpose: 'Monthly allocation and coverage renewal of one pool, one chunk per invocation.',
  },
  scanLapses: {
    access: {
      // In the registry it writes only the decision that ends a payroll version held past its time
      // (UpdateItem, conditional on it still waiting), found through its marker (Query HELD#<pool>).
      tables: {
        registry: ['GetItem', 'Query', 'UpdateItem'],
        ledger: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'],
      },
      // The day's list is assembled from parts written under work/ while the scan runs.
      buckets: { reports: { read: ['work/alerts/'], write: ['work/alerts/', 'reports/alerts/'] } },
      sendTo: ['scanJobs'],
      publishTo: ['opsAlerts'],
    },
    name: 'scan-lapses',
    entry: 'functions/scan-lapses/handler.ts',
    timeoutSeconds: 900,
    memoryMb: 1024,
    // At most 10 pools at once, for the same reason as allocatePool's.
    source: { queue: 'scanJobs', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 10 },
    purpose: 'Daily lapse scan of one pool, one chunk per invocation; sends the ops digest.',
  },
  financeApi: {
    // Reads the ledger and registry; writes only pool records (`POST /pools` a conditional PutItem,
    // `PATCH /pools` a conditional UpdateItem that keeps the intake's firstPeriod; pk='POOL'); in the reports bucket only the month files it hands out as presigned links (bill,
    // allocation log, shares: too large for a 6 MB response), never plans. In the ledger it writes the
    // bill decisions and payments (docs/bpjs-loop.md): a conditional PutItem each, the release an UpdateItem.
    // The audit trail: append only (conditional PutItem), never read here.
    access: {
      tables: {
        registry: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
        ledger: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
        audit: ['PutItem'],
      },
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
    // rejection reports (read), agencies' column mappings (read, save: PutItem on the registry), presigned
    // PUTs of payroll files (the URL carries this grant), decisions on pending payroll files (UpdateItem of
    // the file record, the file handed back to the payroll-files queue; a withdrawal request is a small PUT
    // under incoming/payroll/); the audit trail: appended to (conditional PutItem) and read by finance.
    access: {
      tables: {
        registry: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
        ledger: ['GetItem', 'Query', 'PutItem'],
        audit: ['Query', 'PutItem'],
      },
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
  /**
   * Attributes only an administrator writes (AdminCreateUser, AdminUpdateUserAttributes): the app
   * client reads them into the ID token and may never write them (docs/access.md).
   */
  adminOnlyAttributes: ['pools', 'agency'],
  /** The standard attributes a user may change about themselves through the console's client. */
  userWritable: { locale: true },
  /** Route prefix of the console API on the HTTP API (JWT authorizer), and the CloudFront behaviour. */
  routePrefix: '/api',
} as const;

export const schedules = {
  monthlyAllocation: {
    name: 'monthly-allocation',
    // Day 10, 06:00 WIB: payroll of the 1st is in, and BPJS must be paid by the 15th.
    cron: MONTHLY_ALLOCATION_CRON,
    timeZone: 'Asia/Jakarta',
    queue: 'allocationJobs',
    message: { kind: 'FAN_OUT' },
    purpose: 'Start the monthly allocation: one job per pool.',
  },
  // The sweeper (docs/allocation-liveness.md): resumes allocation runs that no live message carries any
  // more. Hourly while the month's allocation is due (10th-14th, before BPJS's 15th), daily otherwise.
  // Every month's allocation deadline in shared/config/holidays/ falls on the 12th-14th, inside this
  // window (checked by the holiday calendar's unit test; docs/bpjs-loop.md#the-due-date).
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
