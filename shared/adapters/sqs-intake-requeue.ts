import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '#domain/errors.ts';
import type { IntakeRequeue } from '#domain/ports/intake-requeue.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';

/**
 * IntakeRequeue on the payroll-files queue: sends the S3 notification S3 itself would send for the
 * object (key URL-encoded as S3 encodes it, the recorded upload's sequencer), so the split-payroll-file
 * handler needs no second message shape.
 */
export class SqsIntakeRequeue implements IntakeRequeue {
  constructor(
    private readonly opts: { readonly sqs: SQSClient; readonly queueUrl: string; readonly bucket: string },
  ) {}

  async requeue(ref: Omit<ObjectRef, 'bucket'>): Promise<void> {
    const body = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: new Date().toISOString(),
          s3: {
            bucket: { name: this.opts.bucket },
            object: {
              key: encodeURIComponent(ref.key).replaceAll('%20', '+'),
              ...(ref.upload === undefined ? {} : { sequencer: ref.upload }),
            },
          },
        },
      ],
    };
    try {
      await this.opts.sqs.send(
        new SendMessageCommand({ QueueUrl: this.opts.queueUrl, MessageBody: JSON.stringify(body) }),
      );
    } catch (cause) {
      throw new TransientError('could not hand the file back to the intake', { cause });
    }
  }
}
