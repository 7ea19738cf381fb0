import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeNik,
  makeNip,
  NIK_REASONS,
  NIP_REASONS,
  validateAgencyCode,
  validateKpj,
  validateNik,
  validateNip,
  validatePoolCode,
} from '#domain/identifiers.ts';
import { HOSTILE_INPUTS, nearDigits, unicodeText } from './hostile-inputs.ts';

const TODAY = new Date('2026-03-01T03:00:00Z');
const reasonOf = (r: { ok: boolean; reason?: string }) => (r.ok ? 'OK' : r.reason);
const isoDate = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
const garbage = fc.oneof(fc.anything({ maxDepth: 1 }), unicodeText(), nearDigits());

describe('validateNip', () => {
  it('accepts the example NIP of docs/design.md, with inner spaces tolerated', () => {
    expect(validateNip('198609262015051001', TODAY)).toEqual({ ok: true, value: '198609262015051001' });
    expect(validateNip(' 19860926 201505 1 001 ', TODAY)).toEqual({ ok: true, value: '198609262015051001' });
    // Excel's text marker, dots or dashes between groups, a trailing `.0`.
    for (const text of [
      "'198609262015051001",
      '19860926.201505.1.001',
      '1986-09-26-2015051001',
      '198609262015051001.0',
    ]) {
      expect(validateNip(text, TODAY)).toEqual({ ok: true, value: '198609262015051001' });
    }
    expect(validateNip('197001012000122999', TODAY)).toEqual({ ok: true, value: '197001012000122999' });
  });

  it.each([
    ['', 'NIP_EMPTY'],
    ['   ', 'NIP_EMPTY'],
    [undefined, 'NIP_EMPTY'],
    ['19860926201505100', 'NIP_FORMAT'],
    ['1986092620150510011', 'NIP_FORMAT'],
    ['1986-09-26--2015051001', 'NIP_FORMAT'], // a doubled separator is not a digit group
    ['1,98609E+17', 'NIP_EXCEL_NUMBER'],
    ['1.98609262015051E+17', 'NIP_EXCEL_NUMBER'],
    [198609262015051000, 'NIP_FORMAT'], // a spreadsheet number: already lost its last digit
    ['１９８６０９２６２０１５０５１００１', 'NIP_FORMAT'],
    ['198602302015051001', 'NIP_BIRTH_DATE'], // 30 February
    ['198613262015051001', 'NIP_BIRTH_DATE'],
    ['193912312015051001', 'NIP_BIRTH_DATE'], // before 1940
    ['202701012015051001', 'NIP_BIRTH_DATE'], // in the future
    ['198609262015131001', 'NIP_APPOINTMENT_DATE'], // month 13
    ['198609262015001001', 'NIP_APPOINTMENT_DATE'],
    ['198609262003051001', 'NIP_APPOINTMENT_DATE'], // appointed at 16
    ['198609262030011001', 'NIP_APPOINTMENT_DATE'], // years ahead of today
    ['198609262015053001', 'NIP_GENDER'],
    ['198609262015050001', 'NIP_GENDER'],
    ['198609262015051000', 'NIP_SEQUENCE'],
  ])('%j -> %s', (input, reason) => {
    expect(reasonOf(validateNip(input, TODAY))).toBe(reason);
  });

  it('rejects hostile input and garbage, never throws', () => {
    for (const input of HOSTILE_INPUTS) expect(validateNip(input, TODAY).ok).toBe(false);
    fc.assert(
      fc.property(garbage, (input) => {
        const result = validateNip(input, TODAY);
        if (result.ok) expect(result.value).toMatch(/^[0-9]{18}$/);
        else expect(NIP_REASONS).toContain(result.reason);
      }),
    );
  });

  it('makeNip always builds a NIP that validates to itself', () => {
    fc.assert(
      fc.property(
        isoDate('1940-01-01', '2007-12-31'),
        fc.integer({ min: 17 * 12, max: 40 * 12 }),
        fc.constantFrom(1 as const, 2 as const),
        fc.integer({ min: 1, max: 999 }),
        (birth, ageMonths, gender, seq) => {
          // Appointed 17-40 years after birth, but never after today's month (births end in 2007).
          const birthIndex = Number(birth.slice(0, 4)) * 12 + Number(birth.slice(5, 7)) - 1;
          const apptIndex = Math.min(birthIndex + ageMonths, 2026 * 12 + 2);
          const appointment = `${Math.floor(apptIndex / 12)}-${String((apptIndex % 12) + 1).padStart(2, '0')}`;
          const nip = makeNip({ birth, appointment, gender, seq });
          expect(validateNip(nip, TODAY)).toEqual({ ok: true, value: nip });
          expect(nip.slice(0, 8)).toBe(birth.replaceAll('-', ''));
          expect(nip.slice(8, 14)).toBe(appointment.replace('-', ''));
          expect(nip.charAt(14)).toBe(String(gender));
          expect(Number(nip.slice(15))).toBe(seq);
        },
      ),
    );
  });

  it("judges against the date it is given (the caller's clock)", () => {
    expect(validateNip('198609262015051001', new Date()).ok).toBe(true);
    expect(reasonOf(validateNip('209901012015051001', new Date()))).toBe('NIP_BIRTH_DATE');
  });
});

