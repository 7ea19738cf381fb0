import type { CorrectionLine, MonthCorrections } from '#domain/corrections.ts';
import type { AgencyShare, BillHeader, DonorStatement } from '#domain/finance-answers.ts';
import { maskName, maskNik, maskNip, maskValue } from '#domain/masking.ts';
import type { EarmarkOutcome } from '#domain/month-shares.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import type { RunStatusView } from '#domain/run-status.ts';
import type { PoolBalance, Reconciliation } from '#domain/statements.ts';
import { CSV_BOM, type CsvDelimiter, type CsvValue, csvLine } from './write-csv.ts';

/**
 * Finance exports shared by the HTTP API and the CLI: one table shape per answer (header + rows), the
 * masking of personal data, and the CSV document (BOM, `;` by default, formula injection neutralised by
 * write-csv.ts). Headers are Indonesian snake_case, as finance teams' spreadsheets expect.
 */

export type Table = { readonly header: readonly string[]; readonly rows: readonly (readonly CsvValue[])[] };

/** Personal data (NIK, NIP, name, KPJ) is masked unless the caller may and did ask for it in full. */
export type Privacy = { readonly unmasked: boolean };

export const maskKpj = (kpj: string | undefined): string | undefined =>
  kpj === undefined ? undefined : maskValue('kpj', kpj);

export const maskEntry = (e: AllocationEntry, p: Privacy): AllocationEntry =>
  p.unmasked
    ? e
    : {
        ...e,
        nik: maskNik(e.nik),
        name: maskName(e.name),
        ...(e.kpj === undefined ? {} : { kpj: maskKpj(e.kpj) ?? '' }),
      };

/**
 * The donor's NIP is shown in full only when asked (`unmasked`); the workers it earmarked are other
 * people, so their NIK and name are masked always ("your deduction paid for S*** W***'s coverage").
 */
export const maskStatement = (s: DonorStatement, p: Privacy): DonorStatement => ({
  ...s,
  nip: p.unmasked ? s.nip : maskNip(s.nip),
  lines: s.lines.map((l) =>
    l.earmarks === undefined
      ? l
      : {
          ...l,
          earmarks: l.earmarks.map((e) => ({
            ...e,
            nik: maskNik(e.nik),
            ...(e.name === undefined ? {} : { name: maskName(e.name) }),
          })),
        },
  ),
});

export const maskAgencyShare = (s: AgencyShare, p: Privacy): AgencyShare => ({
  ...s,
  earmarked: s.earmarked.map((e) => maskEntry(e, p)),
});

export const ALLOCATION_HEADER = [
  'bulan',
  'nik',
  'nama',
  'kpj',
  'paket',
  'jumlah',
  'prioritas',
  'run_id',
  'dialokasikan_pada',
] as const;

export const allocationRow = (e: AllocationEntry): CsvValue[] => [
  e.month,
  e.nik,
  e.name,
  e.kpj ?? '',
  e.tier,
  e.amount,
  e.priority,
  e.runId,
  e.allocatedAt,
];

export const allocationsTable = (entries: readonly AllocationEntry[], p: Privacy): Table => ({
  header: ALLOCATION_HEADER,
  rows: entries.map((e) => allocationRow(maskEntry(e, p))),
});

export const BILL_HEADER = ['kpj', 'nik', 'nama', 'paket', 'jumlah'] as const;

export const billRows = (entries: readonly AllocationEntry[], p: Privacy): CsvValue[][] =>
  entries.map((raw) => {
    const e = maskEntry(raw, p);
    return [e.kpj ?? '', e.nik, e.name, e.tier, e.amount];
  });

/** The bill's closing line: the total BPJS is paid, next to the count of workers. */
export const billTotalRow = (h: BillHeader): CsvValue[] => ['TOTAL', h.workers, '', '', h.total];

/** Corrections (docs/one-truth.md) as `pos`/`nilai` rows: one per corrected period and agency. */
const correctionRows = (prefix: string, lines: readonly CorrectionLine[]): CsvValue[][] =>
  lines.map((l) => [`${prefix}_${l.period}${l.agency === undefined ? '_hibah' : `_${l.agency}`}`, l.amount]);

export const reconciliationTable = (
  r: Reconciliation & { readonly corrections?: MonthCorrections },
): Table => ({
  header: ['pos', 'nilai'],
  rows: [
    ['kolam', r.pool],
    ['bulan', r.month],
    ['status', r.status],
    ['run', r.runs.join(' ')],
    ['saldo_awal', r.opening],
    ['potongan_gaji', r.credits.deductions],
    ['koreksi', r.credits.corrections],
    ['hibah', r.credits.grants],
    ['total_kredit', r.credits.total],
    ['alokasi', r.allocated],
    ['saldo_akhir', r.closing],
    ['pekerja_didanai', r.workers.funded],
    ['pekerja_baru', r.workers.admitted],
    ['pekerja_tidak_didanai', r.workers.unfunded],
    ['pekerja_nonaktif', r.workers.lapsed],
    ['daftar_tunggu', r.workers.waitlisted],
    ['seimbang', r.balanced ? 'YA' : 'TIDAK'],
    ...(r.corrections === undefined
      ? []
      : [
          ['koreksi_dihitung_run_ini', r.corrections.countedTotal],
          ...correctionRows('koreksi_periode', r.corrections.counted),
          [PENDING_LABEL, r.corrections.pendingTotal],
          ...correctionRows('tertunda_periode', r.corrections.pending),
        ]),
  ],
});

