import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumberId, formatRupiah, MAX_ROW_AMOUNT, MONEY_REASONS, parseRupiah } from '#domain/money.ts';
import { HOSTILE_INPUTS, nearDigits, unicodeText } from './hostile-inputs.ts';

describe('parseRupiah', () => {
  it.each([
    ['16800', 16800],
    ['16.800', 16800],
    ['Rp16.800', 16800],
    ['Rp 16.800', 16800],
    ['Rp. 16.800', 16800],
    ['rp16800', 16800],
    ['Rp 16.800,00', 16800],
    ['16800,00', 16800],
    ['Rp16.800,-', 16800],
    ['  16.800  ', 16800],
    ['IDR 16.800', 16800],
    // English-locale exports, comma and space grouping, `,-` after any shape.
    ['16800.00', 16800],
    ['16,800', 16800],
    ['16,800.00', 16800],
    ['16 800', 16800],
    ['16\u00a0800', 16800],
    ['Rp 16.800,-', 16800],
    ['Rp. 50.000', 50000],
    ['IDR 36.800', 36800],
    ['1.234.567', 1_234_567],
    ['10.000.000', MAX_ROW_AMOUNT],
    ['1', 1],
    [16800, 16800],
    [MAX_ROW_AMOUNT, MAX_ROW_AMOUNT],
  ])('reads %j as %d', (input, expected) => {
    expect(parseRupiah(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'AMOUNT_EMPTY'],
    ['   ', 'AMOUNT_EMPTY'],
    [null, 'AMOUNT_EMPTY'],
    [undefined, 'AMOUNT_EMPTY'],
    ['16,8', 'AMOUNT_INVALID'],
    ['16.8', 'AMOUNT_INVALID'],
    ['1.23.456', 'AMOUNT_INVALID'],
    ['16.8000', 'AMOUNT_INVALID'],
    ['.800', 'AMOUNT_INVALID'],
    ['16.800,5', 'AMOUNT_INVALID'],
    ['16.800,000', 'AMOUNT_INVALID'],
    ['16.800,00,00', 'AMOUNT_INVALID'],
    ['16  800', 'AMOUNT_INVALID'],
    ['16.800.00', 'AMOUNT_INVALID'],
    ['16,800,00', 'AMOUNT_INVALID'],
    ['1,6800', 'AMOUNT_INVALID'],
    ['16800.50', 'AMOUNT_HAS_SEN'],
    ['16,800.50', 'AMOUNT_HAS_SEN'],
    ['Rp', 'AMOUNT_INVALID'],
    ['16800 Rp', 'AMOUNT_INVALID'],
    ['USD 16800', 'AMOUNT_INVALID'],
    ['16.800,50', 'AMOUNT_HAS_SEN'],
    ['16800,01', 'AMOUNT_HAS_SEN'],
    [16800.5, 'AMOUNT_HAS_SEN'],
    ['-16.800', 'AMOUNT_NEGATIVE'],
    ['-Rp16.800', 'AMOUNT_NEGATIVE'],
    ['Rp -16.800', 'AMOUNT_NEGATIVE'],
    [-1, 'AMOUNT_NEGATIVE'],
    ['0', 'AMOUNT_ZERO'],
    ['Rp0,00', 'AMOUNT_ZERO'],
    ['000', 'AMOUNT_ZERO'],
    [0, 'AMOUNT_ZERO'],
    [-0, 'AMOUNT_ZERO'],
    ['10.000.001', 'AMOUNT_TOO_LARGE'],
    [MAX_ROW_AMOUNT + 1, 'AMOUNT_TOO_LARGE'],
    ['1'.padEnd(31, '0'), 'AMOUNT_TOO_LARGE'],
    [1e30, 'AMOUNT_TOO_LARGE'],
    ['NaN', 'AMOUNT_INVALID'],
    [Number.NaN, 'AMOUNT_INVALID'],
    ['Infinity', 'AMOUNT_INVALID'],
    [Number.POSITIVE_INFINITY, 'AMOUNT_INVALID'],
    ['1e5', 'AMOUNT_INVALID'],
    ['0x10', 'AMOUNT_INVALID'],
    ['=1+1', 'AMOUNT_INVALID'],
    ['١٦٨٠٠', 'AMOUNT_INVALID'],
    ['１６８００', 'AMOUNT_INVALID'],
    ['16800; DROP TABLE ledger', 'AMOUNT_INVALID'],
    [{ amount: 16800 }, 'AMOUNT_INVALID'],
  ])('rejects %j with %s', (input, reason) => {
    const result = parseRupiah(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });

  it('handles bigint cells', () => {
    expect(parseRupiah(10n ** 30n)).toMatchObject({ ok: false, reason: 'AMOUNT_TOO_LARGE' });
    expect(parseRupiah(16800n)).toEqual({ ok: true, value: 16800 });
  });

  it('rejects every hostile input with a known reason', () => {
    for (const input of HOSTILE_INPUTS) {
      const result = parseRupiah(input);
      expect(result.ok, String(typeof input === 'symbol' ? 'symbol' : input)).toBe(false);
      if (!result.ok) expect(MONEY_REASONS).toContain(result.reason);
    }
  });

  it('round-trips formatRupiah for every amount 1..MAX_ROW_AMOUNT', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ROW_AMOUNT }), (n) => {
        expect(parseRupiah(formatRupiah(n))).toEqual({ ok: true, value: n });
        expect(parseRupiah(`${formatRupiah(n)},00`)).toEqual({ ok: true, value: n });
        expect(parseRupiah(String(n))).toEqual({ ok: true, value: n });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and never accepts anything but a positive integer within the limit', () => {
    const check = (input: unknown) => {
      const result = parseRupiah(input);
      if (result.ok) {
        expect(Number.isSafeInteger(result.value)).toBe(true);
        expect(result.value).toBeGreaterThan(0);
        expect(result.value).toBeLessThanOrEqual(MAX_ROW_AMOUNT);
        // Accepted text is plain ASCII once trimmed, bar the no-break spaces a spreadsheet puts
        // between thousands (GROUP_SPACE in money.ts): look-alike digits never slip through.
        if (typeof input === 'string') expect(input.trim()).toMatch(/^[\x20-\x7e\u00a0\u202f]+$/);
      } else {
        expect(MONEY_REASONS).toContain(result.reason);
      }
    };
    fc.assert(fc.property(fc.anything({ maxDepth: 1 }), check));
    fc.assert(fc.property(unicodeText(), check));
    fc.assert(fc.property(nearDigits(), check));
    fc.assert(fc.property(fc.double(), check));
  });

  it('accepts no text containing a letter other than the currency prefix', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('a', 'e', 'x', 'O', 'l'), fc.nat(), (s, letter, at) => {
        const text = `1${s}`;
        const i = at % (text.length + 1);
        expect(parseRupiah(text.slice(0, i) + letter + text.slice(i)).ok).toBe(false);
      }),
    );
  });
});

