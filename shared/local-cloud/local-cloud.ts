import { join } from 'node:path';
import { type FunctionSpec, functions, localName, type QueueName, queues } from '#infra/resources.ts';
import { DEFAULT_REGION } from '#shared/config/operations.ts';
import {
  type AwsClients,
  endpointEnvVars,
  localCredentials,
  makeAwsClients,
} from '#shared/runtime/aws-clients.ts';
import { createResources, type LocalResourceNames, resourceEnv } from './create-resources.ts';
import { drainQueues, fauxqsCounts } from './drain.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { type RunningEmulator, startDynalite, startFauxqs, startS3rver } from './emulators.ts';
import { bridgeS3ToSqs } from './s3-bridge.ts';
import { type LocalScheduler, makeScheduler } from './scheduler.ts';
import { type PollerOptions, type SqsHandler, type SqsPoller, startSqsPoller } from './sqs-poller.ts';

export type DdbBackend = 'dynalite' | 'dynamodb-local';

export type LocalCloudOptions = {
  /** Physical names are `sertakan-<stage>-<name>`. Default 'local'. */
  readonly stage?: string;
  /** Persist DynamoDB (dynalite only) and S3 under this directory; in memory/temp when absent. */
  readonly dataDir?: string;
  /** Default: env SERTAKAN_DDB, else dynalite. */
  readonly ddb?: DdbBackend;
  /** Reuse an already-running DynamoDB (e.g. one DynamoDB Local shared by all test files). */
  readonly ddbEndpoint?: string;
  readonly host?: string;
  /** 0 (default) lets the OS choose. SNS shares the SQS port (fauxqs serves both). */
  readonly ports?: { readonly dynamodb?: number; readonly sqs?: number; readonly s3?: number };
  readonly region?: string;
  /** Default retry delay for consumers (see PollerOptions.retryDelaySeconds). Default 0. */
  readonly retryDelaySeconds?: number | 'visibilityTimeout';
  /** Handler failures and background errors. Default: one line on stderr. */
  readonly onError?: (err: unknown, source: string) => void;
};

export type ConsumeOptions = Partial<Omit<PollerOptions, 'lambda' | 'onError'>> & {
  readonly onError?: (err: unknown) => void;
};

export type LocalCloud = {
  readonly stage: string;
  readonly region: string;
  readonly ddbBackend: DdbBackend;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly sqs: string;
    readonly sns: string;
    readonly s3: string;
  };
  readonly clients: AwsClients;
  readonly names: LocalResourceNames;
  /** Everything a handler module needs to find its resources and the emulators. */
  readonly env: Readonly<Record<string, string>>;
  readonly scheduler: LocalScheduler;
  /** Runs `handler` as the Lambda behind the queue's event source mapping would run. */
  consume(queue: QueueName, handler: SqsHandler, opts?: ConsumeOptions): SqsPoller;
  /** Resolves once every consumed queue is empty and nothing is in flight. */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
};

export const ddbBackendFromEnv = (env: NodeJS.ProcessEnv = process.env): DdbBackend =>
  env.SERTAKAN_DDB === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

const defaultOnError = (err: unknown, source: string): void => {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`[local-cloud] ${source}: ${text}\n`);
};

const consumerOf = (queue: QueueName): FunctionSpec | undefined =>
  (Object.values(functions) as FunctionSpec[]).find((f) => f.source?.queue === queue);

const startDynamoDb = (
  opts: LocalCloudOptions,
  backend: DdbBackend,
  host: string,
): Promise<RunningEmulator> => {
  if (opts.ddbEndpoint !== undefined) {
    // Someone else owns it: stopping the cloud must not stop it.
    return Promise.resolve({ endpoint: opts.ddbEndpoint, stop: async () => {} });
  }
  const port = opts.ports?.dynamodb ?? 0;
  if (backend === 'dynamodb-local') return startDynamoDbLocal({ host, port });
  return startDynalite({
    host,
    port,
    ...(opts.dataDir === undefined ? {} : { dataDir: join(opts.dataDir, 'dynamodb') }),
  });
};

