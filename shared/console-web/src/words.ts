import {
  ALERT_KIND_INFO,
  type AlertDetails,
  causeOf,
  isAlertKind,
  SEVERITY_WORDS,
  type Words,
} from '../../domain/alert-kinds.ts';
import { FILE_STATUS_WORDS, PRIORITY_WORDS, RUN_STATE_WORDS, TIER_WORDS } from '../../domain/status-words.ts';
import { ApiError, ResponseShapeError } from './api.ts';
import { month, rupiah } from './format.ts';
import { lang } from './i18n.ts';

/**
 * Codes as words: every code the API answers with (alert kinds, severities, file outcomes, run states,
 * priorities, error codes) goes through here before a person sees it. The words come from the domain's
 * registries (shared/domain/alert-kinds.ts, status-words.ts); an unknown code, from a newer API, is
 * shown as it is rather than hidden.
 */

export const say = (w: Words): string => (lang() === 'id' ? w.id : w.en);
const from = (table: Readonly<Record<string, Words>>, code: string): string => {
  const w = table[code];
  return w === undefined ? code : say(w);
};

export const kindWord = (k: string): string => (isAlertKind(k) ? say(ALERT_KIND_INFO[k].label) : k);
export const actionWord = (k: string): string => (isAlertKind(k) ? say(ALERT_KIND_INFO[k].action) : '');
export const severityWord = (s: string): string => from(SEVERITY_WORDS, s);
export const fileStatusWord = (s: string): string => from(FILE_STATUS_WORDS, s);
export const runStateWord = (s: string): string => from(RUN_STATE_WORDS, s);
export const priorityWord = (p: string): string => from(PRIORITY_WORDS, p);
export const tierWord = (t: string): string => from(TIER_WORDS, t);
export const causeWord = (kind: string, details: AlertDetails): string =>
  say(causeOf(kind, details, { month, rupiah }));

