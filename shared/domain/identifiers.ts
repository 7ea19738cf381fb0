/**
 * Validators for the identifiers of docs/design.md#identifiers (NIP, NIK, KPJ, pool and agency codes). Each takes
 * untrusted input (`unknown`) and returns a Result with a reason code; none throws. Numbers are refused
 * for NIP and NIK because 16-18 digit values cannot survive a JS number (or a spreadsheet) intact.
 */
import type { AgencyCode, IsoDate, Period, PoolCode } from './model.ts';
import { isRealDate, jakartaDateOf } from './period.ts';
import { isProvinceCode } from './regions.ts';
import { fail, ok, type Result } from './result.ts';

export const NIP_REASONS = [
  'NIP_EMPTY',
  'NIP_FORMAT',
  'NIP_EXCEL_NUMBER',
  'NIP_BIRTH_DATE',
  'NIP_APPOINTMENT_DATE',
  'NIP_GENDER',
  'NIP_SEQUENCE',
] as const;
export type NipReason = (typeof NIP_REASONS)[number];

export const NIK_REASONS = [
  'NIK_EMPTY',
  'NIK_FORMAT',
  'NIK_EXCEL_NUMBER',
  'NIK_REGION',
  'NIK_BIRTH_DATE',
  'NIK_SEQUENCE',
] as const;
export type NikReason = (typeof NIK_REASONS)[number];

export type NikInfo = { nik: string; gender: 'L' | 'P'; birthDate: IsoDate; regency: string };

const NIP_MIN_BIRTH: IsoDate = '1940-01-01';
/** An ASN is appointed (CPNS) at 18 at the earliest; we allow 17 years to stay lenient on months. */
const NIP_MIN_AGE_MONTHS = 17 * 12;
/** TMT CPNS can be set a little ahead of the decree; more than a year ahead is a typo. */
const NIP_MAX_APPOINTMENT_AHEAD_MONTHS = 12;

/**
 * NIP: birth YYYYMMDD + appointment YYYYMM + gender 1|2 + sequence 001-999 (docs/design.md#identifiers), written any
 * way normaliseIdText reads (`19860926 201505 1 001`, `'198609262015051001`). Returns the 18 digits, or
 * NIP_EMPTY, NIP_EXCEL_NUMBER (Excel's `1,97503E+17`: digits lost), NIP_FORMAT, NIP_BIRTH_DATE,
 * NIP_APPOINTMENT_DATE, NIP_GENDER, NIP_SEQUENCE. `today` (the caller's clock; the domain never reads one) bounds
 * the dates (Asia/Jakarta). Never throws.
 */
export function validateNip(raw: unknown, today: Date): Result<string, NipReason> {
  if (raw === null || raw === undefined) return fail('NIP_EMPTY');
  if (typeof raw !== 'string') return fail('NIP_FORMAT', `expected text, got ${typeof raw}`);
  const read = normaliseIdText(raw);
  if (read.kind === 'empty') return fail('NIP_EMPTY');
  if (read.kind === 'excel-number') return fail('NIP_EXCEL_NUMBER');
  const nip = read.text;
  if (!/^[0-9]{18}$/.test(nip)) return fail('NIP_FORMAT', 'NIP must be 18 digits');

  const birthY = Number(nip.slice(0, 4));
  const birthM = Number(nip.slice(4, 6));
  const birthD = Number(nip.slice(6, 8));
  const birth = `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`;
  const todayDate = jakartaDateOf(today);
  if (!isRealDate(birthY, birthM, birthD) || birth < NIP_MIN_BIRTH || birth > todayDate) {
    return fail('NIP_BIRTH_DATE');
  }

  const apptY = Number(nip.slice(8, 12));
  const apptM = Number(nip.slice(12, 14));
  if (apptM < 1 || apptM > 12) return fail('NIP_APPOINTMENT_DATE');
  const apptIndex = apptY * 12 + apptM - 1;
  const birthIndex = birthY * 12 + birthM - 1;
  const todayIndex = Number(todayDate.slice(0, 4)) * 12 + Number(todayDate.slice(5, 7)) - 1;
  if (apptIndex - birthIndex < NIP_MIN_AGE_MONTHS) return fail('NIP_APPOINTMENT_DATE', 'appointed before 17');
  if (apptIndex - todayIndex > NIP_MAX_APPOINTMENT_AHEAD_MONTHS) return fail('NIP_APPOINTMENT_DATE');

  const gender = nip.charAt(14);
  if (gender !== '1' && gender !== '2') return fail('NIP_GENDER');
  if (nip.slice(15) === '000') return fail('NIP_SEQUENCE');
  return ok(nip);
}

