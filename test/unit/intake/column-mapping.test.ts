/** Column mappings per agency: what a person may save, and how a saved one finds the columns. */
import { describe, expect, it } from 'vitest';
import { columnMappingInputSchema, parseColumnPairs } from '#domain/column-mapping.ts';
import { footerNote } from '#shared/cli/file-outcome.ts';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { PAYROLL_COLUMNS, payrollColumns, validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import { fromBuffer, PAYROLL_CONTEXT } from './run-intake.ts';

describe('column mapping per agency', () => {
  it('reads --set pairs with Indonesian or English field names, refuses two columns for one field', () => {
    const columns = parseColumnPairs('NIP=nip, NAMA=name,POTSERTAK=Jumlah');
    expect(columns).toEqual({ NIP: 'nip', NAMA: 'nama', POTSERTAK: 'jumlah' });
    expect(columnMappingInputSchema.parse({ columns })).toEqual({ columns, periodFromKey: false });
    expect(() => parseColumnPairs('POTSERTAK')).toThrow(/KOLOM=field/);
    const twice = columnMappingInputSchema.safeParse({ columns: { A: 'jumlah', B: 'jumlah' } });
    expect(twice.success).toBe(false);
    expect(columnMappingInputSchema.safeParse({ columns: { A: 'gaji' } }).success).toBe(false);
    expect(
      columnMappingInputSchema.safeParse({ columns: { BLN: 'periode' }, periodFromKey: true }).success,
    ).toBe(false);
  });

  it('without a mapping the built-in names; with one, a mapped field only by its mapped names', async () => {
    expect(payrollColumns()).toBe(PAYROLL_COLUMNS);
    const mapping = { columns: { POTSERTAK: 'jumlah' as const }, periodFromKey: false };
    const spec = payrollColumns(mapping);
    expect(spec.amount.names).toEqual(['POTSERTAK']);
    expect(spec.nip).toEqual(PAYROLL_COLUMNS.nip);
    // A system's own JUMLAH (a gross total) is not taken for the deduction once POTSERTAK is mapped.
    const csv = 'NIP;Nama;Periode;Jumlah;POTSERTAK\n198609262015051001;Budi;2026-01;3500000;16800\n';
    const table = await openTable(fromBuffer(Buffer.from(csv)), { fileName: 'x.csv', columns: spec });
    const rows = validatePayrollRows(table, PAYROLL_CONTEXT, { columns: spec });
    const first = await rows.next();
    expect(first.value).toMatchObject({ ok: true, value: { amount: 16_800 } });
    // Without the mapping the same file is read by its Jumlah column.
    const plain = await openTable(fromBuffer(Buffer.from(csv)), {
      fileName: 'x.csv',
      columns: PAYROLL_COLUMNS,
    });
    expect((await validatePayrollRows(plain, PAYROLL_CONTEXT).next()).value).toMatchObject({
      value: { amount: 3_500_000 },
    });
  });

  it('a period column is still required unless the mapping says the file has none', async () => {
    const csv = 'NIP;NAMA;POTSERTAK\n198609262015051001;Budi;16800\n';
    const spec = payrollColumns({ columns: { POTSERTAK: 'jumlah' }, periodFromKey: false });
    const error = await openTable(fromBuffer(Buffer.from(csv)), { fileName: 'x.csv', columns: spec }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileRejectedError);
    expect(error).toMatchObject({ reason: 'COLUMN_MISSING' });
    const fromKey = payrollColumns({ columns: { POTSERTAK: 'jumlah' }, periodFromKey: true });
    const table = await openTable(fromBuffer(Buffer.from(csv)), { fileName: 'x.csv', columns: fromKey });
    const row = await validatePayrollRows(table, PAYROLL_CONTEXT, {
      columns: fromKey,
      periodFromKey: true,
    }).next();
    expect(row.value).toMatchObject({ ok: true, value: { period: '2026-01', amount: 16_800 } });
  });

  it('the footer line the CLI prints', () => {
    expect(footerNote(11, 4)).toMatch(
      /^4 baris di bawah JUMLAH \(baris 11-14: tanda tangan\/catatan\) tidak dibaca/,
    );
  });
});