export const startLocalCloud = async (opts: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const stage = opts.stage ?? 'local';
  const region = opts.region ?? DEFAULT_REGION;
  const host = opts.host ?? '127.0.0.1';
  const ddbBackend = opts.ddb ?? ddbBackendFromEnv();
  const onError = opts.onError ?? defaultOnError;
  const accessKeyIds = [localCredentials.accessKeyId, process.env.AWS_ACCESS_KEY_ID].filter(
    (id): id is string => id !== undefined && id !== '',
  );

  const started = await Promise.allSettled([
    startDynamoDb(opts, ddbBackend, host),
    startFauxqs({ host, port: opts.ports?.sqs ?? 0, region }),
    startS3rver({
      host,
      port: opts.ports?.s3 ?? 0,
      accessKeyIds,
      ...(opts.dataDir === undefined ? {} : { dataDir: join(opts.dataDir, 's3') }),
    }),
  ] as const);
  const [ddbResult, sqsResult, s3Result] = started;
  if (ddbResult.status === 'rejected' || sqsResult.status === 'rejected' || s3Result.status === 'rejected') {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    const failed = started.find((r) => r.status === 'rejected');
    throw failed?.status === 'rejected' ? failed.reason : new Error('local cloud failed to start');
  }
  const ddb = ddbResult.value;
  const fauxqs = sqsResult.value;
  const s3 = s3Result.value;
  const endpoints = { dynamodb: ddb.endpoint, sqs: fauxqs.endpoint, sns: fauxqs.endpoint, s3: s3.endpoint };
  const clients = makeAwsClients({ endpoints, region, credentials: localCredentials });
  const stopEmulators = async () => {
    clients.destroy();
    await Promise.all([ddb.stop(), fauxqs.stop(), s3.stop()]);
  };

  let names: LocalResourceNames;
  try {
    names = await createResources(clients, stage);
  } catch (err) {
    await stopEmulators();
    throw err;
  }

  const bridge = bridgeS3ToSqs({
    onEvent: s3.onEvent,
    undelivered: s3.pendingEvents,
    sqs: clients.sqs,
    names,
    region,
    onError: (err) => onError(err, 's3-notifications'),
  });
  const baseScheduler = makeScheduler({
    sqs: clients.sqs,
    names,
    onError: (err) => onError(err, 'scheduler'),
  });
  const realTimeRuns = new Set<{ stop(): Promise<void> }>();
  const scheduler: LocalScheduler = {
    ...baseScheduler,
    startRealTime: (realTimeOpts) => {
      const run = baseScheduler.startRealTime(realTimeOpts);
      const handle = {
        stop: async () => {
          realTimeRuns.delete(handle);
          await run.stop();
        },
      };
      realTimeRuns.add(handle);
      return handle;
    },
  };
  const pollers: { queue: QueueName; poller: SqsPoller }[] = [];

  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [endpointEnvVars.dynamodb]: endpoints.dynamodb,
    [endpointEnvVars.sqs]: endpoints.sqs,
    [endpointEnvVars.sns]: endpoints.sns,
    [endpointEnvVars.s3]: endpoints.s3,
    ...resourceEnv(names),
  };

  const consume = (queue: QueueName, handler: SqsHandler, consumeOpts: ConsumeOptions = {}): SqsPoller => {
    const fn = consumerOf(queue);
    const functionName = localName(stage, fn?.name ?? `${queues[queue].name}-consumer`);
    const poller = startSqsPoller(
      { sqs: clients.sqs, queueUrl: names.queues[queue].url, queueArn: names.queues[queue].arn },
      handler,
      {
        batchSize: consumeOpts.batchSize ?? fn?.source?.batchSize ?? 10,
        maxBatchingWindowSeconds:
          consumeOpts.maxBatchingWindowSeconds ?? fn?.source?.maxBatchingWindowSeconds ?? 0,
        retryDelaySeconds: consumeOpts.retryDelaySeconds ?? opts.retryDelaySeconds ?? 0,
        concurrency: consumeOpts.concurrency ?? 1,
        waitTimeSeconds: consumeOpts.waitTimeSeconds ?? 1,
        lambda: {
          functionName,
          timeoutSeconds: fn?.timeoutSeconds ?? 60,
          memoryMb: fn?.memoryMb ?? 512,
          region,
        },
        onError: consumeOpts.onError ?? ((err) => onError(err, functionName)),
      },
    );
    const entry = { queue, poller };
    pollers.push(entry);
    return {
      ...poller,
      stop: async () => {
        await poller.stop();
        pollers.splice(pollers.indexOf(entry), 1);
      },
    };
  };

  return {
    stage,
    region,
    ddbBackend,
    endpoints,
    clients,
    names,
    env,
    scheduler,
    consume,
    drain: (drainOpts = {}) =>
      drainQueues({
        counts: () =>
          fauxqsCounts(
            endpoints.sqs,
            [...new Set(pollers.map((p) => p.queue))].map((q) => ({ queue: q, name: names.queues[q].name })),
          ),
        inFlight: () => pollers.reduce((n, p) => n + p.poller.inFlight(), 0) + bridge.pending(),
        activity: () => pollers.reduce((n, p) => n + p.poller.invocations(), 0),
        timeoutMs: drainOpts.timeoutMs ?? 30_000,
      }),
    stop: async () => {
      await Promise.all([...realTimeRuns].map((run) => run.stop()));
      await Promise.all(pollers.map((p) => p.poller.stop('abandon')));
      pollers.length = 0;
      await bridge.settled();
      await stopEmulators();
    },
  };
};
