import type { Words } from './alert-kinds.ts';

/**
 * Codes people see as words, in Bahasa Indonesia and English: a file's outcome, an allocation run's
 * state, a month's reconciliation state. The console shows these, never the codes; the codes stay in
 * the API and the CSVs. Import-free except for the type, so the browser bundle takes it as it is.
 */

export const FILE_STATUS_WORDS: Readonly<Record<string, Words>> = {
  PROCESSING: { id: 'Sedang diproses', en: 'Processing' },
  ACCEPTED: { id: 'Diterima seluruhnya', en: 'Accepted in full' },
  PARTIALLY_REJECTED: {
    id: 'Diterima sebagian, ada baris ditolak',
    en: 'Partly accepted, some lines rejected',
  },
  REJECTED: { id: 'Ditolak seluruhnya', en: 'Rejected in full' },
  DUPLICATE: {
    id: 'Sama dengan berkas sebelumnya (tidak dihitung lagi)',
    en: 'Same as an earlier file (not counted again)',
  },
  SUPERSEDED: { id: 'Digantikan berkas yang lebih baru', en: 'Replaced by a newer file' },
  PENDING_CONFIRMATION: {
    id: 'Menunggu konfirmasi Anda (mengurangi dana)',
    en: 'Waiting for your confirmation (removes money)',
  },
  WITHDRAWN: { id: 'Dibatalkan', en: 'Withdrawn' },
  EXPIRED: { id: 'Kedaluwarsa, tidak dikonfirmasi', en: 'Expired, not confirmed' },
};

export const RUN_STATE_WORDS: Readonly<Record<string, Words>> = {
  RUNNING: { id: 'Sedang berjalan', en: 'Running' },
  STALLED: { id: 'Macet', en: 'Stalled' },
  COMPLETED_NO_OUTPUTS: { id: 'Selesai, tagihan belum ditulis', en: 'Completed, bill not written' },
  DONE: { id: 'Selesai', en: 'Done' },
  ABORTED: { id: 'Dihentikan operator', en: 'Aborted by an operator' },
};

/** The priority a worker was funded under (allocation policy). */
export const PRIORITY_WORDS: Readonly<Record<string, Words>> = {
  EARMARK: { id: 'Pilihan donatur', en: 'Earmarked by a donor' },
  ACTIVE: { id: 'Peserta aktif', en: 'Active member' },
  WAITLIST: { id: 'Dari daftar tunggu', en: 'From the waitlist' },
};

/** The programmes (tiers) a worker is covered for. */
export const TIER_WORDS: Readonly<Record<string, Words>> = {
  JKK_JKM: { id: 'JKK + JKM', en: 'JKK + JKM' },
  JKK_JKM_JHT: { id: 'JKK + JKM + JHT', en: 'JKK + JKM + JHT' },
};
