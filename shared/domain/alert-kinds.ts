/**
 * The one registry of alert kinds and severities (docs/console.md#alerts): their order, their words in
 * Bahasa Indonesia and English, what each one means (its cause, from the alert's details), what ops
 * should do about it, and how urgent it is. The scan (shared/domain/alerts.ts), the console API and the
 * console page, the ops digest, the charts and the area summaries all read it; no other list of kinds is written anywhere.
 *
 * Pure and import-free, so the browser bundle can take it as it is.
 */

/** Both languages of a text; `id` is shown first, `en` on the console's switch. */
export type Words = { readonly id: string; readonly en: string };

export const ALERT_KINDS = [
  'ALLOCATION_STALLED',
  'ALLOCATION_LATE',
  'LAPSED',
  'AT_RISK',
  'UNFUNDED',
  'FILE_MISSING',
  'RUNWAY_LOW',
  'PAYMENT_UNCONFIRMED',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SEVERITIES = ['CRITICAL', 'WARNING'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_WORDS: Readonly<Record<Severity, Words>> = {
  CRITICAL: { id: 'Kritis', en: 'Critical' },
  WARNING: { id: 'Peringatan', en: 'Warning' },
};

/** AT_RISK this close to the due date (the 15th or the next working day) is critical: ops has days, not weeks. */
export const CRITICAL_DAYS = 5;

export type AlertDetails = Readonly<Record<string, string | number>>;

/** How the cause sentence writes a month and a rupiah amount (the page passes Intl formatters). */
export type CauseFormat = {
  readonly month: (period: string) => string;
  readonly rupiah: (n: number) => string;
};
const PLAIN: CauseFormat = { month: (p) => p, rupiah: (n) => `Rp${n}` };

type KindInfo = {
  /** The kind as a word, for labels, filters and counts. */
  readonly label: Words;
  /** The kind as the ops digest's count line says it ("12 <digest>"). */
  readonly digest: Words;
  /** Its colour in charts: one Okabe-Ito colour per kind, which colour-blind readers tell apart. */
  readonly color: string;
  /** What the alert is about. */
  readonly subject: 'WORKER' | 'AGENCY' | 'POOL';
  /** Always critical, whatever the scan recorded. */
  readonly critical: boolean;
  /** What ops should do. */
  readonly action: Words;
  readonly cause: (d: AlertDetails, f: CauseFormat) => Words;
};

const num = (v: string | number | undefined): number => Number(v ?? 0);
const str = (v: string | number | undefined): string => (v === undefined ? '-' : String(v));
const paidThrough = (d: AlertDetails, f: CauseFormat): Words =>
  d.paidThrough === undefined || d.paidThrough === '-'
    ? { id: 'belum pernah terbayar', en: 'never paid' }
    : {
        id: `terbayar sampai ${f.month(String(d.paidThrough))}`,
        en: `paid through ${f.month(String(d.paidThrough))}`,
      };

export const ALERT_KIND_INFO: Readonly<Record<AlertKind, KindInfo>> = {
  ALLOCATION_STALLED: {
    label: { id: 'Alokasi macet', en: 'Allocation stalled' },
    digest: { id: 'alokasi bulanan macet, perlu tindakan', en: 'monthly allocation stalled, action needed' },
    color: '#000000',
    subject: 'POOL',
    critical: true,
    action: {
      id: 'Periksa proses alokasi pool ini dan minta operator melanjutkan atau mengulangnya.',
      en: "Check the pool's allocation run and ask an operator to resume or redo it.",
    },
    cause: (d) => ({
      id: `Proses ${str(d.run)} berhenti sejak ${str(d.since)}.`,
      en: `Run ${str(d.run)} stopped at ${str(d.since)}.`,
    }),
  },
  ALLOCATION_LATE: {
    label: { id: 'Alokasi terlambat', en: 'Allocation late' },
    digest: {
      id: 'alokasi bulanan belum selesai menjelang jatuh tempo BPJS',
      en: 'monthly allocation not done before the BPJS due date',
    },
    color: '#cc79a7',
    subject: 'POOL',
    critical: true,
    action: {
      id: 'Alokasi bulan ini belum selesai menjelang jatuh tempo: hubungi operator hari ini.',
      en: "This month's allocation is not finished before the due date: call the operator today.",
    },
    cause: (d) => ({
      id: `Alokasi bulan ini belum selesai (${d.run === undefined ? 'belum ada proses' : `proses ${str(d.run)}`}).`,
      en: `This month's allocation is not finished (${d.run === undefined ? 'no run yet' : `run ${str(d.run)}`}).`,
    }),
  },
  LAPSED: {
    label: { id: 'Kepesertaan berhenti', en: 'Coverage lapsed' },
    digest: { id: 'kepesertaan nonaktif (3 bulan tidak dibayar)', en: 'membership lapsed (3 unpaid months)' },
    color: '#d55e00',
    subject: 'WORKER',
    critical: true,
    action: {
      id: 'Pekerja tidak lagi terlindungi: hubungi pekerja dan pastikan dana untuk mendaftarkannya kembali.',
      en: 'The worker is no longer protected: contact them and find the money to re-enrol them.',
    },
    cause: (d, f) => {
      const paid = paidThrough(d, f);
      return {
        id: `Tiga bulan berturut-turut tidak terdanai; ${paid.id}.`,
        en: `Three months in a row not funded; ${paid.en}.`,
      };
    },
  },
  AT_RISK: {
    label: { id: 'Berisiko tidak terdanai', en: 'At risk of no funding' },
    digest: {
      id: 'berisiko tidak terdanai bulan depan',
      en: 'at risk of not being funded in the coming run',
    },
    color: '#e69f00',
    subject: 'WORKER',
    critical: false,
    action: {
      id: 'Dana pool tidak cukup untuk pekerja ini bulan depan: cari tambahan dana sebelum jatuh tempo.',
      en: "The pool's money does not reach this worker next month: find more money before the due date.",
    },
    cause: (d, f) => {
      const paid = paidThrough(d, f);
      if (d.wouldBeUnpaidMonth === undefined)
        return {
          id: `Dana pool tidak mencukupi pekerja ini bulan depan; ${paid.id}.`,
          en: `The pool's money does not reach this worker next month; ${paid.en}.`,
        };
      return num(d.wouldBeUnpaidMonth) >= 3
        ? {
            id: `Bulan terakhir sebelum berhenti: tanpa dana, kepesertaan berhenti; ${paid.id}.`,
            en: `Last month before lapse: without money, coverage lapses; ${paid.en}.`,
          }
        : {
            id: `Tanpa dana akan menjadi bulan ke-${num(d.wouldBeUnpaidMonth)} tidak terbayar; ${paid.id}.`,
            en: `Without money this becomes unpaid month ${num(d.wouldBeUnpaidMonth)}; ${paid.en}.`,
          };
    },
  },
  UNFUNDED: {
    label: { id: 'Tidak terdanai', en: 'Not funded' },
    digest: { id: 'tidak terdanai bulan ini', en: 'not funded this month' },
    color: '#0072b2',
    subject: 'WORKER',
    critical: true,
    action: {
      id: 'Pekerja tidak terbayar bulan ini: tambah dana pool atau hubungi pekerja sebelum kepesertaannya berhenti.',
      en: 'The worker is not paid this month: add money to the pool or contact the worker before coverage lapses.',
    },
    cause: (d, f) => {
      const paid = paidThrough(d, f);
      return {
        id: `Proses alokasi tidak mendanai pekerja ini: ${num(d.unpaidMonths)} bulan tidak terbayar; ${paid.id}.`,
        en: `The allocation run did not fund this worker: ${num(d.unpaidMonths)} unpaid month(s); ${paid.en}.`,
      };
    },
  },
  FILE_MISSING: {
    label: { id: 'Berkas gaji belum masuk', en: 'Payroll file missing' },
    digest: { id: 'file potongan gaji belum masuk', en: 'payroll deduction file missing' },
    color: '#56b4e9',
    subject: 'AGENCY',
    critical: false,
    action: {
      id: 'Hubungi bendahara gaji OPD ini agar mengunggah berkas potongan periode ini.',
      en: "Ask this agency's payroll treasurer to upload the period's deduction file.",
    },
    cause: (d) => ({
      id: `Berkas periode ini belum diterima (batas ${str(d.cutoff)}), padahal periode lalu ada.`,
      en: `No file for this period yet (cut-off ${str(d.cutoff)}), though last period's came.`,
    }),
  },
  RUNWAY_LOW: {
    label: { id: 'Dana pool menipis', en: 'Runway low' },
    digest: { id: 'dana pool menipis', en: 'pool runway low' },
    color: '#009e73',
    subject: 'POOL',
    critical: false,
    action: {
      id: 'Bahas dengan keuangan: tambah dana atau tunda penerimaan pekerja baru.',
      en: 'Talk to finance: add money or hold admissions of new workers.',
    },
    cause: (d) => ({
      id: `Semua pekerja aktif terdanai ${num(d.runwayMonths)} bulan, di bawah batas ${num(d.thresholdMonths)} bulan.`,
      en: `Every active worker funded for ${num(d.runwayMonths)} months, below the ${num(d.thresholdMonths)}-month threshold.`,
    }),
  },
  PAYMENT_UNCONFIRMED: {
    label: { id: 'Pembayaran belum dikonfirmasi', en: 'Payment not confirmed' },
    digest: {
      id: 'iuran dibayar tetapi belum dikonfirmasi BPJS',
      en: 'contribution paid, not yet confirmed by BPJS',
    },
    color: '#f0e442',
    subject: 'WORKER',
    critical: false,
    action: {
      id: 'Minta BPJS mengonfirmasi pembayaran bulan ini untuk pekerja ini.',
      en: "Ask BPJS to confirm this month's payment for this worker.",
    },
    cause: (d, f) => ({
      id: `Ditagihkan ${f.rupiah(num(d.billed))}, belum ada tanda terima BPJS.`,
      en: `Billed ${f.rupiah(num(d.billed))}, no BPJS receipt yet.`,
    }),
  },
};

export const isAlertKind = (k: string): k is AlertKind => (ALERT_KINDS as readonly string[]).includes(k);

/**
 * How urgent an alert is, by one rule: LAPSED, UNFUNDED and the allocation alerts are critical; an
 * AT_RISK worker is critical in the last funded month before lapse (a third unpaid month would end the
 * coverage) or with CRITICAL_DAYS or fewer to the due date; anything the scan already graded critical
 * stays so.
 */
export function gradeSeverity(a: {
  readonly kind: string;
  readonly severity: string;
  readonly daysUntilDue?: number;
  readonly details: AlertDetails;
}): Severity {
  if (a.severity === 'CRITICAL') return 'CRITICAL';
  if (!isAlertKind(a.kind)) return 'WARNING';
  if (ALERT_KIND_INFO[a.kind].critical) return 'CRITICAL';
  if (a.kind === 'AT_RISK') {
    if (num(a.details.wouldBeUnpaidMonth) >= 3) return 'CRITICAL';
    if (a.daysUntilDue !== undefined && a.daysUntilDue <= CRITICAL_DAYS) return 'CRITICAL';
  }
  return 'WARNING';
}

/** The cause of an alert as a sentence (an unknown kind, from a newer scan, says only its code). */
export const causeOf = (kind: string, details: AlertDetails, f: CauseFormat = PLAIN): Words =>
  isAlertKind(kind) ? ALERT_KIND_INFO[kind].cause(details, f) : { id: kind, en: kind };

/** Rank of a kind in the registry's order (unknown kinds last). */
export const kindRank = (kind: string): number => {
  const i = (ALERT_KINDS as readonly string[]).indexOf(kind);
  return i < 0 ? ALERT_KINDS.length : i;
};
