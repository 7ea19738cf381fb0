/**
 * DeductionQueue on SQS: each body a deduction chunk checked against deductionChunkSchema (the consumer
 * parses with the same schema), sent by the one batch sender under its declared retry policy
 * (sqs-batch-sender.ts). Still unsent after it: TransientError, the file message is redelivered and the
 * splitter resends the same chunk ids, which ingest deduplicates.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import { SqsBatchSender } from './sqs-batch-sender.ts';

export type SqsDeductionQueueOptions = {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly sleep?: (ms: number) => Promise<void>;
};

export class SqsDeductionQueue implements DeductionQueue {
  readonly #sender: SqsBatchSender;

  constructor(opts: SqsDeductionQueueOptions) {
    this.#sender = new SqsBatchSender({
      sqs: opts.sqs,
      queueUrl: opts.queueUrl,
      what: 'deduction chunk',
      ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
    });
  }

  async sendChunks(chunks: readonly DeductionChunk[]): Promise<void> {
    await this.#sender.sendAll(chunks.map((chunk) => JSON.stringify(deductionChunkSchema.parse(chunk))));
  }
}
