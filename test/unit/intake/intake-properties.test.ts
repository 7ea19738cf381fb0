/**
 * Property tests: whatever bytes arrive, intake either rejects the file whole with a FileRejectedError
 * or accounts for every data line as accepted or rejected. Nothing else is ever thrown (runIntake
 * rethrows anything but FileRejectedError), and nothing hangs (vitest's timeout would fail the test).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBuffer, runIntake } from './run-intake.ts';

const cell = fc.oneof(
  fc.constantFrom('198609262015051001', '198609262015051002', '19860926 201505 1 003', '1986', ''),
  fc.constantFrom('Budi', 'Sölvi', '=HYPERLINK("x")', '"quoted"', 'a;b', 'a,b', ' '),
  fc.constantFrom('2026-01', '01/2026', '2025-12', 'x'),
  fc.constantFrom('16800', 'Rp 16.800,00', '-1', '0', '1000000000000000', '16.800,50'),
  fc.string({ maxLength: 8 }),
);
const row = fc.array(cell, { minLength: 0, maxLength: 6 });
const header = fc.constantFrom(
  ['nip', 'nama', 'periode', 'jumlah'],
  ['NIP', 'Name', 'Period', 'Amount', 'Worker_NIK'],
  ['nip', 'nama', 'jumlah'],
  ['a', 'b'],
);

function csvOf(lines: readonly (readonly string[])[], delimiter: string, newline: string): string {
  const quote = (c: string) => (/[;,"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return lines.map((l) => l.map(quote).join(delimiter)).join(newline) + newline;
}

const nearValidFile = fc
  .record({
    header,
    rows: fc.array(row, { maxLength: 30 }),
    delimiter: fc.constantFrom(';', ','),
    newline: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    trailer: fc.option(fc.tuple(fc.nat(40), fc.nat(2_000_000)), { nil: undefined }),
  })
  .map(({ header: h, rows, delimiter, newline, bom, trailer }) => {
    const lines = [h, ...rows, ...(trailer ? [['TOTAL', String(trailer[0]), String(trailer[1])]] : [])];
    return Buffer.from((bom ? '\uFEFF' : '') + csvOf(lines, delimiter, newline));
  });

// A near-valid file with random bytes spliced in: stray quotes, NULs, invalid UTF-8.
const mangledFile = fc
  .tuple(
    nearValidFile,
    fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { maxLength: 5 }),
  )
  .map(([file, edits]) => {
    let bytes = file;
    for (const [at, insert] of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      bytes = Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(i)]);
    }
    return bytes;
  });

const anyFile = fc.oneof(
  nearValidFile,
  mangledFile,
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.concat([Buffer.from('PK\x03\x04'), b])),
);

describe('intake on any input', () => {
  it('never throws anything but a file rejection, and accounts for every data row', async () => {
    await fc.assert(
      fc.asyncProperty(anyFile, fc.integer({ min: 1, max: 300 }), async (bytes, chunk) => {
        const run = await runIntake('payroll', fromBuffer(bytes, chunk));
        if ('file' in run.summary) return;
        expect(run.dataRows).toBe(run.summary.accepted + run.summary.rejected.length);
        expect(run.outcomes).toHaveLength(run.dataRows ?? -1);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('counts every non-blank line of a well-formed file as exactly one outcome', async () => {
    await fc.assert(
      fc.asyncProperty(nearValidFile, async (bytes) => {
        const run = await runIntake('payroll', fromBuffer(bytes, 64));
        if ('file' in run.summary) return;
        const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
        // Generated cells never hold newlines, so each physical line is one record.
        const nonBlank = text.split(/\r?\n/).filter((l) => l.replace(/[;,"\s]/g, '') !== '');
        const trailer = nonBlank.at(-1)?.startsWith('TOTAL') && nonBlank.length > 1 ? 1 : 0;
        expect(run.dataRows).toBe(nonBlank.length - 1 - trailer);
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});
