import type { Rupiah } from '#domain/model.ts';
import { formatRupiah } from '#domain/money.ts';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';

/**
 * The three-way reconciliation of a pool's month, per worker (docs/bpjs-loop.md#three-way-reconciliation):
 * what the pool allocated on the BPJS bill against what BPJS says it received. Every worker-month on
 * the bill or received by BPJS (a DITERIMA line) is in exactly one class; a DITOLAK line received
 * nothing and only explains why a billed worker is not receipted. The money the bill is made of
 * (payroll deducted and credited to the pool) is pooled, not per worker: it is the month's pool-level
 * reconciliation (opening + credits − allocated = closing), shown beside these lines.
 */

export const RECON_CLASSES = [
  'BILLED_NOT_RECEIPTED',
  'RECEIPTED_NOT_BILLED',
  'AMOUNT_DIFFERS',
  'WORKER_UNKNOWN_TO_BPJS',
  'KPJ_DIFFERS',
  'MATCHED',
] as const;
export type ReconClass = (typeof RECON_CLASSES)[number];

/** Who can fix a mismatch: ops (BPJS side), finance (the payment); a matched line needs nobody. */
export type Addressee = 'ops' | 'finance';

export type BilledLine = { readonly nik: string; readonly kpj?: string; readonly amount: Rupiah };

export type ReconLine = {
  readonly nik: string;
  readonly class: ReconClass;
  /** Rupiah on the bill for this worker-month (0 when not billed). */
  readonly billed: Rupiah;
  /** Rupiah BPJS received (0 when not receipted or DITOLAK). */
  readonly receipted: Rupiah;
  readonly kpjOnBill?: string;
  /** The KPJ BPJS holds or has just assigned. */
  readonly kpjAtBpjs?: string;
  /** True when BPJS's answer refused the worker-month (DITOLAK): received nothing, said so. */
  readonly refused?: true;
  readonly addressee?: Addressee;
  /** What to do, in Bahasa Indonesia (then English). */
  readonly action?: string;
};

export type ClassTotals = { readonly count: number; readonly billed: Rupiah; readonly receipted: Rupiah };

export type ThreeWay = {
  /** False while no confirmation file counts for the month: nothing is receipted yet. */
  readonly answered: boolean;
  readonly paid: boolean;
  readonly billTotal: Rupiah;
  readonly receiptTotal: Rupiah;
  readonly lines: readonly ReconLine[];
  readonly byClass: Readonly<Record<ReconClass, ClassTotals>>;
};

const ACTION: Readonly<Record<Exclude<ReconClass, 'MATCHED' | 'BILLED_NOT_RECEIPTED'>, string>> = {
  RECEIPTED_NOT_BILLED:
    'BPJS membukukan iuran untuk pekerja yang tidak ada di tagihan: minta BPJS mengoreksi pembukuan. / BPJS booked a contribution for a worker not on the bill: ask BPJS to correct it.',
  AMOUNT_DIFFERS:
    'Jumlah yang diterima BPJS berbeda dengan tagihan: periksa pembayaran dan tarif. / BPJS received another amount than billed: check the payment and the rate.',
  WORKER_UNKNOWN_TO_BPJS:
    'Pekerja belum terdaftar di BPJS (tanpa KPJ): daftarkan agar iurannya dapat dibukukan. / Worker unknown to BPJS (no KPJ): register the worker so the contribution can be booked.',
  KPJ_DIFFERS:
    'KPJ di BPJS berbeda dengan KPJ pada tagihan: periksa data pekerja di registri dan di BPJS. / BPJS holds another KPJ than the bill: check the worker in the registry and at BPJS.',
};

const ADDRESSEE: Readonly<Record<Exclude<ReconClass, 'MATCHED' | 'BILLED_NOT_RECEIPTED'>, Addressee>> = {
  RECEIPTED_NOT_BILLED: 'ops',
  AMOUNT_DIFFERS: 'finance',
  WORKER_UNKNOWN_TO_BPJS: 'ops',
  KPJ_DIFFERS: 'ops',
};

