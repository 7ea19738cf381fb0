import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';
import { SqsBatchSender } from './sqs-batch-sender.ts';

/** Sends job messages (allocation or scan steps) to one queue as JSON bodies. */
export class SqsJobQueue<Job extends object> {
  readonly #batches: SqsBatchSender;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.#batches = new SqsBatchSender({ sqs, queueUrl, what: 'job step' });
  }

  async send(job: Job): Promise<void> {
    try {
      await this.sqs.send(
        new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }),
      );
    } catch (cause) {
      throw new TransientError('could not enqueue a job step', { cause });
    }
  }

  /**
   * Sends jobs through the one batch sender (sqs-batch-sender.ts: 10 to a SendMessageBatch call, under
   * its declared retry policy); still unsent raises TransientError, so the caller's message is
   * redelivered and its jobs sent again (every job is idempotent by its key and cause).
   */
  async sendAll(jobs: readonly Job[]): Promise<void> {
    await this.#batches.sendAll(jobs.map((job) => JSON.stringify(job)));
  }
}
