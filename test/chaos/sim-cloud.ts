/**
 * The local cloud as the chaos simulation runs it: on an on-disk data dir (so it can be stopped and
 * started again mid-run), every queue-driven function wired like shared/local-cloud/pipeline.ts does,
 * but with the fault injector's clients and invocation wrapper, plus an ops inbox (an SQS queue
 * subscribed to the ops topic) to read the SNS digests.
 *
 * fauxqs keeps queues in memory only: a restart loses every message, so the simulation drains before
 * it restarts and reads the DLQs first (what was in them is carried over in `dlqSeen`).
 */
import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Clock } from '#domain/ports/clock.ts';
import { type FunctionSpec, functions, type QueueName } from '#infra/resources.ts';
import { countMessages, drainQueues } from '#shared/local-cloud/drain.ts';
import {
  loadFunctionModule,
  queueDrivenFunctions,
  type SqsLambda,
} from '#shared/local-cloud/function-modules.ts';
import { makeLambdaContext } from '#shared/local-cloud/lambda-context.ts';
import { type LocalCloud, startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import type { SqsPoller } from '#shared/local-cloud/sqs-poller.ts';
import type { FaultInjector } from './faults.ts';

/** Workers per allocation step in the simulation (pools have 40-160 workers). */
const ALLOCATION_CHUNK = 40;

/** Parallel invocations per consumer: ingest and allocation run two at a time to let them race. */
const CONCURRENCY: Partial<Record<string, number>> = { ingestDeductions: 2, allocatePool: 2 };

export type SimCloud = {
  readonly cloud: LocalCloud;
  /** Waits until every queue is empty and nothing is in flight (see settle in simulate.ts). */
  drain(timeoutMs: number): Promise<void>;
  /** One more invocation of allocate-pool, outside the queue (an overlapping run). */
  invokeAllocate(body: string): Promise<unknown>;
  /** SNS digests received so far (whole SNS envelopes' Message and attributes). */
  readInbox(): Promise<{ subject: string; message: string; pool: string }[]>;
  stop(): Promise<void>;
};

export type HandlerErrorSink = (err: unknown, fn: string) => void;

export async function startSimCloud(opts: {
  readonly dataDir: string;
  readonly stage: string;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly onHandlerError: HandlerErrorSink;
}): Promise<SimCloud> {
  const cloud = await startLocalCloud({
    dataDir: opts.dataDir,
    stage: opts.stage,
    ddb: 'dynalite',
    retryDelaySeconds: 0,
    onError: (err, source) => opts.onHandlerError(err, source),
  });
  const clients = opts.faults.wrapClients(cloud.clients);
  // Small allocation chunks: a chaos pool's run takes several steps, so continuations can be lost.
  const env = { ...process.env, ...cloud.env, ALLOCATION_CHUNK_SIZE: String(ALLOCATION_CHUNK) };
  let allocate: SqsLambda | undefined;
  const pollers: { queue: QueueName; poller: SqsPoller }[] = [];
  for (const name of queueDrivenFunctions()) {
    const spec: FunctionSpec = functions[name];
    if (!spec.source) continue;
    const mod = await loadFunctionModule(name);
    const lambda = mod.makeHandler(mod.buildDeps(env, clients, opts.clock) as never);
    const wrapped = opts.faults.wrapHandler(name, lambda);
    if (name === 'allocatePool')
      allocate = (event, context) => Promise.resolve(wrapped(event, context) as never);
    const poller = cloud.consume(spec.source.queue as QueueName, wrapped, {
      maxBatchingWindowSeconds: 0,
      concurrency: CONCURRENCY[name] ?? 1,
      onError: (err) => opts.onHandlerError(err, spec.name),
    });
    pollers.push({ queue: spec.source.queue as QueueName, poller });
  }
  const inboxUrl = await subscribeInbox(cloud);
  return {
    cloud,
    drain: async (timeoutMs) => {
      // A slow look first (each look is six GetQueueAttributes calls), then the cloud's own drain,
      // which also waits for S3 notifications still being bridged and returns at once when idle.
      await drainQueues({
        counts: () =>
          Promise.all(
            pollers.map((p) => countMessages(cloud.clients.sqs, p.queue, cloud.names.queues[p.queue].url)),
          ),
        inFlight: () => pollers.reduce((n, p) => n + p.poller.inFlight(), 0),
        activity: () => pollers.reduce((n, p) => n + p.poller.invocations(), 0),
        timeoutMs,
        pollMs: 150,
      });
      await cloud.drain({ timeoutMs });
    },
    invokeAllocate: async (body) => {
      if (!allocate) throw new Error('allocate-pool is not wired');
      const context = makeLambdaContext({
        functionName: 'overlap',
        timeoutSeconds: 900,
        memoryMb: 1024,
        region: cloud.region,
      });
      const record = {
        messageId: `overlap-${Math.random().toString(36).slice(2)}`,
        receiptHandle: 'overlap',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(opts.clock.now().getTime()),
          SenderId: 'CHAOS',
          ApproximateFirstReceiveTimestamp: String(opts.clock.now().getTime()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: cloud.names.queues.allocationJobs.arn,
        awsRegion: cloud.region,
      };
      return allocate({ Records: [record] }, context);
    },
    readInbox: async () => {
      const out: { subject: string; message: string; pool: string }[] = [];
      for (;;) {
        const { Messages = [] } = await cloud.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: inboxUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return out;
        for (const m of Messages) {
          const envelope = JSON.parse(m.Body ?? '{}') as {
            Subject?: string;
            Message?: string;
            MessageAttributes?: Record<string, { Value?: string }>;
          };
          out.push({
            subject: envelope.Subject ?? '',
            message: envelope.Message ?? '',
            pool: envelope.MessageAttributes?.pool?.Value ?? '',
          });
        }
        await cloud.clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: inboxUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    },
    stop: () => cloud.stop(),
  };
}

async function subscribeInbox(cloud: LocalCloud): Promise<string> {
  const { sqs, sns } = cloud.clients;
  const { QueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${cloud.stage}-chaos-ops-inbox` }),
  );
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud.names.topics.opsAlerts,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn ?? '',
    }),
  );
  return QueueUrl;
}