/** What an identifier cell says once the ways people and Excel write digits are taken away. */
export type IdText =
  | { readonly kind: 'empty' }
  /** Scientific notation (`1,97503E+17`, `1.50401E+15`): Excel stored the identifier as a number and kept 15 digits at most. */
  | { readonly kind: 'excel-number' }
  /** The text with separators removed; validators then check its digits. */
  | { readonly kind: 'text'; readonly text: string };

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
const DIGIT_GROUPS = /^\d+(?:[ .-]\d+)*$/;

/**
 * Normalises an identifier cell (NIP, NIK, KPJ; docs/intake.md#cells-as-people-write-them): trims, drops Excel's leading `'` text
 * marker and a trailing `.0`/`,0` after 8 or more digits (a number exported as decimal), and removes single spaces, no-break
 * spaces, dots or dashes between digit groups (`1504 0201 0180 0002`, `19860926.201505.1.001`).
 * Scientific notation is reported as `excel-number`, since its lost digits cannot be recovered.
 * Anything else is returned trimmed and unchanged for the validator to refuse. Never throws.
 */
export function normaliseIdText(raw: string): IdText {
  let text = raw.replace(/[\u00a0\u202f]/g, ' ').trim();
  if (text.startsWith("'")) text = text.slice(1).trim();
  if (text === '') return { kind: 'empty' };
  if (SCIENTIFIC.test(text)) return { kind: 'excel-number' };
  const decimal = /^(\d+)[.,]0+$/.exec(text);
  if (decimal?.[1] !== undefined && decimal[1].length >= 8) return { kind: 'text', text: decimal[1] };
  if (DIGIT_GROUPS.test(text.replace(/ +/g, ' '))) return { kind: 'text', text: text.replace(/[ .-]+/g, '') };
  return { kind: 'text', text };
}

/**
 * NIK: province(2) regency(2) district(2) + DDMMYY (DD+40 for women) + sequence 0001-9999.
 * The century is 20YY unless that date is after `today` (then 19YY); `today` is the caller's clock.
 */
export function validateNik(raw: unknown, today: Date): Result<NikInfo, NikReason> {
  if (raw === null || raw === undefined) return fail('NIK_EMPTY');
  if (typeof raw !== 'string') return fail('NIK_FORMAT', `expected text, got ${typeof raw}`);
  const read = normaliseIdText(raw);
  if (read.kind === 'empty') return fail('NIK_EMPTY');
  if (read.kind === 'excel-number') return fail('NIK_EXCEL_NUMBER');
  const nik = read.text;
  if (!/^[0-9]{16}$/.test(nik)) return fail('NIK_FORMAT', 'NIK must be 16 digits');

  const province = nik.slice(0, 2);
  if (!isProvinceCode(province) || nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') {
    return fail('NIK_REGION');
  }

  const rawDay = Number(nik.slice(6, 8));
  const female = rawDay > 40;
  const day = female ? rawDay - 40 : rawDay;
  const month = Number(nik.slice(8, 10));
  const yy = nik.slice(10, 12);
  const mmdd = `${nik.slice(8, 10)}-${String(day).padStart(2, '0')}`;
  const year = `20${yy}-${mmdd}` <= jakartaDateOf(today) ? 2000 + Number(yy) : 1900 + Number(yy);
  if (!isRealDate(year, month, day)) return fail('NIK_BIRTH_DATE');

  if (nik.slice(12) === '0000') return fail('NIK_SEQUENCE');
  return ok({
    nik,
    gender: female ? 'P' : 'L',
    birthDate: `${year}-${mmdd}`,
    regency: `${province}.${nik.slice(2, 4)}`,
  });
}

