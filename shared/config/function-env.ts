/**
 * The one list of the environment variables SERTAKAN's functions read. Each variable name is written
 * here once: infra/resources.ts takes each resource's `envVar` from {@link resourceEnvVars} (the CDK
 * sets it when it grants the function that resource), and each handler reads its variables through
 * `readFunctionEnv` (shared/runtime/function-env.ts), whose zod schema is derived from
 * {@link functionEnv}. test/infra/function-env.test.ts holds the two sides together.
 */
import { z } from 'zod';

/** The variable through which each resource's name (table, bucket), URL (queue) or ARN (topic) reaches a function. */
export const resourceEnvVars = {
  tables: {
    ledger: 'LEDGER_TABLE_NAME',
    registry: 'REGISTRY_TABLE_NAME',
    audit: 'AUDIT_TABLE_NAME',
  },
  queues: {
    payrollFiles: 'PAYROLL_FILES_QUEUE_URL',
    workerFiles: 'WORKER_FILES_QUEUE_URL',
    grantFiles: 'GRANT_FILES_QUEUE_URL',
    bpjsFiles: 'BPJS_FILES_QUEUE_URL',
    deductions: 'DEDUCTIONS_QUEUE_URL',
    allocationJobs: 'ALLOCATION_JOBS_QUEUE_URL',
    scanJobs: 'SCAN_JOBS_QUEUE_URL',
  },
  buckets: {
    intake: 'INTAKE_BUCKET_NAME',
    reports: 'REPORTS_BUCKET_NAME',
  },
  topics: {
    opsAlerts: 'OPS_ALERTS_TOPIC_ARN',
    intakeOutcomes: 'INTAKE_OUTCOMES_TOPIC_ARN',
  },
} as const;

type Vars = typeof resourceEnvVars;
export type EnvTable = keyof Vars['tables'];
export type EnvQueue = keyof Vars['queues'];
export type EnvBucket = keyof Vars['buckets'];
export type EnvTopic = keyof Vars['topics'];

/**
 * The resources whose variables a function is handed: exactly those its access in infra/resources.ts
 * grants (tables and buckets it touches, queues it sends to, topics it publishes to).
 */
export type FunctionResources = {
  readonly tables?: readonly EnvTable[];
  readonly buckets?: readonly EnvBucket[];
  readonly sendTo?: readonly EnvQueue[];
  readonly publishTo?: readonly EnvTopic[];
};

export type FunctionEnvSpec = {
  readonly resources: FunctionResources;
  /** Variables that are not a resource: set by the stacks from stage config, or optional overrides. */
  readonly settings?: Readonly<Record<string, z.ZodType>>;
};

/** Workers per allocation invocation: measured by test/bench/allocation.ts to end far inside Lambda's 15 minutes. */
export const ALLOCATION_CHUNK_SIZE = 5_000;

/** The intake functions' common resources: the file's record, its rejection report, its announced outcome. */
const intakeResources = {
  buckets: ['intake', 'reports'],
  publishTo: ['intakeOutcomes'],
} as const;

export const functionEnv = {
  splitPayrollFile: {
    resources: { ...intakeResources, tables: ['registry'], sendTo: ['deductions'] },
  },
  registerWorkers: { resources: { ...intakeResources, tables: ['registry'] } },
  creditGrants: { resources: { ...intakeResources, tables: ['registry', 'ledger'] } },
  applyBpjsConfirmations: { resources: { ...intakeResources, tables: ['registry', 'ledger'] } },
  ingestDeductions: { resources: { tables: ['registry', 'ledger'] } },
  allocatePool: {
    resources: { tables: ['registry', 'ledger'], buckets: ['reports'], sendTo: ['allocationJobs'] },
    settings: {
      // Not set on AWS (the default holds); the chaos simulation sets a small one so runs take several steps.
      ALLOCATION_CHUNK_SIZE: z.coerce.number().int().min(1).max(50_000).default(ALLOCATION_CHUNK_SIZE),
    },
  },
  scanLapses: {
    resources: {
      tables: ['registry', 'ledger'],
      buckets: ['reports'],
      sendTo: ['scanJobs'],
      publishTo: ['opsAlerts'],
    },
  },
  financeApi: {
    resources: { tables: ['registry', 'ledger', 'audit'], buckets: ['reports'] },
    settings: {
      /** The caller table (shared/finance-api/callers.ts); none listed: every caller refused. */
      FINANCE_CALLERS: z.string().default('[]'),
    },
  },
  consoleApi: {
    resources: {
      tables: ['registry', 'ledger', 'audit'],
      buckets: ['intake', 'reports'],
      sendTo: ['payrollFiles'],
    },
    settings: {
      // The sign-in's token issuer (docs/console.md), set by the console's construct.
      CONSOLE_JWKS_URL: z.url(),
      CONSOLE_TOKEN_ISSUER: z.string().min(1),
      CONSOLE_TOKEN_AUDIENCE: z.string().min(1),
    },
  },
} as const satisfies Record<string, FunctionEnvSpec>;

export type FunctionKey = keyof typeof functionEnv;