/** The one sentence every balance after a run shows next to its pending corrections. */
export const PENDING_LABEL = 'koreksi_tercatat_sejak_run_terakhir_dihitung_di_run_berikutnya';

export const balanceTable = (b: PoolBalance): Table => ({
  header: ['pos', 'nilai'],
  rows: [
    ['per_tanggal', b.asOf],
    ['potongan_gaji', b.credits.deductions],
    ['koreksi', b.credits.corrections],
    ['hibah', b.credits.grants],
    ['total_kredit', b.credits.total],
    ['total_alokasi', b.allocated],
    ['saldo', b.balance],
    ['kredit_periode_mendatang', b.futureCredits],
    ['saldo_akhir_run_terakhir', b.lastClosing],
    [PENDING_LABEL, b.pendingCorrections],
    ['bulan_terakhir', b.lastMonth ?? ''],
    ['run_terakhir', b.lastRun ?? ''],
    ['pekerja_didanai_bulan_terakhir', b.fundedLastMonth],
  ],
});

/** Allocation runs for operators (`sertakan runs`); headers in Indonesian like the other exports. */
export const runStatusTable = (runs: readonly RunStatusView[]): Table => ({
  header: [
    'run',
    'bulan',
    'keadaan',
    'diminta_oleh',
    'chunk',
    'didanai',
    'total_alokasi',
    'aktivitas_terakhir',
    'menganggur_menit',
    'keluaran',
    'sebab_macet',
    'dibatalkan',
  ],
  rows: runs.map((r) => [
    r.runId,
    r.month,
    r.state,
    r.cause,
    `${r.chunksDone}/${r.chunkCount}`,
    r.funded,
    r.allocated,
    r.lastActivityAt,
    r.idleMinutes ?? '',
    r.outputsAt ?? '',
    r.stalledReason ?? '',
    r.aborted ? `${r.aborted.at} ${r.aborted.by}: ${r.aborted.reason}` : '',
  ]),
});

export const statementTable = (s: DonorStatement): Table => ({
  header: [
    'nip',
    'kolam',
    'periode',
    'opd',
    'potongan',
    'koreksi',
    'neto',
    'neto_kolam',
    'alokasi_kolam',
    'didanai_gaji_kolam',
    'bagian_rupiah',
    'bagian_pekerja_bulan',
    'status',
    'pekerja_earmark',
    'koreksi_dihitung_di',
  ],
  rows: s.lines.map((l) => [
    s.nip,
    l.pool,
    l.period,
    l.agencies.join(' '),
    l.deducted,
    l.corrected,
    l.net,
    l.poolNetPayroll,
    l.poolAllocated,
    l.poolPayrollFunded,
    l.rupiah,
    l.workerMonths,
    l.status,
    // Already masked by maskStatement: `1504**********01 DIDANAI` per worker the donor named.
    (l.earmarks ?? []).map((e) => earmarkCell(l.period, e)).join(', '),
    (l.corrections ?? []).map((c) => `${c.amount} ${countedText(c.countedIn)}`).join(', '),
  ]),
});

/**
 * One earmark of a statement line: the worker (masked), funded or not, and for a file that arrived after
 * its month's run, which run honoured it (docs/design.md#earmarks-travel-with-the-money).
 */
export const earmarkCell = (period: string, e: EarmarkOutcome): string => {
  if (e.pending) return `${e.nik} MENUNGGU (earmark dari file ${period} dihitung di run berikutnya)`;
  const status = e.funded ? 'DIDANAI' : 'TIDAK_DIDANAI';
  if (e.month === undefined) return `${e.nik} ${status}`;
  return `${e.nik} ${status} ${e.month} (earmark dari file ${period} dihitung di run ${e.month})`;
};

/** Where a correction was counted: `run 2026-02` or `run_berikutnya` (pending). */
export const countedText = (c: { readonly month: string } | undefined): string =>
  c === undefined ? 'run_berikutnya' : `run ${c.month}`;

export const agencyShareTable = (a: AgencyShare): Table => ({
  header: ['pos', 'nilai'],
  rows: [
    ['kolam', a.pool],
    ['bulan', a.month],
    ['opd', a.agency],
    ['donatur', a.donors],
    ['potongan_neto_opd', a.netDeduction],
    ['potongan_neto_kolam', a.poolNetPayroll],
    ['alokasi_bulan', a.funding.allocated],
    ['didanai_gaji', a.funding.payrollFunded],
    ['didanai_hibah_dan_saldo', a.funding.otherFunded],
    ['bagian_rupiah', a.rupiah],
    ['bagian_pekerja_bulan', a.workerMonths],
    ['pekerja_earmark', a.earmarked.length],
    ...a.corrections.countedHere.map((l): CsvValue[] => [
      `koreksi_dihitung_bulan_ini_periode_${l.period}`,
      l.amount,
    ]),
    ...a.corrections.ofThisMonth.map((l): CsvValue[] => [
      `koreksi_periode_ini_${countedText(l.countedIn).replace(' ', '_')}`,
      l.amount,
    ]),
  ],
});

export type CsvOptions = { readonly delimiter?: CsvDelimiter; readonly bom?: boolean };

/** A whole CSV document for Indonesian Excel: BOM, `;`, CRLF. */
export function tableToCsv(table: Table, opts: CsvOptions = {}): string {
  const delimiter = opts.delimiter ?? ';';
  let out = opts.bom === false ? '' : CSV_BOM;
  out += csvLine(table.header, delimiter);
  for (const row of table.rows) out += csvLine(row, delimiter);
  return out;
}