/** What the person can do about each answer the API may refuse with. */
const ERRORS: Readonly<Record<string, Words>> = {
  FORBIDDEN: {
    id: 'Anda tidak berwenang membuka data ini. Periksa kode pool atau OPD, atau minta administrator memperluas wilayah Anda.',
    en: 'You are not allowed to open this. Check the pool or agency code, or ask the administrator to widen your scope.',
  },
  ACCOUNT_NOT_SET_UP: {
    id: 'Akun Anda belum diberi peran dan wilayah yang sah; hubungi administrator SERTAKAN.',
    en: 'Your account has no valid role and scope yet; ask the SERTAKAN administrator.',
  },
  UNAUTHENTICATED: { id: 'Silakan masuk.', en: 'Please sign in.' },
  TOKEN_EXPIRED: {
    id: 'Sesi Anda sudah berakhir; silakan masuk lagi.',
    en: 'Your session has ended; please sign in again.',
  },
  BAD_REQUEST: {
    id: 'Isian tidak dapat dibaca. Periksa kode pool (mis. 15.04), bulan (TTTT-BB), NIK (16 angka) atau NIP (18 angka), lalu coba lagi.',
    en: 'The input cannot be read. Check the pool code (e.g. 15.04), month (YYYY-MM), NIK (16 digits) or NIP (18 digits) and try again.',
  },
  VALIDATION_FAILED: {
    id: 'Isian tidak sah. Periksa isian Anda lalu coba lagi.',
    en: 'The input is not valid. Check it and try again.',
  },
  MONTH_IN_FUTURE: {
    id: 'Bulan itu belum tiba. Pilih bulan ini atau bulan sebelumnya.',
    en: 'That month has not come yet. Pick this month or an earlier one.',
  },
  DATE_IN_FUTURE: {
    id: 'Tanggal itu belum tiba. Pilih hari ini atau tanggal sebelumnya.',
    en: 'That date has not come yet. Pick today or an earlier date.',
  },
  MONTH_NOT_ALLOCATED: {
    id: 'Bulan itu belum dialokasikan. Pilih bulan yang sudah selesai diproses.',
    en: 'That month has not been allocated yet. Pick a month whose run is done.',
  },
  NOT_FOUND: {
    id: 'Data tidak ditemukan. Periksa kode atau bulan yang Anda pilih.',
    en: 'Nothing found. Check the code or month you picked.',
  },
  POOL_UNKNOWN: {
    id: 'Pool itu tidak dikenal. Periksa kodenya.',
    en: 'That pool is not known. Check its code.',
  },
  DONOR_UNKNOWN: {
    id: 'Tidak ada potongan untuk NIP itu. Periksa 18 angkanya.',
    en: 'No deductions for that NIP. Check its 18 digits.',
  },
  WORKER_UNKNOWN: {
    id: 'Pekerja dengan NIK atau KPJ itu tidak terdaftar di pool ini. Periksa angkanya atau pilih pool lain.',
    en: 'No worker with that NIK or KPJ is enrolled in this pool. Check the number or pick another pool.',
  },
  ALERT_UNKNOWN: {
    id: 'Peringatan itu tidak ada lagi. Muat ulang daftar.',
    en: 'That alert no longer exists. Reload the list.',
  },
  TOKEN_INVALID: {
    id: 'Daftar sudah berubah sejak dimuat. Tampilkan lagi dari awal.',
    en: 'The list changed since it was loaded. Show it again from the start.',
  },
  PAGE_TOO_LARGE: {
    id: 'Permintaan terlalu besar. Persempit bulan atau jenisnya.',
    en: 'The request is too large. Narrow the month or kind.',
  },
  FILE_NOT_PENDING: {
    id: 'Berkas ini tidak lagi menunggu keputusan. Muat ulang halaman.',
    en: 'This file no longer waits for a decision. Reload the page.',
  },
  CONFIRMATION_EXPIRED: {
    id: 'Waktu konfirmasi sudah habis. Unggah berkas itu lagi bila masih perlu.',
    en: 'The time to confirm has run out. Upload the file again if it is still needed.',
  },
  MONTH_CHANGED: {
    id: 'Sudah ada berkas lebih baru untuk bulan ini. Periksa berkas terbaru.',
    en: 'A newer file of this month arrived. Check the latest file.',
  },
  CONFLICT: {
    id: 'Data berubah bersamaan oleh orang lain. Muat ulang halaman lalu coba lagi.',
    en: 'Someone changed this at the same time. Reload the page and try again.',
  },
  UNAVAILABLE: {
    id: 'Layanan sedang sibuk. Coba lagi dalam satu menit.',
    en: 'The service is busy. Try again in a minute.',
  },
  INTERNAL: {
    id: 'Terjadi kesalahan di server. Coba lagi; bila berulang, hubungi dukungan SERTAKAN.',
    en: 'Something went wrong on the server. Try again; if it repeats, contact SERTAKAN support.',
  },
};
const GENERIC: Words = {
  id: 'Terjadi kesalahan. Coba lagi; bila berulang, hubungi dukungan SERTAKAN.',
  en: 'Something went wrong. Try again; if it repeats, contact SERTAKAN support.',
};

/** An answer of the wrong shape (a console older or newer than its API, or a broken answer). */
export const RESPONSE_INVALID: Words = {
  id: 'Jawaban server tidak dapat dibaca: bentuknya tidak seperti yang diharapkan konsol. Muat ulang halaman; bila berulang, hubungi dukungan SERTAKAN.',
  en: 'The server’s answer cannot be read: it is not shaped as the console expects. Reload the page; if it repeats, contact SERTAKAN support.',
};

/** An error as a sentence the person can act on, in the chosen language, never the API's raw text. */
export function errorSentence(err: unknown): string {
  if (err instanceof ResponseShapeError) return say(RESPONSE_INVALID);
  if (!(err instanceof ApiError)) return say(GENERIC);
  const w =
    ERRORS[err.code] ??
    (err.status === 403 ? ERRORS.FORBIDDEN : err.status === 404 ? ERRORS.NOT_FOUND : undefined);
  return say(w ?? GENERIC);
}
