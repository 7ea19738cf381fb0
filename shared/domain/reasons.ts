/**
 * Every rejection reason, as a sentence a payroll treasurer (Indonesian) or an auditor (English) can
 * act on. Outcomes and reports carry the code; this catalogue turns it into words. Append new codes
 * here rather than writing messages inline.
 */
export type ReasonText = { readonly id: string; readonly en: string };

export const REASONS = {
  // Money
  AMOUNT_EMPTY: { id: 'Jumlah kosong.', en: 'The amount is empty.' },
  AMOUNT_INVALID: {
    id: 'Jumlah tidak dapat dibaca; tulis rupiah bulat, misalnya 16800 atau Rp16.800.',
    en: 'The amount cannot be read; write whole rupiah, e.g. 16800 or Rp16.800.',
  },
  AMOUNT_HAS_SEN: {
    id: 'Jumlah memuat sen; hanya rupiah bulat yang diterima.',
    en: 'The amount has sen; only whole rupiah are accepted.',
  },
  AMOUNT_NEGATIVE: { id: 'Jumlah negatif.', en: 'The amount is negative.' },
  AMOUNT_ZERO: { id: 'Jumlah nol.', en: 'The amount is zero.' },
  AMOUNT_TOO_LARGE: {
    id: 'Jumlah melebihi batas Rp10.000.000 per baris.',
    en: 'The amount exceeds the limit of Rp10,000,000 per row.',
  },
  // Dates and periods
  PERIOD_INVALID: {
    id: 'Periode tidak valid; gunakan format YYYY-MM.',
    en: 'The period is invalid; use YYYY-MM.',
  },
  DATE_INVALID: {
    id: 'Tanggal tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY.',
    en: 'The date is invalid; use YYYY-MM-DD or DD/MM/YYYY.',
  },
  // NIP (donor)
  NIP_EMPTY: { id: 'NIP kosong.', en: 'The NIP is empty.' },
  NIP_FORMAT: { id: 'NIP harus 18 angka.', en: 'The NIP must be 18 digits.' },
  NIP_EXCEL_NUMBER: {
    id: 'Excel mengubah NIP menjadi angka (misalnya 1,97503E+17) dan digit terakhirnya hilang. Format kolom NIP sebagai Teks, ketik ulang NIP lengkap 18 angka, lalu kirim ulang berkas.',
    en: 'Excel turned the NIP into a number (e.g. 1.97503E+17) and its last digits are lost. Format the NIP column as Text, type the full 18-digit NIP again and resend the file.',
  },
  NIP_BIRTH_DATE: {
    id: 'Tanggal lahir dalam NIP tidak valid.',
    en: 'The birth date inside the NIP is not valid.',
  },
  NIP_APPOINTMENT_DATE: {
    id: 'TMT pengangkatan dalam NIP tidak valid.',
    en: 'The appointment month inside the NIP is not valid.',
  },
  NIP_GENDER: {
    id: 'Kode jenis kelamin dalam NIP harus 1 atau 2.',
    en: 'The gender digit of the NIP must be 1 or 2.',
  },
  NIP_SEQUENCE: { id: 'Nomor urut NIP tidak boleh 000.', en: 'The NIP sequence number cannot be 000.' },
  // NIK (worker)
  NIK_EMPTY: { id: 'NIK kosong.', en: 'The NIK is empty.' },
  NIK_FORMAT: { id: 'NIK harus 16 angka.', en: 'The NIK must be 16 digits.' },
  NIK_EXCEL_NUMBER: {
    id: 'Excel mengubah NIK menjadi angka (misalnya 1,50401E+15) dan digit terakhirnya hilang. Format kolom NIK sebagai Teks, ketik ulang NIK lengkap 16 angka, lalu kirim ulang berkas.',
    en: 'Excel turned the NIK into a number (e.g. 1.50401E+15) and its last digits are lost. Format the NIK column as Text, type the full 16-digit NIK again and resend the file.',
  },
  NIK_REGION: {
    id: 'Kode wilayah dalam NIK tidak dikenal.',
    en: 'The region code inside the NIK is unknown.',
  },
  NIK_BIRTH_DATE: {
    id: 'Tanggal lahir dalam NIK tidak valid.',
    en: 'The birth date inside the NIK is not valid.',
  },
  NIK_SEQUENCE: { id: 'Nomor urut NIK tidak boleh 0000.', en: 'The NIK sequence number cannot be 0000.' },
  // Other identifiers
  KPJ_FORMAT: {
    id: 'Nomor KPJ harus 11 angka atau dikosongkan.',
    en: 'The KPJ number must be 11 digits or blank.',
  },
  KPJ_EXCEL_NUMBER: {
    id: 'Excel mengubah nomor KPJ menjadi angka (misalnya 1,23457E+10). Format kolom KPJ sebagai Teks, ketik ulang 11 angka, lalu kirim ulang berkas.',
    en: 'Excel turned the KPJ number into a number (e.g. 1.23457E+10). Format the KPJ column as Text, type the 11 digits again and resend the file.',
  },
  POOL_INVALID: {
    id: 'Kode wilayah pool tidak valid; gunakan kode Kemendagri seperti 15.04.',
    en: 'The pool code is invalid; use a Kemendagri area code such as 15.04.',
  },
  AGENCY_INVALID: {
    id: 'Kode OPD tidak valid; hanya huruf, angka, titik dan tanda hubung, maksimal 40 karakter.',
    en: 'The agency code is invalid; only letters, digits, dots and hyphens, at most 40 characters.',
  },
  // Whole-file problems
  HEADER_MISSING: { id: 'Baris judul kolom tidak ditemukan.', en: 'The header row is missing.' },
  COLUMN_MISSING: { id: 'Kolom wajib tidak ada.', en: 'A required column is missing.' },
  COLUMN_DUPLICATED: { id: 'Ada kolom yang muncul dua kali.', en: 'A column appears twice.' },
  FILE_EMPTY: { id: 'Berkas kosong.', en: 'The file is empty.' },
  SHEET_AMBIGUOUS: {
    id: 'Lebih dari satu lembar terlihat berisi daftar potongan; tidak jelas mana yang dibaca.',
    en: 'More than one visible sheet holds a list; which one to read is unclear.',
  },
  FILE_NOT_TABULAR: {
    id: 'Berkas bukan tabel CSV atau XLSX yang dapat dibaca.',
    en: 'The file is not a readable CSV or XLSX table.',
  },
  FILE_ENCODING: { id: 'Berkas bukan teks UTF-8.', en: 'The file is not UTF-8 text.' },
  CONTROL_TOTAL_MISMATCH: {
    id: 'Total kontrol (jumlah baris atau jumlah rupiah) tidak cocok dengan isi berkas.',
    en: 'The control totals (row count or sum) do not match the file contents.',
  },
  KEY_INVALID: {
    id: 'Lokasi berkas tidak sesuai pola incoming/<jenis>/<pool>/...; berkas tidak diproses.',
    en: 'The file location does not match incoming/<kind>/<pool>/...; the file was not processed.',
  },
  PERIOD_MISMATCH: {
    id: 'Periode pada baris berbeda dengan periode yang Anda pilih saat mengunggah. Perbaiki periode baris itu, atau unggah berkas pada periode yang benar.',
    en: "The row's period differs from the period you chose when uploading. Correct the row's period, or upload the file under the right period.",
  },
  DUPLICATE_ROW: { id: 'Baris ganda dalam berkas yang sama.', en: 'Duplicate row within the same file.' },
  ROW_COLUMN_COUNT: {
    id: 'Jumlah kolom pada baris ini tidak sama dengan baris judul.',
    en: 'This row has a different number of columns than the header.',
  },
  FIELD_TOO_LONG: { id: 'Isi kolom terlalu panjang.', en: 'A field value is too long.' },
  AGENCY_OTHER_POOL: {
    id: 'OPD ini sudah terdaftar pada pool wilayah lain; seluruh berkas ditolak.',
    en: 'This agency is registered to another pool; the whole file is rejected.',
  },
  NAME_MISSING: { id: 'Nama kosong.', en: 'The name is empty.' },
  TIER_INVALID: {
    id: 'Paket harus JKK_JKM atau JKK_JKM_JHT.',
    en: 'The package must be JKK_JKM or JKK_JKM_JHT.',
  },
  SOURCE_INVALID: {
    id: 'Sumber dana harus APBD, BKBK, CSR atau OTHER.',
    en: 'The funding source must be APBD, BKBK, CSR or OTHER.',
  },
  REFERENCE_MISSING: { id: 'Referensi hibah kosong.', en: 'The grant reference is empty.' },
  REFERENCE_DUPLICATE: {
    id: 'Referensi hibah sudah pernah dipakai pada pool ini.',
    en: 'The grant reference has already been used in this pool.',
  },
  WORKER_EXITED: { id: 'Pekerja sudah keluar dari program.', en: 'The worker has exited the programme.' },
  WORKER_UNKNOWN: {
    id: 'Pekerja dengan NIK ini tidak terdaftar.',
    en: 'No worker is registered with this NIK.',
  },
  FORMULA_TEXT: {
    id: 'Isi kolom tampak seperti rumus spreadsheet dan ditolak.',
    en: 'The field looks like a spreadsheet formula and was rejected.',
  },
  // Intake parsing (appended by the intake layer)
  TEXT_INVALID: {
    id: 'Isi kolom memuat karakter yang tidak dapat dibaca (pengodean teks atau karakter kontrol).',
    en: 'The field contains unreadable characters (text encoding or control characters).',
  },
  CONTROL_ROW_MISPLACED: {
    id: 'Baris total kontrol harus menjadi baris terakhir berkas.',
    en: 'The control total row must be the last row of the file.',
  },
  OCCUPATION_MISSING: { id: 'Pekerjaan kosong.', en: 'The occupation is empty.' },
  EXIT_REASON_MISSING: {
    id: 'Tanggal keluar diisi tetapi alasan keluar kosong.',
    en: 'An exit date is given but the exit reason is empty.',
  },
  GRANT_AMOUNT_TOO_LARGE: {
    id: 'Jumlah hibah melebihi batas Rp100.000.000.000 per baris.',
    en: 'The grant amount exceeds the limit of Rp100,000,000,000 per row.',
  },
  // Intake use cases (appended by register-workers)
  FILE_REPLACED: {
    id: 'Berkas ini diganti oleh unggahan yang lebih baru sebelum sempat diproses; unggahan baru yang berlaku.',
    en: 'A newer upload replaced this file before it was processed; the newer upload counts.',
  },
  WORKER_OTHER_POOL: {
    id: 'Pekerja dengan NIK ini sudah terdaftar pada pool wilayah lain.',
    en: 'A worker with this NIK is already enrolled in another pool.',
  },
  // BPJS confirmation files (docs/bpjs-loop.md#the-confirmation-file)
  BPJS_STATUS_INVALID: {
    id: 'Status harus DITERIMA atau DITOLAK.',
    en: 'The status must be DITERIMA (received) or DITOLAK (refused).',
  },
  BPJS_MONTH_MISMATCH: {
    id: 'Bulan pada baris ini bukan bulan berkas (folder incoming/bpjs/<pool>/<bulan>/); kirim baris bulan lain dalam berkasnya sendiri.',
    en: "This row's month is not the file's month (the incoming/bpjs/<pool>/<month>/ folder); send other months in their own file.",
  },
  KPJ_NEW_CONFLICT: {
    id: 'KPJ baru berbeda dengan KPJ pada baris yang sama; isi salah satu saja atau samakan.',
    en: 'The new KPJ differs from the KPJ on the same row; fill one of them, or make them equal.',
  },
  // Whole-file decisions of the intake (docs/intake.md: encoding, periods, withdrawal)
  ENCODING_MIXED: {
    id: 'Pengodean teks berkas tidak dapat ditentukan: sebagian berkas UTF-8, sebagian lagi bukan (misalnya windows-1252). Simpan ulang seluruh berkas sebagai "CSV UTF-8" lalu kirim ulang.',
    en: 'The text encoding of the file cannot be decided: part of it is UTF-8 and part is not (e.g. windows-1252). Save the whole file again as "CSV UTF-8" and resend it.',
  },
  ENCODING_UNKNOWN: {
    id: 'Berkas memuat byte yang bukan teks UTF-8 maupun windows-1252. Simpan ulang berkas sebagai "CSV UTF-8" lalu kirim ulang.',
    en: 'The file holds bytes that are neither UTF-8 nor windows-1252 text. Save it again as "CSV UTF-8" and resend it.',
  },
  PERIOD_IN_FUTURE: {
    id: 'Periode berkas lebih dari satu bulan ke depan; pool hanya menerima sampai bulan depan.',
    en: 'The file period is more than one month ahead; a pool takes files up to next month only.',
  },
  GRANT_PERIOD_TOO_FAR_AHEAD: {
    id: 'Periode hibah lebih dari 12 bulan setelah bulan ini; isi bulan pertama hibah boleh dipakai.',
    en: 'The grant period is more than 12 months after this month; give the first month the grant may fund.',
  },
  PERIOD_BEFORE_PROGRAMME: {
    id: 'Periode berkas sebelum program SERTAKAN dimulai; berkas ini tidak dapat diterima.',
    en: 'The file period is before the SERTAKAN programme started; the file cannot be taken.',
  },
  PERIOD_BEFORE_POOL: {
    id: 'Periode berkas sebelum bulan pertama pool ini. Jika memang potongan terlambat, kirim ulang sebagai koreksi terlambat (--late / folder susulan).',
    en: "The file period is before this pool's first month. If these are late deductions, resend the file as a late correction (--late / the susulan folder).",
  },
  WITHDRAWAL_INVALID: {
    id: 'Permintaan penarikan tidak dapat dibaca: tulis satu baris file_id;alasan;oleh (id berkas 24 karakter, alasan, dan siapa yang meminta).',
    en: 'The withdrawal request cannot be read: write one line file_id;alasan;oleh (the 24-character file id, the reason, and who asks).',
  },
  WITHDRAWAL_NOT_ACTIVE: {
    id: 'Berkas yang diminta ditarik bukan berkas yang berlaku untuk OPD dan periode ini.',
    en: 'The file to withdraw is not the active file of this agency and period.',
  },
  BILL_REFERENCE_MISSING: {
    id: 'Referensi tagihan (SRTK/<pool>/<bulan>) ada di kolom lain, bukan di kolom keterangan; tulis di berita transfer.',
    en: 'The bill reference (SRTK/<pool>/<month>) is in another column, not in the description; write it in the transfer’s remark.',
  },
  CONFIRMATION_EXPIRED: {
    id: 'Berkas pengganti yang mengurangi dana tidak dikonfirmasi dalam batas waktu; tidak ada yang diubah.',
    en: 'The replacement that takes money away was not confirmed in time; nothing was changed.',
  },
} as const satisfies Record<string, ReasonText>;

