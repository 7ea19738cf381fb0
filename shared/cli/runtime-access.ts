import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { parseIsoDate } from '#domain/period.ts';
import { buckets, type QueueName, queues, tables } from '#infra/resources.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { endpointsFile, startLocalRuntime } from '#shared/local-cloud/local-runtime.ts';
import { type AwsClients, localCredentials, makeAwsClients } from '#shared/runtime/aws-clients.ts';
import { localDynamoDbAnswers } from './connect.ts';

/**
 * How the pipeline commands (submit, allocate, scan, forecast) reach a pipeline, docs/design.md#the-cli:
 * - `--target local` with a running `sertakan local up` for the data dir (`<data-dir>/endpoints.json`
 *   present and its DynamoDB answering): talk to its emulators; that process does the processing.
 * - `--target local` otherwise: an embedded runtime (emulators + every queue consumer) on the data dir
 *   for this command's duration; tables and objects persist there, queues do not, so a command always
 *   waits until its queues are drained before it closes.
 * - `--target aws --stage S`: the deployed stack through the default AWS credential chain and region.
 *   Names come from the environment, named as the functions get them (infra/resources.ts envVar):
 *   LEDGER_TABLE_NAME, REGISTRY_TABLE_NAME, INTAKE_BUCKET_NAME, REPORTS_BUCKET_NAME,
 *   DEDUCTIONS_QUEUE_URL, ALLOCATION_JOBS_QUEUE_URL, SCAN_JOBS_QUEUE_URL; read them from the outputs of
 *   the stacks `Sertakan-<S>-*` (e.g. `aws cloudformation describe-stacks --stack-name
 *   Sertakan-prod-Stateful --query "Stacks[0].Outputs"`). Not runnable here (no AWS account).
 */

export type TargetOptions = {
  readonly target: 'local' | 'aws';
  readonly stage: string;
  readonly dataDir: string;
};

/** Physical names the commands need, whatever the target. */
export type TargetNames = {
  readonly tables: { readonly ledger: string; readonly registry: string };
  readonly buckets: { readonly intake: string; readonly reports: string };
  readonly queues: {
    readonly deductions: string;
    readonly allocationJobs: string;
    readonly scanJobs: string;
  };
};

export type PipelineAccess = {
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

export type SettleQueue = keyof TargetNames['queues'];

/** A user mistake (bad option, nothing to wait for): one line, exit 1, no stack. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Parses an option value with a zod schema; the error names the option, never echoes a long value. */
export function parseOption<S extends z.ZodType>(schema: S, value: unknown, option: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const shown = typeof value === 'string' && value.length <= 40 ? ` '${value}'` : '';
  throw new CliUsageError(
    `${option}${shown}: expected ${parsed.error.issues[0]?.message ?? 'a valid value'}`,
  );
}

export const secondsOption = z
  .string()
  .regex(/^\d{1,5}$/, 'whole seconds')
  .transform(Number)
  .refine((n) => n >= 1, 'at least 1 second');

export const isoDateOption = z.string().refine((text) => {
  const date = parseIsoDate(text);
  return date.ok && date.value === text;
}, 'a real date YYYY-MM-DD');

/** What `local up` writes (local-runtime.ts writeEndpointsFile); only what the commands use is required. */
const endpointsFileSchema = z.object({
  pid: z.number().int().optional(),
  region: z.string(),
  endpoints: z.object({ dynamodb: z.string().url(), sqs: z.string().url(), s3: z.string().url() }).loose(),
  names: z
    .object({
      tables: z.object({ ledger: z.string(), registry: z.string() }).loose(),
      buckets: z.object({ intake: z.string(), reports: z.string() }).loose(),
      queues: z
        .object({
          deductions: z.object({ url: z.string() }).loose(),
          allocationJobs: z.object({ url: z.string() }).loose(),
          scanJobs: z.object({ url: z.string() }).loose(),
        })
        .loose(),
    })
    .loose(),
});
export type RunningLocalUp = z.infer<typeof endpointsFileSchema>;

/** The `local up` serving this data dir, if its endpoints file is there and its DynamoDB answers. */
export async function findRunningLocalUp(dataDir: string): Promise<RunningLocalUp | undefined> {
  const path = endpointsFile(dataDir);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = endpointsFileSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return (await localDynamoDbAnswers(parsed.data.endpoints.dynamodb, parsed.data.region))
    ? parsed.data
    : undefined;
}

/** Handler logs and metrics go to stdout in Lambda style: keep a CLI's output readable unless asked. */
export function quietFunctionLogs(): void {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
}

async function queueIsEmpty(sqs: SQSClient, url: string): Promise<boolean> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).every((v) => Number(v) === 0);
}

/**
 * From outside the consuming process, a queue is settled when it reads empty (nothing visible, in
 * flight or delayed) on two looks in a row: a consumer deletes a message only after its work is done.
 */
const settleFromOutside =
  (sqs: SQSClient, names: TargetNames) =>
  async (queueNames: readonly SettleQueue[], timeoutMs: number): Promise<void> => {
    let quiet = 0;
    await waitUntil(`queues ${queueNames.join(', ')} to empty`, timeoutMs, async () => {
      const empty = await Promise.all(queueNames.map((q) => queueIsEmpty(sqs, names.queues[q])));
      quiet = empty.every(Boolean) ? quiet + 1 : 0;
      return quiet >= 2 ? true : undefined;
    });
  };

