import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** A source queue and the dead-letter queue its redrive policy names. */
export type DeadLetterPair = {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
};

/**
 * The dead-letter queues of the pipeline's queues, for an operator (docs/runbooks/dlq-depth.md): how
 * many messages wait, and a redrive back to the source queue.
 *
 * On AWS the redrive is SQS's own `StartMessageMoveTask` (every message, in order, with its attributes).
 * The local cloud's SQS emulator (fauxqs 1.9) does not implement that action, so `redrive` with
 * `{ copy: true }` moves messages itself: receive up to 10, send them to the source queue with their
 * attributes, then delete them from the DLQ. A crash between the send and the delete leaves a message in
 * both queues; every consumer is idempotent, so the repeat is a no-op.
 */
export class SqsDeadLetters {
  constructor(private readonly sqs: SQSClient) {}

  /** The DLQ of a source queue, from its RedrivePolicy. Throws when the queue has none. */
  async pairOf(queueUrl: string): Promise<DeadLetterPair> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    const policy = JSON.parse(Attributes.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string };
    const dlqArn = policy.deadLetterTargetArn;
    if (dlqArn === undefined || Attributes.QueueArn === undefined)
      throw new Error(`queue ${queueUrl} has no dead-letter queue`);
    const [, , , , account, name] = dlqArn.split(':');
    const { QueueUrl } = await this.sqs.send(
      new GetQueueUrlCommand({ QueueName: name, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }),
    );
    if (QueueUrl === undefined) throw new Error(`dead-letter queue ${dlqArn} not found`);
    return { queueUrl, queueArn: Attributes.QueueArn, dlqUrl: QueueUrl, dlqArn };
  }

  /** Messages waiting in the DLQ (SQS's approximate count, visible plus in flight). */
  async depth(pair: DeadLetterPair): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: pair.dlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /**
   * Moves the DLQ's messages back to the source queue. AWS: starts a move task and returns its handle
   * (the move runs inside SQS). `copy`: moves them here and returns how many were moved.
   */
  async redrive(
    pair: DeadLetterPair,
    opts: { readonly copy: boolean },
  ): Promise<{ moved?: number; taskHandle?: string }> {
    if (!opts.copy) {
      const out = await this.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn, DestinationArn: pair.queueArn }),
      );
      return out.TaskHandle === undefined ? {} : { taskHandle: out.TaskHandle };
    }
    let moved = 0;
    for (;;) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: pair.dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return { moved };
      const sent = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: pair.queueUrl,
          Entries: Messages.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body ?? '',
            ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
          })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = Messages.filter((_, i) => ok.has(i));
      if (done.length > 0)
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: pair.dlqUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      moved += done.length;
      if (done.length < Messages.length)
        throw new Error(`${Messages.length - done.length} message(s) could not be sent back; run again`);
    }
  }
}
