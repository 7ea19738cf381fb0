import fc from 'fast-check';

/** Hostile inputs: every validator must reject each of these with a reason, never throw. */
export const HOSTILE_INPUTS: readonly unknown[] = [
  undefined,
  null,
  '',
  '   ',
  '\t\n',
  '\u00a0',
  '١٦٨٠٠', // Arabic-Indic digits
  '１６８００', // full-width digits
  '१६८००', // Devanagari digits
  '1'.padEnd(31, '0'), // 10^30
  1e30,
  10n ** 30n,
  'NaN',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  'Infinity',
  "1'; DROP TABLE ledger; --",
  "' OR '1'='1",
  '=HYPERLINK("http://evil.example","klik")',
  '=1+1',
  '+1+1',
  '@SUM(A1:A9)',
  '-1+1',
  '0x10',
  '1e5',
  '<script>alert(1)</script>',
  '\u0000',
  {},
  [],
  [16800],
  true,
  () => 1,
  Symbol('x'),
  new Date(0),
];

/** Any Unicode text (fast-check's `unit: 'binary'` costs a second to warm up; this does not). */
export const unicodeText = (): fc.Arbitrary<string> =>
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
      .map((c) => String.fromCodePoint(c)),
    maxLength: 40,
  });

/** Text made of ASCII digits mixed with look-alike digits and separators: close to valid, so hostile. */
export const nearDigits = (): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(
      '0',
      '1',
      '5',
      '9',
      '٥',
      '۵',
      '５',
      '५',
      '𝟓',
      ' ',
      '.',
      ',',
      '-',
      '\u00a0',
      '\u200b',
    ),
    maxLength: 24,
  });
