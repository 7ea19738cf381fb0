import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import {
  addDays,
  addMonths,
  comparePeriods,
  daysUntil,
  dueDateOf,
  formatDateId,
  formatPeriodId,
  formatPeriodShortId,
  isPeriod,
  jakartaDateOf,
  jakartaEndOfDay,
  jakartaInstant,
  monthsBetween,
  nextPeriod,
  parseIsoDate,
  parsePeriod,
  periodOf,
  previousPeriod,
} from '#domain/period.ts';
import { HOSTILE_INPUTS, unicodeText } from './hostile-inputs.ts';

// Periods whose neighbours (within a few years) stay inside the supported 2000-2100 range.
const period = fc
  .record({ year: fc.integer({ min: 2005, max: 2095 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
const shift = fc.integer({ min: -48, max: 48 });

describe('parsePeriod', () => {
  it.each([
    ['2026-01', '2026-01'],
    ['2026/01', '2026-01'],
    ['01/2026', '2026-01'],
    ['12-2025', '2025-12'],
    [' 2026-07 ', '2026-07'],
    ['2000-01', '2000-01'],
    ['2100-12', '2100-12'],
  ])('reads %j as %s', (input, expected) => {
    expect(parsePeriod(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '2026-13',
    '2026-00',
    '2026-1',
    '1999-12',
    '2101-01',
    '202601',
    '2026-01-15',
    'Januari 2026',
    '2026.01',
    '٢٠٢٦-٠١',
    '2026–01',
  ])('rejects %j', (input) => {
    expect(parsePeriod(input)).toMatchObject({ ok: false, reason: 'PERIOD_INVALID' });
  });

  it('rejects hostile input and never throws', () => {
    for (const input of HOSTILE_INPUTS) expect(parsePeriod(input).ok).toBe(false);
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 1 }), unicodeText()), (input) => {
        const result = parsePeriod(input);
        if (result.ok) expect(isPeriod(result.value)).toBe(true);
      }),
    );
  });

  it('isPeriod accepts only the canonical form', () => {
    expect(isPeriod('2026-01')).toBe(true);
    expect(isPeriod('2026/01')).toBe(false);
    expect(isPeriod('01-2026')).toBe(false);
    expect(isPeriod(202601)).toBe(false);
  });
});

describe('month arithmetic', () => {
  it('crosses year boundaries', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-01', -25)).toBe('2023-12');
    expect(nextPeriod('2025-12')).toBe('2026-01');
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(monthsBetween('2025-07', '2026-01')).toBe(6);
    expect(monthsBetween('2026-01', '2025-07')).toBe(-6);
    expect(comparePeriods('2025-12', '2026-01')).toBe(-1);
    expect(comparePeriods('2026-01', '2026-01')).toBe(0);
    expect(comparePeriods('2026-02', '2026-01')).toBe(1);
  });

  it('addMonths and monthsBetween agree', () => {
    fc.assert(
      fc.property(period, shift, (p, n) => {
        expect(monthsBetween(p, addMonths(p, n))).toBe(n);
        expect(addMonths(addMonths(p, n), -n)).toBe(p);
        expect(addMonths(p, 0)).toBe(p);
        expect(isPeriod(addMonths(p, n))).toBe(true);
      }),
    );
  });

  it('addMonths composes and comparison follows the difference', () => {
    fc.assert(
      fc.property(period, shift, shift, (p, a, b) => {
        expect(addMonths(addMonths(p, a), b)).toBe(addMonths(p, a + b));
      }),
    );
    fc.assert(
      fc.property(period, period, (a, b) => {
        expect(comparePeriods(a, b)).toBe(Math.sign(monthsBetween(b, a)));
        expect(comparePeriods(a, b)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(monthsBetween(a, b) + monthsBetween(b, a)).toBe(0);
        expect(nextPeriod(previousPeriod(a))).toBe(a);
      }),
    );
  });

  it('refuses a non-period rather than computing nonsense', () => {
    expect(() => addMonths('2026-13', 1)).toThrow(ValidationError);
    expect(() => monthsBetween('2026/01', '2026-02')).toThrow(ValidationError);
    expect(() => addMonths('2026-01', 1.5)).toThrow(RangeError);
  });
});

describe('Jakarta calendar', () => {
  it('the due date is the 15th of the coverage month', () => {
    expect(dueDateOf('2026-01')).toBe('2026-01-15');
    expect(dueDateOf('2025-12')).toBe('2025-12-15');
  });

  it('a Jakarta day starts at 17:00 UTC the evening before', () => {
    expect(jakartaDateOf(new Date('2025-12-31T16:59:59.999Z'))).toBe('2025-12-31');
    expect(jakartaDateOf(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
    expect(periodOf(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01');
    expect(periodOf(new Date('2025-12-31T16:00:00Z'))).toBe('2025-12');
    expect(jakartaInstant('2026-01-15').toISOString()).toBe('2026-01-14T17:00:00.000Z');
    expect(jakartaInstant('2026-01-15', 9, 30).toISOString()).toBe('2026-01-15T02:30:00.000Z');
  });

  it('jakartaInstant and jakartaDateOf are inverse at every hour of the day', () => {
    const date = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (d, h, m) => {
        expect(jakartaDateOf(jakartaInstant(d, h, m))).toBe(d);
        expect(daysUntil(jakartaInstant(d, h, m), d)).toBe(0);
      }),
    );
  });

  it('daysUntil counts Jakarta calendar days, negative once past', () => {
    const lateOn14th = jakartaInstant('2026-01-14', 23, 59);
    expect(daysUntil(lateOn14th, '2026-01-15')).toBe(1);
    expect(daysUntil(jakartaInstant('2026-01-16', 0, 1), '2026-01-15')).toBe(-1);
    expect(daysUntil(jakartaInstant('2025-12-31', 12), '2026-03-01')).toBe(60);
    expect(daysUntil(jakartaInstant('2024-02-28'), '2024-03-01')).toBe(2);
  });

  it('refuses an invalid Date', () => {
    expect(() => jakartaDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  // Calendar dates 2000-01-01 .. 2099-12-30, so the day after is still a date periods accept.
  const isoDateBefore2100 = fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-30T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it('jakartaEndOfDay is the last millisecond of the Jakarta day', () => {
    expect(jakartaEndOfDay('2026-03-31').toISOString()).toBe('2026-03-31T16:59:59.999Z');
    fc.assert(
      fc.property(isoDateBefore2100, (d) => {
        const end = jakartaEndOfDay(d);
        expect(jakartaDateOf(end)).toBe(d);
        expect(jakartaDateOf(new Date(end.getTime() + 1))).toBe(addDays(d, 1));
      }),
    );
  });

  it('addDays moves along the calendar, across months, leap days and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-15', 0)).toBe('2026-01-15');
    expect(() => addDays('2026-01-15', 0.5)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(ValidationError);
    fc.assert(
      fc.property(isoDateBefore2100, (d) => {
        // The day before, as the Jakarta date one day's instant earlier.
        expect(addDays(d, -1)).toBe(jakartaDateOf(new Date(jakartaInstant(d).getTime() - 86_400_000)));
        expect(addDays(addDays(d, 1), -1)).toBe(d);
      }),
    );
  });

  it('formatPeriodShortId names the month short, in Indonesian', () => {
    expect(formatPeriodShortId('2026-08')).toBe('Agu');
    expect(formatPeriodShortId('2026-01')).toBe('Jan');
    expect(() => formatPeriodShortId('2026-13')).toThrow(ValidationError);
  });
});

describe('parseIsoDate', () => {
  it.each([
    ['2026-01-15', '2026-01-15'],
    ['15/01/2026', '2026-01-15'],
    ['15-01-2026', '2026-01-15'],
    ['29/02/2024', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    [' 1986-09-26 ', '1986-09-26'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseIsoDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '2025-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '31/12/26',
    '01/31/2026', // US order: month 31 does not exist
    '2026/01/15',
    '15 Januari 2026',
    '1899-12-31',
    '',
  ])('rejects %j', (input) => {
    expect(parseIsoDate(input)).toMatchObject({ ok: false, reason: 'DATE_INVALID' });
  });

  it('never throws and only returns real canonical dates', () => {
    for (const input of HOSTILE_INPUTS) expect(parseIsoDate(input).ok).toBe(false);
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 1 }), unicodeText()), (input) => {
        const result = parseIsoDate(input);
        if (result.ok)
          expect(new Date(`${result.value}T00:00:00Z`).toISOString().slice(0, 10)).toBe(result.value);
      }),
    );
  });

  it('reads day-first and ISO spellings of the same day identically', () => {
    const date = fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2100-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, (iso) => {
        const [y, m, d] = iso.split('-');
        expect(parseIsoDate(iso)).toEqual({ ok: true, value: iso });
        expect(parseIsoDate(`${d}/${m}/${y}`)).toEqual({ ok: true, value: iso });
        expect(parseIsoDate(`${d}-${m}-${y}`)).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe('Indonesian formatting', () => {
  it('formats dates and periods', () => {
    expect(formatDateId('2026-01-15')).toBe('15 Januari 2026');
    expect(formatDateId('2025-08-05')).toBe('5 Agustus 2025');
    expect(formatPeriodId('2026-01')).toBe('Januari 2026');
    expect(formatPeriodId('2025-05')).toBe('Mei 2025');
    expect(formatPeriodId('2025-12')).toBe('Desember 2025');
  });
});
