import { formatRupiah } from '#domain/money.ts';
import type { FileVersion } from '#domain/ports/file-registry.ts';
import { describeRejection, isReasonCode } from '#domain/reasons.ts';
import type { Table } from '#shared/csv/export.ts';
import { withoutFirstUploadsActs } from '#shared/use-cases/intake/intake-outcome.ts';

/**
 * How the CLI shows one file version's outcome (`sertakan submit`, `sertakan file show`): the table of
 * counts and rupiah the intake recorded, the footer note, and what a pending version waits for.
 */

const yesNo = (b: boolean | undefined): string => (b ? 'ya' : 'tidak');

/**
 * What this upload did: the recorded outcome, or, when these bytes were recorded before this upload
 * (the same content again), a DUPLICATE of that file with 0 accepted and Rp0: nothing new was credited,
 * and what the first upload did (registered its agency, replaced, withdrew, was decided) is not shown
 * as this one's.
 */
export function shownOutcome(file: FileVersion, earlier: boolean): FileVersion {
  if (!earlier || file.status === 'PENDING_CONFIRMATION') return file;
  return {
    ...withoutFirstUploadsActs(file),
    status: 'DUPLICATE',
    agencyRegistered: false,
    acceptedRows: 0,
    acceptedAmount: 0,
    rejectedRows: 0,
    rejectedAmount: 0,
    // This upload moved nothing in the ledger.
    ...(file.delta === undefined ? {} : { delta: 0 }),
    duplicateOf: file.duplicateOf ?? file.fileId,
    firstReceivedAt: file.firstReceivedAt ?? file.receivedAt,
  };
}

/** The outcome as pos/nilai rows (locations are printed below it: long URIs would widen the numbers). */
export function outcomeTable(file: FileVersion): Table {
  const money =
    file.kind === 'WORKERS'
      ? []
      : [
          ['total_diterima', file.acceptedAmount],
          ['total_ditolak', file.rejectedAmount],
        ];
  const p = file.pending;
  return {
    header: ['pos', 'nilai'],
    rows: [
      ['file_id', file.fileId],
      ['status', file.status],
      ...(file.duplicateOf === undefined
        ? []
        : [
            ['sama_dengan_berkas', file.duplicateOf],
            ['pertama_diterima', file.firstReceivedAt ?? ''],
            ['dikreditkan_baru', 'tidak ada / nothing new'],
          ]),
      ...(file.rejectReason === undefined
        ? []
        : [
            [
              'alasan_tolak',
              isReasonCode(file.rejectReason)
                ? `${file.rejectReason}: ${describeRejection(file.rejectReason).id}`
                : file.rejectReason,
            ],
          ]),
      ...(file.sheet === undefined ? [] : [['lembar', file.sheet]]),
      ...(file.footerRows === undefined || file.footerLine === undefined
        ? []
        : [['catatan', footerNote(file.footerLine, file.footerRows)]]),
      ['baris_data', file.dataRows],
      ['baris_diterima', file.acceptedRows],
      ['baris_ditolak', file.rejectedRows],
      ...money,
      ...(file.kind === 'PAYROLL'
        ? [
            ['opd_baru_terdaftar', yesNo(file.agencyRegistered)],
            ...(file.supersedes === undefined ? [] : [['menggantikan', file.supersedes]]),
            ...(file.mode === undefined || file.mode === 'REPLACE' ? [] : [['jenis', file.mode]]),
            ...(file.late ? [['koreksi_terlambat', 'ya: dihitung pada alokasi berikutnya']] : []),
            ...(file.withdraws === undefined
              ? []
              : [
                  ['menarik_berkas', file.withdraws],
                  ['alasan', file.reason ?? ''],
                  ['diminta_oleh', file.requestedBy ?? ''],
                ]),
            ...(file.delta === undefined ? [] : [['perubahan_buku_besar', file.delta]]),
            ...(file.monthTotal === undefined ? [] : [['total_opd_bulan_ini', file.monthTotal]]),
            ...(p === undefined
              ? []
              : [
                  ['menunggu_sampai', p.expiresAt],
                  ['donatur_dihapus', p.removedRows],
                  ['donatur_diturunkan', p.loweredRows],
                  ['donatur_ditambah', p.addedRows],
                  ['donatur_dinaikkan', p.raisedRows],
                  ['dana_berkurang', p.takenAway],
                  ['selisih', p.delta],
                  ['total_sebelum', p.totalBefore],
                  ['total_sesudah', p.totalAfter],
                ]),
            ...(file.decision === undefined
              ? []
              : [
                  [
                    'keputusan',
                    `${file.decision.action} oleh ${file.decision.by} pada ${file.decision.at}${file.decision.note ? ` (${file.decision.note})` : ''}`,
                  ],
                ]),
          ]
        : []),
      ['diterima_pada', file.receivedAt],
    ],
  };
}

/**
 * The one informational line about the rows under JUMLAH (signature block, notes): they ended the
 * table and were not read; nothing in them was taken or rejected.
 */
export function footerNote(line: number, rows: number): string {
  const last = line + rows - 1;
  const where = rows === 1 ? `baris ${line}` : `baris ${line}-${last}`;
  return `${rows} baris di bawah JUMLAH (${where}: tanda tangan/catatan) tidak dibaca / ${rows} row(s) under the sum row ignored`;
}

/** The lines a pending version needs: its changed donors (masked) and how to decide. */
export function pendingText(file: FileVersion): string {
  const p = file.pending;
  if (p === undefined || file.status !== 'PENDING_CONFIRMATION') return '';
  const lines = p.lines.map(
    (l) =>
      `  ${l.nip}${l.workerNik ? ` pekerja ${l.workerNik}` : ''}: ${formatRupiah(l.before)} -> ${formatRupiah(l.after)}`,
  );
  const changed = p.removedRows + p.loweredRows + p.addedRows + p.raisedRows;
  return (
    `\nMENUNGGU KONFIRMASI / WAITING FOR CONFIRMATION: berkas ini mengurangi dana OPD ${formatRupiah(p.takenAway)}; ` +
    'belum ada yang dicatat / nothing is recorded yet.\n' +
    `${lines.join('\n')}\n` +
    (changed > lines.length
      ? `  ... ${changed - lines.length} baris lagi / more rows: sertakan reports get ${p.diffKey}\n`
      : '') +
    `Konfirmasi / confirm:  sertakan file confirm --file ${file.fileId} --by <nama>\n` +
    `Tarik / withdraw:      sertakan file withdraw --file ${file.fileId} --by <nama>\n` +
    `(batas / until ${p.expiresAt})\n`
  );
}
