import { describe, expect, it } from 'vitest';
import { RateTableError } from '#domain/errors.ts';
import { TIERS } from '#domain/model.ts';
import { defaultRateTable, loadRateTable, rateFor } from '#domain/rates.ts';

const entry = (effectiveFrom: string, jkkJkm: unknown, jht: unknown = 36800) => ({
  effectiveFrom,
  source: 'test regulation',
  rates: { JKK_JKM: jkkJkm, JKK_JKM_JHT: jht },
});

describe('rate table', () => {
  it('ships the rates of docs/design.md from config', () => {
    expect(rateFor(defaultRateTable, 'JKK_JKM', '2026-01')).toBe(16800);
    expect(rateFor(defaultRateTable, 'JKK_JKM_JHT', '2026-01')).toBe(36800);
    expect(defaultRateTable.entries[0]?.effectiveFrom).toBe('2015-07');
    for (const e of defaultRateTable.entries) expect(e.source.length).toBeGreaterThan(10);
  });

  it('applies each entry from its month until the next one', () => {
    const table = loadRateTable([entry('2015-07', 16800), entry('2027-01', 17500, 38000)]);
    expect(rateFor(table, 'JKK_JKM', '2015-07')).toBe(16800);
    expect(rateFor(table, 'JKK_JKM', '2026-12')).toBe(16800);
    expect(rateFor(table, 'JKK_JKM', '2027-01')).toBe(17500);
    expect(rateFor(table, 'JKK_JKM_JHT', '2030-05')).toBe(38000);
  });

  it('throws for a month before the first entry', () => {
    expect(() => rateFor(defaultRateTable, 'JKK_JKM', '2015-06')).toThrow(RateTableError);
    expect(() => rateFor(defaultRateTable, 'JKK_JKM', '2026-13')).toThrow(RateTableError);
  });

  it.each([
    ['unsorted', [entry('2027-01', 17500), entry('2015-07', 16800)], /sorted/],
    ['duplicate month', [entry('2015-07', 16800), entry('2015-07', 17000)], /duplicates/],
    ['non-integer rate', [entry('2015-07', 16800.5)], /integer/],
    ['zero rate', [entry('2015-07', 0)], /rates/],
    ['rate as text', [entry('2015-07', '16800')], /JKK_JKM/],
    ['missing tier', [{ effectiveFrom: '2015-07', source: 's', rates: { JKK_JKM: 16800 } }], /JKK_JKM_JHT/],
    [
      'unknown tier',
      [{ ...entry('2015-07', 16800), rates: { JKK_JKM: 1, JKK_JKM_JHT: 2, JHT: 3 } }],
      /rates/,
    ],
    ['bad month', [entry('2015-7', 16800)], /effectiveFrom/],
    ['missing source', [{ effectiveFrom: '2015-07', rates: { JKK_JKM: 1, JKK_JKM_JHT: 2 } }], /source/],
    ['empty', [], /at least one/],
    ['not an array', { JKK_JKM: 16800 }, /array/],
  ])('rejects a table with %s', (_label, json, message) => {
    expect(() => loadRateTable(json)).toThrow(RateTableError);
    expect(() => loadRateTable(json)).toThrow(message);
  });

  it('has a rate for every tier', () => {
    for (const tier of TIERS) expect(rateFor(defaultRateTable, tier, '2025-07')).toBeGreaterThan(0);
  });
});
