/**
 * Integer rupiah: parsing what payroll files really contain, and formatting the Indonesian way.
 * The parser is deliberately strict: an amount that could be read two ways is rejected, never guessed.
 */
import type { Rupiah } from './model.ts';
import { fail, ok, type Result } from './result.ts';

export type { Rupiah } from './model.ts';

/** Anything above this per row is a typo (an extra zero, a pasted NIP), not a donation. */
export const MAX_ROW_AMOUNT = 10_000_000;

export const MONEY_REASONS = [
  'AMOUNT_EMPTY',
  'AMOUNT_INVALID',
  'AMOUNT_HAS_SEN',
  'AMOUNT_NEGATIVE',
  'AMOUNT_ZERO',
  'AMOUNT_TOO_LARGE',
] as const;
export type MoneyReason = (typeof MONEY_REASONS)[number];

// Currency prefix as written in Indonesia: `Rp`, `Rp.`, `IDR`, with or without a space.
const CURRENCY_PREFIX = /^(?:rp\.?|idr)\s*/i;
// "No sen" suffix: `,-` (Indonesian) or `.-`.
const NO_SEN_SUFFIX = /[.,]-$/;
// Spaces a spreadsheet may put between thousands: space, no-break space, narrow no-break space.
const GROUP_SPACE = /[ \u00a0\u202f]/g;
/**
 * The shapes a whole-rupiah amount is written in, `\d` being ASCII 0-9 only (Arabic-Indic or
 * full-width digits never match). A 3-digit group after a separator is always thousands (rupiah never
 * have three decimals), a 2-digit tail is always sen: so `16.800`, `16,800`, `16 800`, `16800.00` and
 * `16.800,00` each have exactly one reading, and nothing else is guessed.
 * - plain digits, optionally with a 2-digit fraction after `.` or `,`: `16800`, `16800,00`, `16800.00`;
 * - dot-grouped thousands, optional `,dd` (Indonesian): `16.800`, `1.234.567,00`;
 * - comma-grouped thousands, optional `.dd` (English): `16,800`, `1,234,567.00`;
 * - space-grouped thousands: `16 800`, `1 234 567`.
 */
const AMOUNT_SHAPES: readonly RegExp[] = [
  /^(\d+)(?:[.,](\d{2}))?$/,
  /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{2}))?$/,
  /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{2}))?$/,
  /^(\d{1,3}(?: \d{3})+)$/,
];
// More digits than this cannot be a row amount; stop before Number() loses precision.
const MAX_DIGITS = 15;

/**
 * Parses a rupiah amount from a file cell into integer rupiah (docs/design.md#money, docs/intake.md#cells-as-people-write-them).
 * Accepts `16800`, `16.800`, `16,800`, `16 800`, `Rp16.800`, `Rp. 50.000`, `IDR 36.800`, `Rp 16.800,00`,
 * `16800,00`, `16800.00` (English-locale export), `Rp16.800,-` and integer JS numbers.
 * Rejects with AMOUNT_EMPTY, AMOUNT_INVALID (any other shape, e.g. `16.8`, `1e5`, mixed grouping),
 * AMOUNT_HAS_SEN (a non-zero 2-digit fraction), AMOUNT_NEGATIVE, AMOUNT_ZERO, AMOUNT_TOO_LARGE
 * (> MAX_ROW_AMOUNT). Never throws.
 */
export function parseRupiah(input: unknown): Result<Rupiah, MoneyReason> {
  if (input === null || input === undefined) return fail('AMOUNT_EMPTY');
  if (typeof input === 'number') return checkRange(input);
  if (typeof input === 'bigint') {
    return input > BigInt(MAX_ROW_AMOUNT) ? fail('AMOUNT_TOO_LARGE') : checkRange(Number(input));
  }
  if (typeof input !== 'string') return fail('AMOUNT_INVALID', `unexpected ${typeof input}`);
  const read = readRupiahText(input);
  if (!read.ok) return read;
  return checkRange(read.value);
}

