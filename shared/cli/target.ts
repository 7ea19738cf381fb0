import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { buckets, type QueueName, queues, tables } from '#infra/resources.ts';
import { DEFAULT_REGION } from '#shared/config/operations.ts';
import { readCloudClock } from '#shared/local-cloud/cloud-clock.ts';
import type { AwsClientOptions, AwsClients } from '#shared/runtime/aws-clients.ts';
import { localCredentials } from '#shared/runtime/dynamodb-clients.ts';
import { namingDataDir, openLocal } from './open-local.ts';
import type { RunningLocalUp } from './running-local-up.ts';
import { CliUsageError } from './usage.ts';
import { settleQueuesFromOutside } from './wait.ts';

/**
 * Where a CLI command works: the one module every command goes through (pipeline commands with
 * {@link withTarget}, finance queries through shared/cli/connect.ts on top of it).
 * - `--target local` with a running `sertakan local up` for the data dir (`<data-dir>/endpoints.json`
 *   present and its DynamoDB answering): talk to its emulators; that process does the processing.
 * - `--target local` otherwise: an embedded local cloud on the data dir for this command's duration,
 *   under the data-dir lock (shared/cli/data-dir-lock.ts; another command waits up to 60 s for it).
 *   Tables and objects persist there, queues do not, so a command waits until its queues are drained
 *   before it closes. A read-only command gets the emulators without the queue consumers; a command
 *   that touches tables only (the finance queries, `openTables` in tables-target.ts) gets DynamoDB alone. The local
 *   cloud's names are always those of stage `local`: the data dir says which data, not `--stage`.
 * - `--target aws --stage S`: the deployed stack through the default AWS credential chain and region.
 *   Names come from the environment, named as the functions get them (infra/resources.ts envVar):
 *   LEDGER_TABLE_NAME, REGISTRY_TABLE_NAME, AUDIT_TABLE_NAME, INTAKE_BUCKET_NAME, REPORTS_BUCKET_NAME,
 *   DEDUCTIONS_QUEUE_URL, ALLOCATION_JOBS_QUEUE_URL, SCAN_JOBS_QUEUE_URL; read them from the outputs of
 *   the stacks `Sertakan-<S>-*` (e.g. `aws cloudformation describe-stacks --stack-name
 *   Sertakan-prod-Stateful --query "Stacks[0].Outputs"`). A pipeline command needs them all before it
 *   starts; a read-only one only those it reads. Not runnable here (no AWS account).
 */

export type TargetOptions = {
  readonly target: 'local' | 'aws';
  readonly stage: string;
  readonly dataDir: string;
};

/** Physical names the commands need, whatever the target. */
export type TargetNames = {
  readonly tables: { readonly ledger: string; readonly registry: string; readonly audit: string };
  readonly buckets: { readonly intake: string; readonly reports: string };
  readonly queues: {
    readonly deductions: string;
    readonly allocationJobs: string;
    readonly scanJobs: string;
    /** Where a decided pending payroll file is handed back to the splitter (`sertakan file confirm`). */
    readonly payrollFiles: string;
  };
};

export type SettleQueue = keyof TargetNames['queues'];

export type Target = {
  readonly kind: 'local-up' | 'embedded' | 'aws';
  readonly clients: AwsClients;
  readonly names: TargetNames;
  readonly region: string;
  /** Emulator endpoints (local only), to print `aws --endpoint-url ...` commands. */
  readonly endpoints?: { readonly s3: string; readonly dynamodb: string; readonly sqs: string };
  /** One line for stderr: where the work happens. */
  readonly via: string;
  /** Resolves once `queues` (embedded: every queue) are empty and nothing holds a message. */
  settle(queueNames: readonly SettleQueue[], timeoutMs: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * `readOnly`: the command sends no queue messages (queries, forecast, reports, pool records): no queue
 * consumers are started. `needsData`: it only reads, so a local data dir without tables is a usage
 * error (open-local.ts requireLocalData) instead of empty tables made there.
 * `lockWaitMs`: how long to wait for another process to let go of the data dir (default 60 s).
 */
export type OpenOptions = {
  readonly readOnly?: boolean;
  readonly needsData?: boolean;
  readonly lockWaitMs?: number;
};

const settleThrough =
  (clients: AwsClients, names: TargetNames) =>
  (queueNames: readonly SettleQueue[], timeoutMs: number): Promise<void> =>
    settleQueuesFromOutside(
      clients.sqs,
      Object.fromEntries(queueNames.map((q) => [q, names.queues[q]])),
      timeoutMs,
    );

/**
 * The names from the environment. `eager`: every one now (a missing one is a CliUsageError naming
 * it); otherwise each on first read, so a query needs only the table variables.
 */
export const namesFromEnv = (env: NodeJS.ProcessEnv, stage: string, eager: boolean): TargetNames => {
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new CliUsageError(
        `--target aws: set ${name} from the outputs of the stacks Sertakan-${stage}-* (see shared/cli/target.ts)`,
      );
    }
    return value;
  };
  if (eager)
    for (const r of [tables.ledger, tables.registry, buckets.intake, buckets.reports]) need(r.envVar);
  if (eager)
    for (const q of [queues.deductions, queues.allocationJobs, queues.scanJobs, queues.payrollFiles])
      need(q.envVar);
  return {
    tables: {
      get ledger() {
        return need(tables.ledger.envVar);
      },
      get registry() {
        return need(tables.registry.envVar);
      },
      get audit() {
        return need(tables.audit.envVar);
      },
    },
    buckets: {
      get intake() {
        return need(buckets.intake.envVar);
      },
      get reports() {
        return need(buckets.reports.envVar);
      },
    },
    queues: {
      get deductions() {
        return need(queues.deductions.envVar);
      },
      get allocationJobs() {
        return need(queues.allocationJobs.envVar);
      },
      get scanJobs() {
        return need(queues.scanJobs.envVar);
      },
      get payrollFiles() {
        return need(queues.payrollFiles.envVar);
      },
    },
  };
};

