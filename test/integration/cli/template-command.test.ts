import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'sertakan-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sertakan template', () => {
  it('writes a workbook for a file named .xlsx, with or without --xlsx, and CSV text otherwise', async () => {
    const named = join(dir, 'potongan.xlsx');
    const csv = join(dir, 'potongan.csv');
    expect((await runCli('template', 'payroll', '--out', named)).code).toBe(0);
    expect((await runCli('template', 'payroll', '--out', csv)).code).toBe(0);
    // An XLSX is a zip: it starts with PK; the CSV starts with its BOM and the column heads.
    expect(readFileSync(named).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(readFileSync(csv, 'utf8').replace(/^\uFEFF/, '')).toMatch(/^nip/i);
  });
});