describe('validateNik', () => {
  const man = makeNik({ regency: '15.04', district: '01', birth: '1990-07-01', female: false, seq: 1 });
  const woman = makeNik({ regency: '15.04', district: '03', birth: '1990-07-01', female: true, seq: 12 });

  it('reads gender, birth date and regency', () => {
    expect(man).toBe('1504010107900001');
    expect(woman).toBe('1504034107900012');
    expect(validateNik(man, TODAY)).toEqual({
      ok: true,
      value: { nik: man, gender: 'L', birthDate: '1990-07-01', regency: '15.04' },
    });
    expect(validateNik(` ${woman} `, TODAY)).toEqual({
      ok: true,
      value: { nik: woman, gender: 'P', birthDate: '1990-07-01', regency: '15.04' },
    });
  });

  it('chooses the century relative to today', () => {
    // 01-03-26 is today (2026-03-01): 2026. 02-03-26 would be tomorrow: 1926.
    expect(validateNik('1504010103260001', TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '2026-03-01' },
    });
    expect(validateNik('1504010203260001', TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '1926-03-02' },
    });
    expect(validateNik('1504010101050001', TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '2005-01-01' },
    });
    // 29-02-00: 2000 is a leap year.
    expect(validateNik('1504012902000001', TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '2000-02-29' },
    });
  });

  it.each([
    ['', 'NIK_EMPTY'],
    [null, 'NIK_EMPTY'],
    ['150401010790001', 'NIK_FORMAT'],
    ['15040101079000011', 'NIK_FORMAT'],
    ['1504 0101 0790 000', 'NIK_FORMAT'],
    ['1,50401E+15', 'NIK_EXCEL_NUMBER'],
    [1504010107900001, 'NIK_FORMAT'],
    ['1004010107900001', 'NIK_REGION'], // no province 10
    ['2004010107900001', 'NIK_REGION'],
    ['9904010107900001', 'NIK_REGION'],
    ['1500010107900001', 'NIK_REGION'],
    ['1504000107900001', 'NIK_REGION'],
    ['1504010013900001', 'NIK_BIRTH_DATE'], // month 13
    ['1504013202900001', 'NIK_BIRTH_DATE'], // day 32
    ['1504017202900001', 'NIK_BIRTH_DATE'], // day 72 (32 for a woman)
    ['1504014002900001', 'NIK_BIRTH_DATE'], // day 40 (0 for a woman)
    ['1504010000900001', 'NIK_BIRTH_DATE'],
    ['1504012902010001', 'NIK_BIRTH_DATE'], // 29-02-2001
    ['1504010107900000', 'NIK_SEQUENCE'],
  ])('%j -> %s', (input, reason) => {
    expect(reasonOf(validateNik(input, TODAY))).toBe(reason);
  });

  it('rejects hostile input and garbage, never throws', () => {
    for (const input of HOSTILE_INPUTS) expect(validateNik(input, TODAY).ok).toBe(false);
    fc.assert(
      fc.property(garbage, (input) => {
        const result = validateNik(input, TODAY);
        if (result.ok) expect(result.value.nik).toMatch(/^[0-9]{16}$/);
        else expect(NIK_REASONS).toContain(result.reason);
      }),
    );
  });

  it('makeNik always builds a NIK that validates and round-trips its fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('15.01', '15.04', '15.72', '11.01', '97.05'),
        fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0')),
        isoDate('1927-03-02', '2026-03-01'),
        fc.boolean(),
        fc.integer({ min: 1, max: 9999 }),
        (regency, district, birth, female, seq) => {
          const nik = makeNik({ regency, district, birth, female, seq });
          expect(validateNik(nik, TODAY)).toEqual({
            ok: true,
            value: { nik, gender: female ? 'P' : 'L', birthDate: birth, regency },
          });
          expect(nik.slice(4, 6)).toBe(district);
          expect(Number(nik.slice(12))).toBe(seq);
        },
      ),
    );
  });
});

