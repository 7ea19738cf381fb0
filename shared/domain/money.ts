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
// Integer part: plain digits, or dot-grouped thousands with every group exactly 3 digits.
// `\d` in JS regexes is ASCII 0-9 only, so Arabic-Indic or full-width digits never match.
const INTEGER_PART = /^(?:\d+|\d{1,3}(?:\.\d{3})+)$/;
// Sen part: exactly two digits after the comma, or the `,-` Indonesians write for "no sen".
const SEN_PART = /^(?:\d{2}|-)$/;
// More digits than this cannot be a row amount; stop before Number() loses precision.
const MAX_DIGITS = 15;

/**
 * Parses a rupiah amount from a file cell. Accepts `16800`, `16.800`, `Rp16.800`, `Rp 16.800,00`,
 * `16800,00`, `IDR 16.800`, `Rp16.800,-` and integer JS numbers. Never throws.
 */
export function parseRupiah(input: unknown): Result<Rupiah, MoneyReason> {
  if (input === null || input === undefined) return fail('AMOUNT_EMPTY');
  if (typeof input === 'number') return checkRange(input);
  if (typeof input === 'bigint') {
    return input > BigInt(MAX_ROW_AMOUNT) ? fail('AMOUNT_TOO_LARGE') : checkRange(Number(input));
  }
  if (typeof input !== 'string') return fail('AMOUNT_INVALID', `unexpected ${typeof input}`);
  return parseText(input);
}

function parseText(input: string): Result<Rupiah, MoneyReason> {
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

  const [integerPart = '', senPart, ...rest] = text.split(',');
  if (rest.length > 0 || !INTEGER_PART.test(integerPart)) return fail('AMOUNT_INVALID');
  if (senPart !== undefined) {
    if (!SEN_PART.test(senPart)) return fail('AMOUNT_INVALID', 'sen must be exactly two digits');
    if (senPart !== '-' && senPart !== '00') return fail('AMOUNT_HAS_SEN');
  }

  const digits = integerPart.replaceAll('.', '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) return negative ? fail('AMOUNT_NEGATIVE') : fail('AMOUNT_TOO_LARGE');
  const value = Number(digits);
  return checkRange(negative ? -value : value);
}

function checkRange(value: number): Result<Rupiah, MoneyReason> {
  if (!Number.isFinite(value)) return fail('AMOUNT_INVALID', 'not a finite number');
  if (value === 0) return fail('AMOUNT_ZERO');
  if (value < 0) return fail('AMOUNT_NEGATIVE');
  if (value > MAX_ROW_AMOUNT) return fail('AMOUNT_TOO_LARGE');
  if (!Number.isInteger(value)) return fail('AMOUNT_HAS_SEN');
  return ok(value);
}

/** `1234567` -> `1.234.567`, `-5000` -> `-5.000`. Only integers: money is never fractional here. */
export function formatNumberId(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`formatNumberId expects a safe integer, got ${n}`);
  const digits = Math.abs(n).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, '.');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `16800` -> `Rp16.800`, `-16800` -> `-Rp16.800`. */
export function formatRupiah(n: Rupiah): string {
  const grouped = formatNumberId(Math.abs(n));
  return n < 0 ? `-Rp${grouped}` : `Rp${grouped}`;
}
