/**
 * Property tests of the cell normalisers (docs/intake.md#cells-as-people-write-them): each reads back what the product itself writes
 * (and the other spellings of the same value), never throws, and answers either a canonical value or
 * its reason code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDateCell, readPeriodCell } from '#domain/calendar-text.ts';
import {
  makeNik,
  makeNip,
  normaliseIdText,
  validateKpj,
  validateNik,
  validateNip,
} from '#domain/identifiers.ts';
import { formatNumberId, formatRupiah, MAX_ROW_AMOUNT, parseRupiah } from '#domain/money.ts';
import { formatDateId, formatPeriodId } from '#domain/period.ts';
import { parseTier } from '#shared/intake/worker-rows.ts';
import { nearDigits, unicodeText } from './hostile-inputs.ts';

const TODAY = new Date('2026-03-01T03:00:00Z');
const anyText = fc.oneof(fc.string(), unicodeText(), nearDigits());
const period = fc
  .record({ y: fc.integer({ min: 2000, max: 2100 }), m: fc.integer({ min: 1, max: 12 }) })
  .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}`);
const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('readPeriodCell', () => {
  it.each([
    ['2026-01', '2026-01'],
    ['2026-1', '2026-01'],
    ['2026/01', '2026-01'],
    ['01/2026', '2026-01'],
    ['1/2026', '2026-01'],
    ['01-2026', '2026-01'],
    ['Januari 2026', '2026-01'],
    ['JANUARI 2026', '2026-01'],
    ['Jan-26', '2026-01'],
    ['Jan 2026', '2026-01'],
    ['jan.26', '2026-01'],
    ['Agt 2026', '2026-08'],
    ['Okt-26', '2026-10'],
    ['Desember 2026', '2026-12'],
    ['May-26', '2026-05'],
    ['01/01/2026', '2026-01'],
    ['2026-01-01', '2026-01'],
    ['1 Januari 2026', '2026-01'],
  ])('reads %j as %s', (text, expected) => {
    expect(readPeriodCell(text)).toEqual({ ok: true, value: expected });
  });

  it('reads an Excel serial only from an XLSX', () => {
    expect(readPeriodCell('46023', { serials: true })).toEqual({ ok: true, value: '2026-01' });
    expect(readPeriodCell('46023').ok).toBe(false);
  });

  it.each([
    '2026-13',
    '13/2026',
    '1-26',
    '26-01',
    '15/01/2026',
    '2026-01-15',
    'Jan',
    'Juni',
    'Foo 2026',
    '1999-12',
    '2026',
    '',
  ])('rejects the ambiguous or impossible %j', (text) => {
    expect(readPeriodCell(text)).toEqual({ ok: false, reason: 'PERIOD_INVALID' });
  });

  it('round-trips every period in the forms the product and Excel write', () => {
    fc.assert(
      fc.property(period, (p) => {
        const [y, m] = [p.slice(0, 4), Number(p.slice(5, 7))];
        for (const text of [p, formatPeriodId(p), `${m}/${y}`, `${p}-01`]) {
          expect(readPeriodCell(text)).toEqual({ ok: true, value: p });
        }
        // Excel's mmm-yy: 2-digit years are 20YY.
        if (y < '2100')
          expect(readPeriodCell(`${MONTHS_EN[m - 1]}-${y.slice(2)}`)).toEqual({ ok: true, value: p });
      }),
    );
  });

  it('never throws, and accepts only canonical periods', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, serials) => {
        const r = readPeriodCell(text, { serials });
        if (r.ok) expect(r.value).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
        else expect(r.reason).toBe('PERIOD_INVALID');
      }),
    );
  });
});

describe('readDateCell', () => {
  it.each([
    ['2025-07-01', '2025-07-01'],
    ['01/07/2025', '2025-07-01'],
    ['1/7/2025', '2025-07-01'],
    ['1-7-2025', '2025-07-01'],
    ['1 Juli 2025', '2025-07-01'],
    ['01-Jul-2025', '2025-07-01'],
    ['17 Agustus 2025', '2025-08-17'],
    ['2025-07-01 00:00:00', '2025-07-01'],
  ])('reads %j as %s', (text, expected) => {
    expect(readDateCell(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['2025-02-29', '31/06/2025', '1/7/25', '07/01', 'Juli 2025', '1 Foo 2025', '2025-07-01 10:30'])(
    'rejects %j',
    (text) => {
      expect(readDateCell(text)).toEqual({ ok: false, reason: 'DATE_INVALID' });
    },
  );

  it('round-trips every date in the forms the product writes', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        const dmy = `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
        for (const text of [d, formatDateId(d), dmy])
          expect(readDateCell(text)).toEqual({ ok: true, value: d });
      }),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, serials) => {
        const r = readDateCell(text, { serials });
        if (r.ok) expect(r.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});

describe('rupiah in every grouping', () => {
  it('round-trips every amount written Indonesian, English, spaced, with a zero fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ROW_AMOUNT }), (n) => {
        const dots = formatNumberId(n);
        const commas = dots.replaceAll('.', ',');
        for (const text of [
          formatRupiah(n),
          `${n}.00`,
          `${dots},00`,
          `${commas}.00`,
          `Rp ${dots},-`,
          `IDR ${dots}`,
        ]) {
          expect(parseRupiah(text)).toEqual({ ok: true, value: n });
        }
        if (n >= 1000) expect(parseRupiah(commas)).toEqual({ ok: true, value: n });
      }),
    );
  });

  it('rejects every non-zero fraction as sen, in both conventions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ROW_AMOUNT }), fc.integer({ min: 1, max: 99 }), (n, sen) => {
        const s = String(sen).padStart(2, '0');
        expect(parseRupiah(`${n}.${s}`)).toEqual({ ok: false, reason: 'AMOUNT_HAS_SEN' });
        expect(parseRupiah(`${formatNumberId(n)},${s}`)).toEqual({ ok: false, reason: 'AMOUNT_HAS_SEN' });
      }),
    );
  });
});

describe('identifiers as people and Excel write them', () => {
  const nip = fc
    .record({
      birth: fc
        .date({
          min: new Date('1960-01-01T00:00:00Z'),
          max: new Date('1990-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
      gender: fc.constantFrom(1 as const, 2 as const),
      seq: fc.integer({ min: 1, max: 999 }),
    })
    .map(({ birth, gender, seq }) => makeNip({ birth, appointment: '2015-05', gender, seq }));

  it('reads a NIP in its official spaced form, with the text marker, dashed or dotted', () => {
    fc.assert(
      fc.property(nip, fc.constantFrom(' ', '.', '-'), (n, sep) => {
        const grouped = [n.slice(0, 8), n.slice(8, 14), n.slice(14, 15), n.slice(15)].join(sep);
        for (const text of [n, `'${n}`, grouped, ` ${grouped} `, `${n}.0`]) {
          expect(validateNip(text, TODAY)).toEqual({ ok: true, value: n });
        }
        const scientific = `${n[0]},${n.slice(1, 6)}E+17`;
        expect(validateNip(scientific, TODAY)).toEqual({ ok: false, reason: 'NIP_EXCEL_NUMBER' });
      }),
    );
  });

  it('reads a NIK in 4-digit groups', () => {
    const nik = makeNik({ regency: '15.04', district: '01', birth: '1985-07-01', female: true, seq: 1 });
    const groups = nik.match(/\d{4}/g)?.join(' ') ?? '';
    expect(validateNik(groups, TODAY)).toMatchObject({ ok: true, value: { nik } });
    expect(validateNik(`'${nik}`, TODAY)).toMatchObject({ ok: true, value: { nik } });
    expect(validateKpj('1,23457E+10')).toEqual({ ok: false, reason: 'KPJ_EXCEL_NUMBER' });
  });

  it('normaliseIdText never throws', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(['empty', 'excel-number', 'text']).toContain(normaliseIdText(text).kind);
      }),
    );
  });
});

describe('parseTier', () => {
  it.each([
    ['JKK_JKM', 'JKK_JKM'],
    ['jkk_jkm_jht', 'JKK_JKM_JHT'],
    ['JKK JKM', 'JKK_JKM'],
    ['JKK+JKM', 'JKK_JKM'],
    ['jkk + jkm + jht', 'JKK_JKM_JHT'],
    [' Jkk-Jkm ', 'JKK_JKM'],
  ])('reads %j as %s', (text, tier) => {
    expect(parseTier(text)).toBe(tier);
  });

  it('reads back every tier however it is spaced or cased', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JKK_JKM', 'JKK_JKM_JHT'),
        fc.constantFrom(' ', '+', '-', ' + ', '_'),
        fc.boolean(),
        (tier, sep, lower) => {
          const text = tier.replaceAll('_', sep);
          expect(parseTier(lower ? text.toLowerCase() : text)).toBe(tier);
        },
      ),
    );
  });
});