/**
 * The grammar of parseRupiah without the per-row cap: a signed integer rupiah (negative for `-16.800`),
 * or the reason the text is not an amount (AMOUNT_EMPTY, AMOUNT_INVALID, AMOUNT_HAS_SEN, or
 * AMOUNT_TOO_LARGE for more than 15 digits). Used for row amounts, grant amounts and control sums.
 */
export function readRupiahText(input: string): Result<number, MoneyReason> {
  let text = input.trim();
  if (text === '') return fail('AMOUNT_EMPTY');
  if (text.length > 64) return fail('AMOUNT_INVALID', 'too long to be an amount');

  // A minus may come before or after the currency (`-Rp16.800`, `Rp -16.800`).
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1).trimStart();
  }
  text = text.replace(CURRENCY_PREFIX, '');
  if (!negative && text.startsWith('-')) {
    negative = true;
    text = text.slice(1).trimStart();
  }
  text = text.replace(NO_SEN_SUFFIX, '').replace(GROUP_SPACE, ' ');

  let integerPart: string | undefined;
  let sen: string | undefined;
  for (const shape of AMOUNT_SHAPES) {
    const m = shape.exec(text);
    if (!m) continue;
    integerPart = m[1];
    sen = m[2];
    break;
  }
  if (integerPart === undefined) return fail('AMOUNT_INVALID');
  if (sen !== undefined && sen !== '00') return fail('AMOUNT_HAS_SEN');

  const digits = integerPart.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) return negative ? fail('AMOUNT_NEGATIVE') : fail('AMOUNT_TOO_LARGE');
  const value = Number(digits);
  return ok(negative && value !== 0 ? -value : value);
}

function checkRange(value: number): Result<Rupiah, MoneyReason> {
  if (!Number.isFinite(value)) return fail('AMOUNT_INVALID', 'not a finite number');
  if (value === 0) return fail('AMOUNT_ZERO');
  if (value < 0) return fail('AMOUNT_NEGATIVE');
  if (value > MAX_ROW_AMOUNT) return fail('AMOUNT_TOO_LARGE');
  if (!Number.isInteger(value)) return fail('AMOUNT_HAS_SEN');
  return ok(value);
}

const NUMBER_ID = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0, useGrouping: 'always' });

/**
 * `1234567` -> `1.234.567`, `-5000` -> `-5.000` (Intl, id-ID: dots group thousands). Only integers:
 * money is never fractional here. Raises RangeError for anything but a safe integer.
 */
export function formatNumberId(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`formatNumberId expects a safe integer, got ${n}`);
  return NUMBER_ID.format(n);
}

/** `16800` -> `Rp16.800`, `-16800` -> `-Rp16.800`. */
export function formatRupiah(n: Rupiah): string {
  const grouped = formatNumberId(Math.abs(n));
  return n < 0 ? `-Rp${grouped}` : `Rp${grouped}`;
}

// Intl's own currency notation (`Rp 17.222.600`, a no-break space after `Rp`) for charts, where the
// compact axis labels (`Rp 17,2 jt`) and the exact tooltips must read alike.
const RUPIAH_CURRENCY_ID = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  maximumFractionDigits: 0,
});
const RUPIAH_COMPACT_ID = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const COUNT_COMPACT_ID = new Intl.NumberFormat('id-ID', { notation: 'compact', maximumFractionDigits: 1 });
const COUNT_ID = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/** Rupiah in Intl's currency notation: `17222600` -> `Rp 17.222.600` (chart tooltips). */
export const formatRupiahCurrency = (n: Rupiah): string => RUPIAH_CURRENCY_ID.format(n);

/** Rupiah, compact: `17222600` -> `Rp 17,2 jt`, `1250000000` -> `Rp 1,3 M` (chart axes). */
export const formatRupiahCompact = (n: Rupiah): string => RUPIAH_COMPACT_ID.format(n);

/** A count, compact: `1500` -> `1,5 rb`, `12` -> `12` (chart axes). */
export const formatCountCompact = (n: number): string => COUNT_COMPACT_ID.format(n);

/** A count in full, rounded to a whole number: `1500` -> `1.500`. */
export const formatCountId = (n: number): string => COUNT_ID.format(n);
