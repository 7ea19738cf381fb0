import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { type LambdaContextSpec, makeLambdaContext } from './lambda-context.ts';

export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined> | Promise<void> | SQSBatchResponse | undefined | void;

export type PollerOptions = {
  /** Records per invocation, as the event source mapping's BatchSize (several receives above 10). */
  readonly batchSize: number;
  /** Wait up to this long to fill a batch, as MaximumBatchingWindowInSeconds. */
  readonly maxBatchingWindowSeconds: number;
  /**
   * The one deviation from AWS: failed records become visible again after this many seconds instead of
   * the queue's visibility timeout (minutes), so local runs and tests retry quickly. Pass
   * 'visibilityTimeout' to keep AWS's timing.
   */
  readonly retryDelaySeconds: number | 'visibilityTimeout';
  /** Parallel invocations, like the mapping's maximum concurrency. */
  readonly concurrency: number;
  /** Long-poll wait per receive. Kept short because stop() waits for the running receive to end. */
  readonly waitTimeSeconds: number;
  readonly lambda: LambdaContextSpec;
  /** Handler failures and poller errors; the record retry happens regardless. */
  readonly onError: (err: unknown) => void;
};

export type SqsPoller = {
  /** Records received and not yet settled (deleted or released). */
  readonly inFlight: () => number;
  /** Count of finished invocations; drain uses it to see whether anything moved while it looked. */
  readonly invocations: () => number;
  /**
   * Stops polling once the running invocations end. `finish` (default) lets a waiting long poll run
   * out; `abandon` aborts it, for when the queue itself is about to go (the cloud's stop).
   */
  stop(mode?: 'finish' | 'abandon'): Promise<void>;
};

const batchResponseSchema = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })),
});

const systemAttributesSchema = z
  .object({
    ApproximateReceiveCount: z.string(),
    SentTimestamp: z.string(),
    SenderId: z.string().default('AIDALOCAL'),
    ApproximateFirstReceiveTimestamp: z.string(),
  })
  .catchall(z.string());

const toRecordAttributes = (attrs: Message['MessageAttributes']): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(attrs ?? {}).map(([name, v]: [string, MessageAttributeValue]) => [
      name,
      {
        ...(v.StringValue === undefined ? {} : { stringValue: v.StringValue }),
        ...(v.BinaryValue === undefined
          ? {}
          : { binaryValue: Buffer.from(v.BinaryValue).toString('base64') }),
        stringListValues: v.StringListValues ?? [],
        binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
        dataType: v.DataType ?? 'String',
      },
    ]),
  );

/** The record Lambda's SQS event source builds from a received message. */
export const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: systemAttributesSchema.parse(message.Attributes ?? {}),
  messageAttributes: toRecordAttributes(message.MessageAttributes),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes === undefined
    ? {}
    : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

/**
 * Which records to delete after an invocation, as Lambda decides with ReportBatchItemFailures: all on
 * success, none when the handler threw, all but the listed ones otherwise; a malformed response or an
 * unknown identifier fails the whole batch.
 */