export type ReasonCode = keyof typeof REASONS;

/**
 * Sharper sentences for particular cases of a reason code: the report keeps the code (what tools and
 * tests match on) and shows the variant's words (what the treasurer must do).
 */
export const REASON_VARIANTS = {
  /** docs/intake.md#several-rows-per-donor: same NIP and same worker (or no worker) twice with different amounts. */
  DUPLICATE_ROW_AMOUNT: {
    id: 'NIP ini sudah ada pada baris lain untuk pekerja yang sama, dengan jumlah berbeda. Gabungkan menjadi satu baris (jumlahkan potongannya), atau pisahkan per pekerja dengan menulis NIK pekerja yang berbeda di kolom NIK_Pekerja.',
    en: 'This NIP already has a row for the same worker with a different amount. Combine them into one row (add the amounts), or split them by worker by writing a different worker NIK in the NIK_Pekerja column.',
  },
} as const satisfies Record<string, ReasonText>;

export type ReasonVariant = keyof typeof REASON_VARIANTS;

/** The sentences of a rejection: its variant's when it has one, else its code's. */
export function describeRejection(code: ReasonCode, variant?: ReasonVariant): ReasonText {
  return variant === undefined ? describe(code) : REASON_VARIANTS[variant];
}

export function isReasonCode(code: unknown): code is ReasonCode {
  return typeof code === 'string' && Object.hasOwn(REASONS, code);
}

/** The sentences for a reason code; an unknown code still yields something readable, never a crash. */
export function describe(code: ReasonCode | (string & {})): ReasonText {
  if (isReasonCode(code)) return REASONS[code];
  return { id: `Ditolak (${code}).`, en: `Rejected (${code}).` };
}