// The SDK's S3, SQS and SNS clients and the local cloud load only for a command that opens a whole
// target: a query on tables (openTables, tables-target.ts) loads neither.
const awsClients = async (opts: AwsClientOptions): Promise<AwsClients> =>
  (await import('#shared/runtime/aws-clients.ts')).makeAwsClients(opts);

const awsTarget = async (stage: string, readOnly: boolean): Promise<Target> => {
  const names = namesFromEnv(process.env, stage, !readOnly);
  // No endpoints: the default AWS credential chain and region.
  const clients = await awsClients({});
  return {
    kind: 'aws',
    clients,
    names,
    region: process.env.AWS_REGION ?? DEFAULT_REGION,
    via: `AWS stack Sertakan-${stage}`,
    settle: settleThrough(clients, names),
    close: async () => clients.destroy(),
  };
};

const localUpTarget = async (running: RunningLocalUp, dataDir: string): Promise<Target> => {
  const clients = await awsClients({
    endpoints: running.endpoints,
    region: running.region,
    credentials: localCredentials,
    s3Credentials: localCredentials,
  });
  const q = running.names.queues;
  const names: TargetNames = {
    tables: running.names.tables,
    buckets: running.names.buckets,
    queues: {
      deductions: q.deductions.url,
      allocationJobs: q.allocationJobs.url,
      scanJobs: q.scanJobs.url,
      payrollFiles: q.payrollFiles.url,
    },
  };
  return {
    kind: 'local-up',
    clients,
    names,
    region: running.region,
    endpoints: running.endpoints,
    via: `local up${running.pid === undefined ? '' : ` (pid ${running.pid})`} on ${dataDir}`,
    settle: settleThrough(clients, names),
    close: async () => clients.destroy(),
  };
};

/** dynalite persists to the dir; `readOnly`: the emulators without the queue consumers. */
const embeddedTarget = async (dataDir: string, readOnly: boolean): Promise<Target> => {
  const rt = readOnly
    ? undefined
    : await (await import('#shared/local-cloud/local-runtime.ts')).startLocalRuntime({
        dataDir,
        ddb: 'dynalite',
        maxBatchingWindowSeconds: 0,
      });
  const cloud =
    rt?.cloud ??
    (await (
      await import('#shared/local-cloud/local-cloud.ts')
    ).startLocalCloud({
      dataDir,
      stage: 'local',
      ddb: 'dynalite',
    }));
  const url = (q: QueueName) => cloud.names.queues[q].url;
  return {
    kind: 'embedded',
    clients: cloud.clients,
    names: {
      tables: cloud.names.tables,
      buckets: cloud.names.buckets,
      queues: {
        deductions: url('deductions'),
        allocationJobs: url('allocationJobs'),
        scanJobs: url('scanJobs'),
        payrollFiles: url('payrollFiles'),
      },
    },
    region: cloud.region,
    endpoints: cloud.endpoints,
    via: `embedded local cloud on ${dataDir}`,
    settle: (_queues, timeoutMs) => cloud.drain({ timeoutMs }),
    close: () => (rt === undefined ? cloud.stop() : rt.close()),
  };
};

/**
 * "Now" for a command: the deployed stack's is real time; a local cloud's is the one its data dir
 * records (shared/local-cloud/cloud-clock.ts), so the CLI agrees with the console served on it.
 */
export const targetClock = (opts: TargetOptions): Clock =>
  opts.target === 'aws' ? systemClock : readCloudClock(opts.dataDir);

/** How long a command waits for another process to let go of the data dir. */
export const LOCK_WAIT_MS = 60_000;

/**
 * Resolves the target (see the module comment). Throws CliUsageError for a missing AWS name, a
 * malformed endpoints file, a data dir another process still holds after `lockWaitMs`, or (with
 * `needsData`) a data dir that holds no tables.
 */
export async function openTarget(
  opts: TargetOptions,
  { readOnly = false, needsData = false, lockWaitMs = LOCK_WAIT_MS }: OpenOptions = {},
): Promise<Target> {
  if (opts.target === 'aws') return awsTarget(opts.stage, readOnly);
  return openLocal(
    opts.dataDir,
    { lockWaitMs, needsData },
    {
      running: (running) => localUpTarget(running, opts.dataDir),
      embedded: () => embeddedTarget(opts.dataDir, readOnly),
    },
  );
}

/** Opens, says where on stderr, runs, always closes (an embedded cloud must stop so the process can exit). */
export async function withTarget<T>(
  opts: TargetOptions,
  work: (target: Target) => Promise<T>,
  openOpts: OpenOptions = {},
): Promise<T> {
  const target = await openTarget(opts, openOpts);
  process.stderr.write(`sertakan: via ${target.via}\n`);
  try {
    return await work(target);
  } catch (err) {
    throw namingDataDir(err, opts);
  } finally {
    await target.close();
  }
}