export const settleBatch = (
  records: readonly SQSRecord[],
  outcome: { ok: true; result: unknown } | { ok: false },
): { succeeded: SQSRecord[]; failed: SQSRecord[] } => {
  if (!outcome.ok) return { succeeded: [], failed: [...records] };
  if (outcome.result === undefined || outcome.result === null) return { succeeded: [...records], failed: [] };
  const parsed = batchResponseSchema.safeParse(outcome.result);
  if (!parsed.success) return { succeeded: [...records], failed: [] };
  const ids = new Set(parsed.data.batchItemFailures.map((f) => f.itemIdentifier));
  const known = new Set(records.map((r) => r.messageId));
  if ([...ids].some((id) => !known.has(id))) return { succeeded: [], failed: [...records] };
  return {
    succeeded: records.filter((r) => !ids.has(r.messageId)),
    failed: records.filter((r) => ids.has(r.messageId)),
  };
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * An SQS event source mapping in miniature: receive, invoke, delete or release, repeat. Like the
 * mapping's poller, one receive loop per queue feeds up to `concurrency` invocations at once: each
 * receive asks for as many messages as the free invocations can take (at most 10, SQS's limit), cuts
 * them into batches of `batchSize` and starts one invocation per batch. It does not poll while every
 * invocation is busy, so an idle queue costs one long poll at a time and a burst of n messages a
 * receive or two, not one receive per parallel invocation.
 */
export const startSqsPoller = (
  deps: { readonly sqs: SQSClient; readonly queueUrl: string; readonly queueArn: string },
  handler: SqsHandler,
  opts: PollerOptions,
): SqsPoller => {
  let stopped = false;
  // stop('abandon') aborts the long poll that is waiting instead of waiting out its WaitTimeSeconds.
  // Only for the cloud's own stop: its queues end with it. An aborted receive can still be answered by
  // the emulator with a message that then sits in flight until its visibility timeout, so a consumer
  // stopped while the queue lives on must let its receive finish.
  const stopping = new AbortController();
  const concurrency = Math.max(1, opts.concurrency);
  let inFlight = 0;
  let invocations = 0;
  let running = 0;
  let slotFreed: (() => void) | undefined;
  const wake = () => {
    slotFreed?.();
    slotFreed = undefined;
  };

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    if (stopped) return [];
    let Messages: Message[] | undefined;
    try {
      ({ Messages } = await deps.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deps.queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: stopping.signal },
      ));
    } catch (err) {
      if (stopped) return [];
      throw err;
    }
    inFlight += Messages?.length ?? 0;
    return Messages ?? [];
  };

  /**
   * Fills `received` in place (so what came before a failed receive is still invoked): up to `max`
   * messages, and once something came, more until the first batch is full or the batching window ends.
   */
  const collect = async (received: Message[], max: number): Promise<void> => {
    received.push(...(await receive(max, opts.waitTimeSeconds)));
    if (received.length === 0) return;
    const deadline = Date.now() + opts.maxBatchingWindowSeconds * 1000;
    while (received.length < opts.batchSize && !stopped) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      const wait = Math.min(opts.waitTimeSeconds, Math.ceil(remainingMs / 1000));
      received.push(...(await receive(opts.batchSize - received.length, wait)));
    }
  };

  const settle = async (succeeded: readonly SQSRecord[], failed: readonly SQSRecord[]): Promise<void> => {
    for (const part of chunks(succeeded, 10)) {
      await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: part.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    if (opts.retryDelaySeconds === 'visibilityTimeout') return;
    const delay = opts.retryDelaySeconds;
    for (const part of chunks(failed, 10)) {
      await deps.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: part.map((r, i) => ({
            Id: String(i),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: delay,
          })),
        }),
      );
    }
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    const records = messages.map((m) => toSqsRecord(m, deps.queueArn, opts.lambda.region));
    let outcome: { ok: true; result: unknown } | { ok: false };
    try {
      outcome = { ok: true, result: await handler({ Records: records }, makeLambdaContext(opts.lambda)) };
    } catch (err) {
      opts.onError(err);
      outcome = { ok: false };
    }
    const { succeeded, failed } = settleBatch(records, outcome);
    await settle(succeeded, failed);
  };

  const invocationsRunning = new Set<Promise<void>>();
  const start = (batch: Message[]): void => {
    running++;
    const done = invoke(batch)
      .catch((err: unknown) => {
        // A settle that failed: its records come back after the visibility timeout. onError only
        // reports; if it throws too, nothing is left to tell.
        try {
          opts.onError(err);
        } catch {}
      })
      .finally(() => {
        inFlight -= batch.length;
        invocations++;
        running--;
        invocationsRunning.delete(done);
        wake();
      });
    invocationsRunning.add(done);
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (running >= concurrency) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
        });
        continue;
      }
      const received: Message[] = [];
      try {
        await collect(received, (concurrency - running) * opts.batchSize);
      } catch (err) {
        opts.onError(err);
        if (!stopped) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const batch of chunks(received, opts.batchSize)) start(batch);
    }
    await Promise.all(invocationsRunning);
  };

  const receiving = loop();

  return {
    inFlight: () => inFlight,
    invocations: () => invocations,
    stop: async (mode = 'finish') => {
      stopped = true;
      if (mode === 'abandon') stopping.abort();
      wake();
      await receiving;
    },
  };
};
