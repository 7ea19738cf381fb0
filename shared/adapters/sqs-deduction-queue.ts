/**
 * DeductionQueue on SQS: SendMessageBatch, 10 messages per call, each body a deduction chunk checked
 * against deductionChunkSchema (the consumer parses with the same schema). Entries SQS reports as
 * failed are retried (with a short back-off); if some still fail, TransientError: the file message is
 * redelivered and the splitter resends the same chunk ids, which ingest deduplicates.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';

const BATCH = 10;

export type SqsDeductionQueueOptions = {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
};

export class SqsDeductionQueue implements DeductionQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(opts: SqsDeductionQueueOptions) {
    this.#sqs = opts.sqs;
    this.#queueUrl = opts.queueUrl;
    this.#maxAttempts = opts.maxAttempts ?? 4;
    this.#sleep = opts.sleep ?? delay;
  }

  async sendChunks(chunks: readonly DeductionChunk[]): Promise<void> {
    for (let i = 0; i < chunks.length; i += BATCH) await this.#sendBatch(chunks.slice(i, i + BATCH));
  }

  async #sendBatch(chunks: readonly DeductionChunk[]): Promise<void> {
    let pending = new Map(
      chunks.map((chunk, i) => [String(i), JSON.stringify(deductionChunkSchema.parse(chunk))]),
    );
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#maxAttempts && pending.size > 0; attempt += 1) {
      if (attempt > 1) await this.#sleep(50 * 2 ** attempt);
      try {
        const out = await this.#sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.#queueUrl,
            Entries: [...pending].map(([Id, MessageBody]) => ({ Id, MessageBody })),
          }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        // A sender fault (malformed entry) will never succeed: stop retrying it.
        const senderFault = (out.Failed ?? []).find((f) => f.SenderFault);
        if (senderFault) throw new Error(`SQS rejected a chunk: ${senderFault.Code ?? 'sender fault'}`);
        pending = new Map([...pending].filter(([id]) => failed.has(id)));
        lastError = out.Failed?.[0]?.Code;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('SQS rejected')) throw error;
        lastError = error;
      }
    }
    if (pending.size > 0) {
      throw new TransientError(`${pending.size} deduction chunk(s) not sent to SQS`, { cause: lastError });
    }
  }
}