describe('formatRupiah / formatNumberId', () => {
  it.each([
    [16800, 'Rp16.800'],
    [36800, 'Rp36.800'],
    [1, 'Rp1'],
    [0, 'Rp0'],
    [999, 'Rp999'],
    [1000, 'Rp1.000'],
    [-16800, '-Rp16.800'],
    [100_000_000, 'Rp100.000.000'],
  ])('formatRupiah(%d) = %s', (n, text) => {
    expect(formatRupiah(n)).toBe(text);
  });

  it('formatNumberId groups thousands with dots', () => {
    expect(formatNumberId(1_234_567)).toBe('1.234.567');
    expect(formatNumberId(-1_234_567)).toBe('-1.234.567');
    expect(formatNumberId(100)).toBe('100');
  });

  it('formatNumberId round-trips for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const text = formatNumberId(n);
        expect(text).toMatch(/^-?\d{1,3}(\.\d{3})*$/);
        expect(Number(text.replaceAll('.', ''))).toBe(n === 0 ? 0 : n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ROW_AMOUNT }), (n) => {
        expect(parseRupiah(formatNumberId(n))).toEqual({ ok: true, value: n });
      }),
    );
  });

  it('refuses to format a fraction rather than silently rounding money', () => {
    expect(() => formatRupiah(16800.5)).toThrow(RangeError);
    expect(() => formatNumberId(Number.NaN)).toThrow(RangeError);
  });
});
