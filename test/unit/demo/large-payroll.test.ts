import { describe, expect, it } from 'vitest';
import { validateNip } from '#domain/identifiers.ts';
import { generateLargePayroll } from '#shared/demo/large-payroll.ts';
import { readPayroll } from './read-drop.ts';

const KEY = 'incoming/payroll/15.04/2026-01/BENCH.csv';

describe('generateLargePayroll', () => {
  it('yields text lazily: the first chunk of a ten-million-row file comes without building the rest', () => {
    const chunks = generateLargePayroll({ rows: 10_000_000, rowsPerChunk: 500 });
    const first = chunks.next();
    expect(first.done).toBe(false);
    // header + 500 rows, each ending in CRLF
    expect(first.value?.split('\r\n').length).toBe(502);
    chunks.return();
  });

  it('is deterministic per seed and every row is a distinct valid NIP the intake accepts', async () => {
    const text = [...generateLargePayroll({ rows: 5000, seed: 9 })].join('');
    expect([...generateLargePayroll({ rows: 5000, seed: 9 })].join('')).toBe(text);
    expect([...generateLargePayroll({ rows: 5000, seed: 10 })].join('')).not.toBe(text);

    const read = await readPayroll(KEY, text);
    expect(read.rejected).toEqual([]);
    expect(read.accepted).toHaveLength(5000);
    expect(new Set(read.accepted.map((d) => d.nip)).size).toBe(5000);
    for (const d of read.accepted.slice(0, 50)) expect(validateNip(d.nip, new Date()).ok).toBe(true);
  });

  it('writes comma files too, and refuses a negative row count', async () => {
    const text = [...generateLargePayroll({ rows: 100, delimiter: ',' })].join('');
    expect(text.startsWith('nip,nama,periode,jumlah\n')).toBe(true);
    expect((await readPayroll(KEY, text)).accepted).toHaveLength(100);
    expect(() => generateLargePayroll({ rows: -1 }).next()).toThrow(RangeError);
  });
});