const notReceipted = (paid: boolean, answered: boolean): { addressee: Addressee; action: string } =>
  !paid
    ? {
        addressee: 'finance',
        action:
          'Ditagih tetapi pembayarannya belum dicatat: bayar dan catat (sertakan payment record). / Billed but no payment recorded: pay and record it.',
      }
    : {
        addressee: 'ops',
        action: answered
          ? 'Sudah dibayar tetapi tidak ada dalam jawaban BPJS: tanyakan ke kantor cabang BPJS dengan referensi pembayaran. / Paid but missing from BPJS’s answer: ask the BPJS branch, quoting the payment reference.'
          : 'Sudah dibayar, jawaban BPJS belum masuk: minta berkas konfirmasi BPJS. / Paid, BPJS’s answer not in yet: ask BPJS for the confirmation file.',
      };

/** Classifies one worker-month (pure; exactly one class). */
function classify(
  b: BilledLine | undefined,
  c: ConfirmationLine | undefined,
  paid: boolean,
  answered: boolean,
): ReconLine {
  const received = c !== undefined && c.status === 'DITERIMA' ? c : undefined;
  const kpjAtBpjs = c?.newKpj ?? c?.kpj;
  const nik = (b?.nik ?? c?.nik) as string;
  const base = {
    nik,
    billed: b?.amount ?? 0,
    receipted: received?.amount ?? 0,
    ...(b?.kpj === undefined ? {} : { kpjOnBill: b.kpj }),
    ...(kpjAtBpjs === undefined ? {} : { kpjAtBpjs }),
    ...(c?.status === 'DITOLAK' ? { refused: true as const } : {}),
  };
  const mismatch = (cls: Exclude<ReconClass, 'MATCHED' | 'BILLED_NOT_RECEIPTED'>): ReconLine => ({
    ...base,
    class: cls,
    addressee: ADDRESSEE[cls],
    action: ACTION[cls],
  });
  if (b === undefined) return mismatch('RECEIPTED_NOT_BILLED');
  if (received === undefined) {
    if (b.kpj === undefined && kpjAtBpjs === undefined) return mismatch('WORKER_UNKNOWN_TO_BPJS');
    return { ...base, class: 'BILLED_NOT_RECEIPTED', ...notReceipted(paid, answered) };
  }
  if (received.amount !== b.amount) {
    const line = mismatch('AMOUNT_DIFFERS');
    return {
      ...line,
      action: `${line.action} (${formatRupiah(b.amount)} ⇄ ${formatRupiah(received.amount)})`,
    };
  }
  if (b.kpj !== undefined && kpjAtBpjs !== undefined && b.kpj !== kpjAtBpjs) return mismatch('KPJ_DIFFERS');
  if (b.kpj === undefined && kpjAtBpjs === undefined) return mismatch('WORKER_UNKNOWN_TO_BPJS');
  return { ...base, class: 'MATCHED' };
}

/**
 * The three-way reconciliation of one month: `billed` from the bill (one line per NIK), `answer` the
 * lines of the confirmation file that counts (undefined: no answer yet), `paid` whether a payment is
 * recorded for the bill. Lines in NIK order; totals per class sum to the bill and to the receipts.
 */
export function reconcileThreeWay(
  billed: readonly BilledLine[],
  answer: readonly ConfirmationLine[] | undefined,
  paid: boolean,
): ThreeWay {
  const answered = answer !== undefined;
  const byNik = new Map<string, { b?: BilledLine; c?: ConfirmationLine }>();
  for (const b of billed) byNik.set(b.nik, { ...byNik.get(b.nik), b });
  for (const c of answer ?? []) {
    const had = byNik.get(c.nik);
    // A DITOLAK line for a worker not on the bill received nothing and is no worker-month of this bill.
    if (had === undefined && c.status !== 'DITERIMA') continue;
    byNik.set(c.nik, { ...had, c });
  }
  const lines = [...byNik.keys()].sort().map((nik) => {
    const { b, c } = byNik.get(nik) ?? {};
    return classify(b, c, paid, answered);
  });
  const byClass = Object.fromEntries(
    RECON_CLASSES.map((k) => [k, { count: 0, billed: 0, receipted: 0 }]),
  ) as Record<ReconClass, { count: number; billed: number; receipted: number }>;
  for (const l of lines) {
    const t = byClass[l.class];
    t.count++;
    t.billed += l.billed;
    t.receipted += l.receipted;
  }
  return {
    answered,
    paid,
    billTotal: billed.reduce((s, b) => s + b.amount, 0),
    receiptTotal: (answer ?? []).filter((c) => c.status === 'DITERIMA').reduce((s, c) => s + c.amount, 0),
    lines,
    byClass,
  };
}
