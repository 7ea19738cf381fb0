/**
 * dBase tables through the intake readers: a SIMGAJI-like export (dBase III and Visual FoxPro, written
 * by dbffile's writer) read with the agency's saved column mapping, record numbers as FoxPro shows them
 * (a deleted record counted, not read), code pages as the file declares them, broken files rejected
 * whole in Bahasa.
 */
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkControlTotals } from '#shared/intake/control-totals.ts';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { payrollColumns, validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import { type SimgajiRow, writeSimgajiDbf } from '#test/support/dbf-fixtures.ts';
import { fromBuffer, PAYROLL_CONTEXT } from './run-intake.ts';

const ROWS: SimgajiRow[] = [
  { nip: '198609262015051001', nama: 'Budi Santoso', gapok: 3_500_000, potongan: 16_800 },
  { nip: '197503142000121002', nama: 'Siti Ma’ruf', gapok: 4_100_000, potongan: 36_800 },
  { nip: '198811302010012003', nama: 'Andi Wijaya (keluar)', gapok: 3_200_000, potongan: 16_800 },
  { nip: '19881130201001', nama: 'Dewi Müller', gapok: 3_300_000, potongan: 16_800 },
];
const MAPPING = {
  columns: { NIP: 'nip', NAMA: 'nama', POTSERTAK: 'jumlah' },
  periodFromKey: true,
} as const;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbf-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dbf(name: string, opts: Parameters<typeof writeSimgajiDbf>[2] = {}): Promise<Buffer> {
  const path = join(dir, name);
  await writeSimgajiDbf(path, ROWS, opts);
  return readFile(path);
}

async function run(bytes: Buffer, saved: typeof MAPPING | null = MAPPING) {
  const mapping = saved ?? undefined;
  const columns = payrollColumns(mapping);
  const table = await openTable(fromBuffer(bytes, 700), { fileName: 'BPKAD.dbf', columns });
  const outcomes = [];
  const rows = validatePayrollRows(table, PAYROLL_CONTEXT, {
    columns,
    periodFromKey: mapping?.periodFromKey,
  });
  for (;;) {
    const next = await rows.next();
    if (next.done) return { table, outcomes, totals: next.value };
    outcomes.push(next.value);
  }
}

describe('dBase tables (SIMGAJI-like exports)', () => {
  it.each([
    ['dBase III', 0x03],
    ['Visual FoxPro', 0x30],
  ] as const)('%s: read with the saved mapping, record numbers as FoxPro shows them', async (_, version) => {
    const bytes = await dbf(`fgaji-${version}.dbf`, { version, deleted: [3] });
    const { table, outcomes, totals } = await run(bytes);
    expect(table.format).toBe('dbf');
    expect(table.encoding).toBe('windows-1252');
    expect(table.header).toEqual({
      line: 0,
      columns: ['NIP', 'NAMA', 'KDSKPD', 'KDSATKER', 'GAPOK', 'POTSERTAK'],
    });
    // Record 3 is deleted: never read, but record 4 keeps its number.
    expect(outcomes.map((o) => [o.line, o.ok ? o.value.amount : o.reason])).toEqual([
      [1, 16_800],
      [2, 36_800],
      [4, 'NIP_FORMAT'],
    ]);
    expect(outcomes.flatMap((o) => (o.ok ? [o.value.period] : []))).toEqual(['2026-01', '2026-01']);
    expect(totals).toMatchObject({ dataRows: 3, acceptedRows: 2, acceptedAmount: 53_600, rejectedRows: 1 });
    expect(checkControlTotals(totals)).toBeUndefined();
  });

  it('decodes names with the code page the header declares', async () => {
    const table = await openTable(fromBuffer(await dbf('cp.dbf')), { fileName: 'x.DBF' });
    const names: string[] = [];
    for await (const row of table.rows) names.push(row.cells[1] ?? '');
    expect(names).toEqual(ROWS.map((r) => r.nama));
  });

  it('without a mapping, says which columns are missing and how to map them', async () => {
    const error = await run(await dbf('nomap.dbf'), null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRejectedError);
    expect(error).toMatchObject({ reason: 'COLUMN_MISSING', line: 0 });
    expect((error as FileRejectedError).detail).toMatch(/^kolom wajib tidak ada: .*sertakan agency columns/);
  });

  it('rejects an undeclared code page, a truncated table and a non-dBase file whole, in Bahasa', async () => {
    const unknown = await run(await dbf('cp-unknown.dbf', { languageDriver: 0x99 })).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ reason: 'FILE_ENCODING' });
    expect((unknown as FileRejectedError).detail).toMatch(/^halaman kode/);

    const path = join(dir, 'cut.dbf');
    await writeSimgajiDbf(path, ROWS);
    await truncate(path, 400);
    const cut = await run(await readFile(path)).catch((e: unknown) => e);
    expect(cut).toMatchObject({ reason: 'FILE_NOT_TABULAR' });
    expect((cut as FileRejectedError).detail).toMatch(/terpotong/);

    const text = await run(Buffer.from('nip;nama\n1;2\n')).catch((e: unknown) => e);
    expect(text).toMatchObject({ reason: 'FILE_NOT_TABULAR' });
  });
});
