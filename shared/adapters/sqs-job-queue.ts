import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';

/** Entries per SendMessageBatch call (the SQS maximum). */
const SQS_BATCH = 10;

/** Sends job messages (allocation or scan steps) to one queue as JSON bodies. */
export class SqsJobQueue<Job extends object> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

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
   * Sends jobs 10 to a SendMessageBatch call (same IAM action as SendMessage), entries that failed
   * retried once; still failing raises TransientError, so the caller's message is redelivered and its
   * jobs sent again (every job is idempotent by its key and cause).
   */
  async sendAll(jobs: readonly Job[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += SQS_BATCH) {
      let entries = jobs
        .slice(i, i + SQS_BATCH)
        .map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        let failed: readonly { Id?: string }[];
        try {
          const out = await this.sqs.send(
            new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
          );
          failed = out.Failed ?? [];
        } catch (cause) {
          throw new TransientError('could not enqueue a batch of job steps', { cause });
        }
        const ids = new Set(failed.map((f) => f.Id));
        entries = entries.filter((e) => ids.has(e.Id));
        if (entries.length > 0 && attempt >= 1)
          throw new TransientError(`${entries.length} job step(s) were refused by SQS twice`);
      }
    }
  }
}
