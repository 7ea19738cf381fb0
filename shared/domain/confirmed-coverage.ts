import type { Rupiah } from '#domain/model.ts';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';

/**
 * What a worker's month of coverage is worth once BPJS has answered (docs/bpjs-loop.md#coverage-says-what-is-confirmed):
 * *allocated* is what the pool put on the bill, *confirmed* is what BPJS says it received. Pure.
 *
 * - CONFIRMED: on the bill, and BPJS's answer that counts for the month has the worker as DITERIMA
 *   with rupiah received (an amount or KPJ mismatch is still coverage; the three-way shows it);
 * - BILLED_NOT_CONFIRMED: on the bill, and no answer yet, or the answer refuses (DITOLAK) or omits
 *   the worker: the month is paid for but not yet protection;
 * - NOT_BILLED: not on the bill (BPJS may still have booked something: `answer` says so).
 * The lapse scan's PAYMENT_UNCONFIRMED uses the same test (`isReceipted`), so every month shown as
 * BILLED_NOT_CONFIRMED past its allocation deadline has its alert.
 */
export const BPJS_COVERAGE = ['CONFIRMED', 'BILLED_NOT_CONFIRMED', 'NOT_BILLED'] as const;
export type BpjsCoverage = (typeof BPJS_COVERAGE)[number];

/** What BPJS's answer says of the worker-month: its status, not in the answer, or no answer for the month. */
export type BpjsAnswer = 'DITERIMA' | 'DITOLAK' | 'NOT_IN_ANSWER' | 'NO_ANSWER';

export type ConfirmedCoverage = {
  readonly bpjs: BpjsCoverage;
  readonly answer: BpjsAnswer;
  /** Rupiah BPJS received for the worker-month (0 unless DITERIMA). */
  readonly receipted: Rupiah;
};

/** Whether a confirmation line receipts the worker-month: DITERIMA with rupiah received. */
export const isReceipted = (line: ConfirmationLine | undefined): boolean =>
  line !== undefined && line.status === 'DITERIMA' && line.amount > 0;

/**
 * One worker-month: `billed` whether the worker is on the month's bill, `answered` whether a
 * confirmation file counts for the month, `line` the worker's line in it (if any).
 */
export function confirmedCoverageOf(
  billed: boolean,
  answered: boolean,
  line: ConfirmationLine | undefined,
): ConfirmedCoverage {
  const answer: BpjsAnswer = !answered ? 'NO_ANSWER' : line === undefined ? 'NOT_IN_ANSWER' : line.status;
  const receipted = isReceipted(line) ? (line?.amount ?? 0) : 0;
  const bpjs: BpjsCoverage = !billed ? 'NOT_BILLED' : receipted > 0 ? 'CONFIRMED' : 'BILLED_NOT_CONFIRMED';
  return { bpjs, answer, receipted };
}

/** Labels in Bahasa Indonesia, then English (the CLI table, the console). */
export const BPJS_COVERAGE_TEXT: Readonly<Record<BpjsCoverage, readonly [string, string]>> = {
  CONFIRMED: ['dikonfirmasi BPJS', 'confirmed by BPJS'],
  BILLED_NOT_CONFIRMED: ['ditagih, belum dikonfirmasi BPJS', 'billed, not confirmed by BPJS'],
  NOT_BILLED: ['tidak ditagih', 'not billed'],
};

export const BPJS_ANSWER_TEXT: Readonly<Record<BpjsAnswer, readonly [string, string]>> = {
  DITERIMA: ['diterima', 'received'],
  DITOLAK: ['ditolak BPJS', 'refused by BPJS'],
  NOT_IN_ANSWER: ['tidak ada di jawaban BPJS', 'missing from BPJS’s answer'],
  NO_ANSWER: ['jawaban BPJS belum masuk', 'BPJS’s answer not in yet'],
};
