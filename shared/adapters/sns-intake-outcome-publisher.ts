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
      ...detailLines(m),
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

/** The lines a status needs beyond the counts: duplicate, pending difference, decision, late, change. */
export function detailLines(m: IntakeOutcomeMessage): string[] {
  const lines: string[] = [];
  if (m.status === 'DUPLICATE')
    lines.push(
      `Isi yang sama sudah diterima pada ${m.firstReceivedAt ?? '-'} (berkas ${m.duplicateOf ?? '-'}); tidak ada yang baru dikreditkan. / ` +
        `The same content was received at ${m.firstReceivedAt ?? '-'}; nothing new was credited.`,
    );
  if (m.pending !== undefined && m.status === 'PENDING_CONFIRMATION') {
    const p = m.pending;
    lines.push(
      `MENUNGGU KONFIRMASI sampai ${p.expiresAt}: berkas ini mengurangi dana OPD bulan ini. ` +
        `Donatur dihapus ${p.removedRows}, diturunkan ${p.loweredRows}, ditambah ${p.addedRows}, dinaikkan ${p.raisedRows}; ` +
        `dana berkurang ${formatRupiah(p.takenAway)}, selisih ${formatRupiah(p.delta)}. Belum ada yang dicatat; ` +
        'konfirmasi atau tarik di konsol atau dengan `sertakan file confirm|withdraw --file <id> --by <nama>`.',
      ...p.lines.map(
        (l) =>
          `  ${l.nip}${l.workerNik ? ` (pekerja ${l.workerNik})` : ''}: ${formatRupiah(l.before)} -> ${formatRupiah(l.after)}`,
      ),
      `Waiting for confirmation until ${p.expiresAt}: this file takes ${formatRupiah(p.takenAway)} away from the month; nothing is recorded until a person confirms.`,
    );
  }
  if (m.decision !== undefined)
    lines.push(
      `Keputusan / decision: ${m.decision.action} oleh ${m.decision.by} pada ${m.decision.at}${m.decision.note ? ` (${m.decision.note})` : ''}.`,
    );
  if (m.late)
    lines.push(
      'Koreksi terlambat: dihitung pada alokasi berikutnya. / Late correction: counted in the next run.',
    );
  if (m.delta !== undefined && m.status !== 'PENDING_CONFIRMATION')
    lines.push(
      `Perubahan di buku besar ${formatRupiah(m.delta)}; total OPD bulan ini ${formatRupiah(m.monthTotal ?? 0)}. / ` +
        `Ledger change ${formatRupiah(m.delta)}; the agency month's total ${formatRupiah(m.monthTotal ?? 0)}.`,
    );
  return lines;
}
