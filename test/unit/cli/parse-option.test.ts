import { describe, expect, it } from 'vitest';
import { CliUsageError, parseOption } from '#shared/cli/usage.ts';
import { asOfSchema, monthSchema, nipSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';

describe('a bad option value', () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(CliUsageError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };

  it('names the option and says what it expects, once', () => {
    expect(message(() => parseOption(poolSchema, '15.4', '--pool'))).toBe(
      "--pool '15.4': expected a Kemendagri area code such as 15.04",
    );
    // Both of monthSchema's checks fail on 10/2026; only the first is said.
    expect(message(() => parseOption(monthSchema, '10/2026', '--month'))).toBe(
      "--month '10/2026': expected a month YYYY-MM, MM 01-12",
    );
    expect(message(() => parseOption(asOfSchema, '31-06-2026', '--as-of'))).toBe(
      "--as-of '31-06-2026': expected a date YYYY-MM-DD or an ISO instant",
    );
  });

  it('does not print a NIP or NIK back', () => {
    const said = message(() => parseOption(nipSchema, '19800101200501100', '--nip', { personal: true }));
    expect(said).toBe('--nip: expected 18 digits');
  });

  it('returns the parsed value when it is good', () => {
    expect(parseOption(poolSchema, '15.04', '--pool')).toBe('15.04');
  });
});