const namesFromEnv = (env: NodeJS.ProcessEnv, stage: string): TargetNames => {
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new CliUsageError(
        `--target aws: set ${name} from the outputs of the stacks Sertakan-${stage}-* (see shared/cli/runtime-access.ts)`,
      );
    }
    return value;
  };
  return {
    tables: { ledger: need(tables.ledger.envVar), registry: need(tables.registry.envVar) },
    buckets: { intake: need(buckets.intake.envVar), reports: need(buckets.reports.envVar) },
    queues: {
      deductions: need(queues.deductions.envVar),
      allocationJobs: need(queues.allocationJobs.envVar),
      scanJobs: need(queues.scanJobs.envVar),
    },
  };
};

/**
 * dynalite holds its LevelDB for the life of the process; a second process opening the same data dir
 * dies inside dynalite. One process per data dir, by a pid file (a dead holder's file is taken over).
 */
export function tryLockDataDir(dataDir: string): { release(): void } | { heldBy: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'sertakan.lock');
  const holder = () => (existsSync(path) ? readFileSync(path, 'utf8').trim() : '');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return {
        release: () => (holder() === String(process.pid) ? rmSync(path, { force: true }) : undefined),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(holder());
      if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) return { heldBy: holder() || '?' };
      rmSync(path, { force: true });
    }
  }
  return { heldBy: holder() || '?' };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const awsAccess = (stage: string): PipelineAccess => {
  const names = namesFromEnv(process.env, stage);
  // No endpoints: the default AWS credential chain and region.
  const clients = makeAwsClients({});
  return {
    kind: 'aws',
    clients,
    names,
    region: process.env.AWS_REGION ?? 'ap-southeast-3',
    via: `AWS stack Sertakan-${stage}`,
    settle: settleFromOutside(clients.sqs, names),
    close: async () => clients.destroy(),
  };
};

const localUpAccess = (running: RunningLocalUp, dataDir: string): PipelineAccess => {
  const clients = makeAwsClients({
    endpoints: running.endpoints,
    region: running.region,
    credentials: localCredentials,
    s3Credentials: localCredentials,
  });
  const q = running.names.queues;
  const names: TargetNames = {
    tables: running.names.tables,
    buckets: running.names.buckets,
    queues: { deductions: q.deductions.url, allocationJobs: q.allocationJobs.url, scanJobs: q.scanJobs.url },
  };
  return {
    kind: 'local-up',
    clients,
    names,
    region: running.region,
    endpoints: running.endpoints,
    via: `local up${running.pid === undefined ? '' : ` (pid ${running.pid})`} on ${dataDir}`,
    settle: settleFromOutside(clients.sqs, names),
    close: async () => clients.destroy(),
  };
};

/** `readOnly` (forecast): the emulators without the queue consumers. dynalite: it persists to the dir. */
const embeddedAccess = async (dataDir: string, readOnly: boolean): Promise<PipelineAccess> => {
  const rt = readOnly
    ? undefined
    : await startLocalRuntime({ dataDir, ddb: 'dynalite', maxBatchingWindowSeconds: 0 });
  const cloud = rt?.cloud ?? (await startLocalCloud({ dataDir, stage: 'local', ddb: 'dynalite' }));
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
      },
    },
    region: cloud.region,
    endpoints: cloud.endpoints,
    via: `embedded local cloud on ${dataDir}`,
    settle: (_queues, timeoutMs) => cloud.drain({ timeoutMs }),
    close: () => (rt === undefined ? cloud.stop() : rt.close()),
  };
};

/** How long a command waits for another process to let go of the data dir. */
const LOCK_WAIT_MS = 60_000;

export async function openPipeline(
  opts: TargetOptions,
  { readOnly = false }: { readonly readOnly?: boolean } = {},
): Promise<PipelineAccess> {
  if (opts.target === 'aws') return awsAccess(opts.stage);
  quietFunctionLogs();
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  while (true) {
    const running = await findRunningLocalUp(opts.dataDir);
    if (running !== undefined) return localUpAccess(running, opts.dataDir);
    const lock = tryLockDataDir(opts.dataDir);
    if ('release' in lock) {
      try {
        const access = await embeddedAccess(opts.dataDir, readOnly);
        return { ...access, close: () => access.close().finally(lock.release) };
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    if (Date.now() > deadline) {
      throw new CliUsageError(
        `${opts.dataDir} is in use by another sertakan process (pid ${lock.heldBy}); to share it between commands, run \`sertakan local up --data-dir ${opts.dataDir}\``,
      );
    }
    if (!told) process.stderr.write(`sertakan: ${opts.dataDir} is in use by pid ${lock.heldBy}; waiting\n`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Opens, runs, always closes (an embedded runtime must stop so the process can exit). */
export async function withPipeline<T>(
  opts: TargetOptions,
  work: (p: PipelineAccess) => Promise<T>,
  openOpts: { readonly readOnly?: boolean } = {},
): Promise<T> {
  const access = await openPipeline(opts, openOpts);
  process.stderr.write(`sertakan: via ${access.via}\n`);
  try {
    return await work(access);
  } finally {
    await access.close();
  }
}

/** Polls `probe` until it returns a value; a clear WaitTimeoutError after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new WaitTimeoutError(
        `gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (raise --timeout, or check the pipeline's log)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
