import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';

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
}