/** KPJ: 11 digits, or blank until BPJS has registered the worker (then `ok(undefined)`). */
export function validateKpj(raw: unknown): Result<string | undefined, 'KPJ_FORMAT' | 'KPJ_EXCEL_NUMBER'> {
  if (raw === null || raw === undefined) return ok(undefined);
  // An 11-digit KPJ fits a JS number exactly, so a numeric spreadsheet cell is accepted.
  const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
  if (typeof text !== 'string') return fail('KPJ_FORMAT');
  const read = normaliseIdText(text);
  if (read.kind === 'empty') return ok(undefined);
  if (read.kind === 'excel-number') return fail('KPJ_EXCEL_NUMBER');
  const kpj = read.text;
  return /^[0-9]{11}$/.test(kpj) ? ok(kpj) : fail('KPJ_FORMAT', 'KPJ must be 11 digits');
}

/** Kemendagri area code at any level: `15`, `15.04`, `15.04.01`, `15.04.01.2001`. */
export function validatePoolCode(raw: unknown): Result<PoolCode, 'POOL_INVALID'> {
  if (typeof raw !== 'string') return fail('POOL_INVALID');
  const code = raw.trim();
  const m = /^([0-9]{2})(?:\.([0-9]{2})(?:\.([0-9]{2})(?:\.([0-9]{4}))?)?)?$/.exec(code);
  if (!m || !isProvinceCode(m[1] ?? '')) return fail('POOL_INVALID');
  if ([m[2], m[3], m[4]].some((part) => part !== undefined && Number(part) === 0))
    return fail('POOL_INVALID');
  return ok(code);
}

/** Agency (OPD/SKPD) code: opaque, `[A-Za-z0-9.-]{1,40}`. */
export function validateAgencyCode(raw: unknown): Result<AgencyCode, 'AGENCY_INVALID'> {
  if (typeof raw !== 'string') return fail('AGENCY_INVALID');
  const code = raw.trim();
  return /^[A-Za-z0-9.-]{1,40}$/.test(code) ? ok(code) : fail('AGENCY_INVALID');
}

/** Builds a NIP from its parts (tests, demo data). Throws on parts that cannot form a NIP. */
export function makeNip(parts: { birth: IsoDate; appointment: Period; gender: 1 | 2; seq: number }): string {
  const { birth, appointment, gender, seq } = parts;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birth) || !/^\d{4}-\d{2}$/.test(appointment)) {
    throw new RangeError('makeNip: birth must be YYYY-MM-DD and appointment YYYY-MM');
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999)
    throw new RangeError(`makeNip: seq out of range: ${seq}`);
  return `${birth.replaceAll('-', '')}${appointment.replace('-', '')}${gender}${String(seq).padStart(3, '0')}`;
}

/** Builds a NIK from its parts (tests, demo data). Throws on parts that cannot form a NIK. */
export function makeNik(parts: {
  regency: string;
  district: string;
  birth: IsoDate;
  female: boolean;
  seq: number;
}): string {
  const { regency, district, birth, female, seq } = parts;
  if (!/^\d{2}\.\d{2}$/.test(regency) || !/^\d{2}$/.test(district) || !/^\d{4}-\d{2}-\d{2}$/.test(birth)) {
    throw new RangeError('makeNik: regency must be PP.RR, district DD and birth YYYY-MM-DD');
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 9999)
    throw new RangeError(`makeNik: seq out of range: ${seq}`);
  const day = Number(birth.slice(8, 10)) + (female ? 40 : 0);
  const ddmmyy = `${String(day).padStart(2, '0')}${birth.slice(5, 7)}${birth.slice(2, 4)}`;
  return `${regency.replace('.', '')}${district}${ddmmyy}${String(seq).padStart(4, '0')}`;
}
