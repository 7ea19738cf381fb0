import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TransientError } from '#domain/errors.ts';
import type { AlertPublisher, DigestMessage } from '#domain/ports/alert-publisher.ts';

/**
 * Publishes the ops digest to the SNS topic. Message attributes let ops subscribe by filter policy:
 * `pool` (String), `kinds` (String.Array, e.g. only LAPSED), `severity` (String); `digestId` (String) is
 * the digest's stable identity, the same on a repeat, so a receiver can drop a second delivery.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: DigestMessage): Promise<string> {
    try {
      const out = await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: message.subject.slice(0, 99),
          Message: message.body,
          MessageAttributes: {
            pool: { DataType: 'String', StringValue: message.attributes.pool },
            kinds: { DataType: 'String.Array', StringValue: JSON.stringify(message.attributes.kinds) },
            severity: { DataType: 'String', StringValue: message.attributes.severity },
            digestId: { DataType: 'String', StringValue: message.attributes.digestId },
          },
        }),
      );
      return out.MessageId ?? '';
    } catch (cause) {
      throw new TransientError('could not publish the ops digest', { cause });
    }
  }
}
