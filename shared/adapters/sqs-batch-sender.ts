import { setTimeout as delay } from 'node:timers/promises';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';

/** Entries per SendMessageBatch call (the SQS maximum). */
export const SQS_BATCH_SIZE = 10;

/**
 * The one retry policy for messages our functions send in batches (deduction chunks, allocation and
 * scan jobs): a batch call is tried `maxAttempts` times, each retry after `backoffMs(attempt)`, and
 * only with the entries SQS did not take. A call that throws (throttled, dropped) is retried the same
 * way. An entry SQS refuses as the sender's fault (malformed) is never retried. Still unsent after the
 * last attempt: TransientError, so the caller's own message is redelivered and sends again (every
 * message we send is idempotent by its id or key and cause).
 */
export type SqsSendPolicy = {
  readonly maxAttempts: number;
  readonly backoffMs: (attempt: number) => number;
};

export const SQS_SEND_POLICY: SqsSendPolicy = {
  maxAttempts: 4,
  // 200, 400, 800 ms before the 2nd, 3rd and 4th attempts.
  backoffMs: (attempt) => 50 * 2 ** attempt,
};

export type SqsBatchSenderOptions = {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** What a message is, for errors: "deduction chunk", "job step". */
  readonly what: string;
  readonly policy?: SqsSendPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
};

/** Thrown when SQS refuses an entry as the sender's fault: sending it again never helps. */
export class SqsSenderFaultError extends Error {
  override readonly name = 'SqsSenderFaultError';
}

/** Sends JSON bodies to one queue, 10 to a SendMessageBatch call (same IAM action as SendMessage). */
export class SqsBatchSender {
  readonly #opts: SqsBatchSenderOptions;
  readonly #policy: SqsSendPolicy;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(opts: SqsBatchSenderOptions) {
    this.#opts = opts;
    this.#policy = opts.policy ?? SQS_SEND_POLICY;
    this.#sleep = opts.sleep ?? delay;
  }

  async sendAll(bodies: readonly string[]): Promise<void> {
    for (let i = 0; i < bodies.length; i += SQS_BATCH_SIZE)
      await this.#sendBatch(bodies.slice(i, i + SQS_BATCH_SIZE));
  }

  async #sendBatch(bodies: readonly string[]): Promise<void> {
    let pending = new Map(bodies.map((body, i) => [String(i), body]));
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#policy.maxAttempts && pending.size > 0; attempt += 1) {
      if (attempt > 1) await this.#sleep(this.#policy.backoffMs(attempt));
      let failed: readonly { Id?: string; Code?: string; SenderFault?: boolean }[];
      try {
        const out = await this.#opts.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.#opts.queueUrl,
            Entries: [...pending].map(([Id, MessageBody]) => ({ Id, MessageBody })),
          }),
        );
        failed = out.Failed ?? [];
      } catch (error) {
        lastError = error;
        continue;
      }
      const senderFault = failed.find((f) => f.SenderFault);
      if (senderFault)
        throw new SqsSenderFaultError(
          `SQS rejected a ${this.#opts.what}: ${senderFault.Code ?? 'sender fault'}`,
        );
      const ids = new Set(failed.map((f) => f.Id));
      pending = new Map([...pending].filter(([id]) => ids.has(id)));
      lastError = failed[0]?.Code;
    }
    if (pending.size > 0)
      throw new TransientError(`${pending.size} ${this.#opts.what}(s) not sent to SQS`, { cause: lastError });
  }
}
