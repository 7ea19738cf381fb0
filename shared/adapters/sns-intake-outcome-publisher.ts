import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TransientError } from '#domain/errors.ts';
import { formatRupiah } from '#domain/money.ts';
import type { IntakeOutcomeMessage, IntakeOutcomePublisher } from '#domain/ports/intake-outcomes.ts';

/**
 * Publishes each intake outcome to the intake-outcomes topic. Message attributes let a treasurer
 * subscribe (e.g. by email) to their own files only with a filter policy on `pool`, `agency`, `kind`,
 * `status` (all String; `agency` is `-` for worker and grant files). The body is a short text in
 * Indonesian then English, followed by the outcome as JSON for machines.
 */
export class SnsIntakeOutcomePublisher implements IntakeOutcomePublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(m: IntakeOutcomeMessage): Promise<void> {
    const what = [m.kind, m.pool, m.period, m.agency].filter((x) => x !== undefined).join(' ');
    const body = [
      `Berkas ${what}: ${m.status}.`,
      `Baris data ${m.counts.dataRows}, diterima ${m.counts.acceptedRows}, ditolak ${m.counts.rejectedRows}; ` +
        `jumlah diterima ${formatRupiah(m.amounts.accepted)}, ditolak ${formatRupiah(m.amounts.rejected)}.`,
      ...(m.rejectReason ? [`Seluruh berkas ditolak: ${m.rejectReason}.`] : []),
      `Laporan penolakan lengkap: ${m.report}`,
      '',
      `File ${what}: ${m.status}. Rows ${m.counts.dataRows}, accepted ${m.counts.acceptedRows}, rejected ${m.counts.rejectedRows}.`,
      `Full rejection report: ${m.report}`,
      '',
      JSON.stringify(m),
    ].join('\n');
    try {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: `SERTAKAN ${what}: ${m.status}`.slice(0, 99),
          Message: body,
          MessageAttributes: {
            pool: { DataType: 'String', StringValue: m.pool },
            agency: { DataType: 'String', StringValue: m.agency ?? '-' },
            kind: { DataType: 'String', StringValue: m.kind },
            status: { DataType: 'String', StringValue: m.status },
          },
        }),
      );
    } catch (cause) {
      throw new TransientError('could not publish the intake outcome', { cause });
    }
  }
}