describe('validateKpj', () => {
  it('accepts 11 digits or blank', () => {
    expect(validateKpj('12345678901')).toEqual({ ok: true, value: '12345678901' });
    expect(validateKpj(' 12345678901 ')).toEqual({ ok: true, value: '12345678901' });
    expect(validateKpj(12345678901)).toEqual({ ok: true, value: '12345678901' });
    expect(validateKpj('')).toEqual({ ok: true, value: undefined });
    expect(validateKpj('  ')).toEqual({ ok: true, value: undefined });
    expect(validateKpj(undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each(['1234567890', '123456789012', '1234567890a', '١٢٣٤٥٦٧٨٩٠١', '=HYPERLINK("x")', 1e30, 12345.5])(
    'rejects %j',
    (input) => {
      expect(validateKpj(input)).toMatchObject({ ok: false, reason: 'KPJ_FORMAT' });
    },
  );

  it('rejects every non-blank hostile input', () => {
    const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
    for (const input of HOSTILE_INPUTS.filter((v) => !blank(v))) expect(validateKpj(input).ok).toBe(false);
  });

  it('never throws; anything accepted is blank or 11 digits', () => {
    fc.assert(
      fc.property(garbage, (input) => {
        const result = validateKpj(input);
        if (result.ok && result.value !== undefined) expect(result.value).toMatch(/^[0-9]{11}$/);
      }),
    );
  });
});

describe('validatePoolCode and validateAgencyCode', () => {
  it.each(['15', '15.04', '15.04.01', '15.04.01.2001', '15.72', '97.01'])('pool %s is valid', (code) => {
    expect(validatePoolCode(code)).toEqual({ ok: true, value: code });
  });

  it.each([
    '',
    '1',
    '10',
    '15.4',
    '15.04.1',
    '15.04.01.201',
    '15.00',
    '15.04.00',
    '15.04.01.0000',
    '1504',
    '15-04',
    15,
  ])('pool %j is invalid', (code) => {
    expect(validatePoolCode(code)).toMatchObject({ ok: false, reason: 'POOL_INVALID' });
  });

  it.each(['DINKES', 'dinas-pendidikan.01', '1.02.03', 'A'.repeat(40)])('agency %s is valid', (code) => {
    expect(validateAgencyCode(code)).toEqual({ ok: true, value: code });
  });

  it.each(['', 'A'.repeat(41), 'DINAS KESEHATAN', 'x/../y', 'OPD_1', '=1+1', "a'; --"])(
    'agency %j is invalid',
    (code) => {
      expect(validateAgencyCode(code)).toMatchObject({ ok: false, reason: 'AGENCY_INVALID' });
    },
  );

  it('reject hostile input and never throw', () => {
    for (const input of HOSTILE_INPUTS) {
      expect(validatePoolCode(input).ok).toBe(false);
      // Agency codes are opaque: `NaN` or `1e5` are legal codes, but nothing outside the charset is.
      const plainCode = typeof input === 'string' && /^[A-Za-z0-9.-]{1,40}$/.test(input);
      expect(validateAgencyCode(input).ok).toBe(plainCode);
    }
    fc.assert(
      fc.property(garbage, (input) => {
        const pool = validatePoolCode(input);
        if (pool.ok) expect(pool.value).toMatch(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/);
        const agency = validateAgencyCode(input);
        if (agency.ok) expect(agency.value).toMatch(/^[A-Za-z0-9.-]{1,40}$/);
      }),
    );
  });
});
