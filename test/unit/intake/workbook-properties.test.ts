/**
 * Property: over generated workbooks shaped the way treasurers' workbooks are (hidden drafts before or
 * after the list, an instructions sheet, title rows, a one- or two-row table head, the column-number
 * row, NIPs and amounts pulled by formulas with cached values, a JUMLAH row by formula, a signature
 * block under it with the signers' NIPs), the rows taken are exactly the rows of the visible list, the
 * sheet read is the list's, nothing is rejected, and the control total holds. Bounded: 30 workbooks, a few seconds.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkControlTotals } from '#shared/intake/control-totals.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { PAYROLL_COLUMNS, validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import { fromBuffer, PAYROLL_CONTEXT } from './run-intake.ts';

/** A valid NIP per index: born 1970-1989, appointed 2010-2019, distinct sequence. */
const nipOf = (i: number) =>
  `${1970 + (i % 20)}0${1 + (i % 9)}1${i % 10}20${10 + (i % 10)}0${1 + (i % 9)}${1 + (i % 2)}${String(100 + i).padStart(3, '0')}`;

const row = fc.record({
  amount: fc.integer({ min: 1_000, max: 200_000 }),
  nipByFormula: fc.boolean(),
  amountByFormula: fc.boolean(),
});
const sheetSpec = fc.record({
  titleRows: fc.integer({ min: 0, max: 2 }),
  twoRowHead: fc.boolean(),
  numberRow: fc.boolean(),
  jumlah: fc.boolean(),
  footer: fc.boolean(),
  rows: fc.array(row, { minLength: 1, maxLength: 6 }),
});
const workbook = fc.record({
  list: sheetSpec,
  hiddenBefore: fc.array(sheetSpec, { maxLength: 2 }),
  hiddenAfter: fc.array(sheetSpec, { maxLength: 1 }),
  veryHidden: fc.boolean(),
  instructionsFirst: fc.boolean(),
  listActive: fc.boolean(),
});
type SheetSpec = typeof sheetSpec extends fc.Arbitrary<infer T> ? T : never;

/** Writes a list sheet; returns the (nip, amount) rows it shows. `offset` keeps NIPs distinct per sheet. */
function writeList(sheet: ExcelJS.Worksheet, spec: SheetSpec, offset: number): [string, number][] {
  for (let t = 0; t < spec.titleRows; t++) sheet.addRow([`DAFTAR POTONGAN GAJI ${t + 1}`]);
  if (spec.twoRowHead) {
    sheet.addRow(['No', 'NIP', 'Nama', 'Potongan SERTAKAN', '']);
    sheet.addRow(['', '', '', 'Periode', 'Jumlah\n(Rp)']);
  } else sheet.addRow(['No', 'NIP\nPegawai', 'Nama', 'Periode', 'Jumlah']);
  if (spec.numberRow) sheet.addRow([1, 2, 3, 4, 5]);
  const shown: [string, number][] = [];
  const first = sheet.rowCount + 1;
  for (const [i, r] of spec.rows.entries()) {
    const nip = nipOf(offset + i);
    shown.push([nip, r.amount]);
    sheet.addRow([
      i + 1,
      r.nipByFormula ? { formula: `VLOOKUP(${i + 1},Master!A:B,2,FALSE)`, result: nip } : nip,
      `Pegawai ${offset + i}`,
      '2026-01',
      r.amountByFormula ? { formula: `${r.amount - 1}+1`, result: r.amount } : r.amount,
    ]);
  }
  const last = sheet.rowCount;
  if (spec.jumlah) {
    const sum = shown.reduce((s, [, a]) => s + a, 0);
    sheet.addRow(['JUMLAH', '', '', '', { formula: `SUM(E${first}:E${last})`, result: sum }]);
    if (spec.footer) {
      sheet.addRow([]);
      sheet.addRow(['', '', 'Mengetahui,', '', 'Bendahara Pengeluaran']);
      sheet.addRow(['', '', 'Kepala Dinas', '', '']);
      sheet.addRow(['', nipOf(900), 'Dr. Kepala', '', '']);
      sheet.addRow(['', '', 'NIP. 19750314 200012 1 002', '', `NIP. ${nipOf(901)}`]);
    }
  }
  return shown;
}

describe('generated workbooks: the rows shown in the visible list are the rows taken', () => {
  it('holds for hidden sheets, table heads, number rows, footers and formula cells', async () => {
    await fc.assert(
      fc.asyncProperty(workbook, async (w) => {
        const book = new ExcelJS.Workbook();
        let offset = 0;
        const hidden = (spec: SheetSpec, n: number, very: boolean) => {
          const s = book.addWorksheet(`Draf ${n}`, { state: very ? 'veryHidden' : 'hidden' });
          offset += 50;
          writeList(s, spec, offset);
        };
        if (w.instructionsFirst) book.addWorksheet('Petunjuk').addRow(['Isi lembar berikutnya.']);
        for (const [n, spec] of w.hiddenBefore.entries()) hidden(spec, n, w.veryHidden && n === 0);
        const list = book.addWorksheet('JAN 2026');
        offset += 50;
        const shown = writeList(list, w.list, offset);
        for (const [n, spec] of w.hiddenAfter.entries()) hidden(spec, 10 + n, false);
        const listIndex = book.worksheets.indexOf(list);
        book.views = [
          {
            x: 0,
            y: 0,
            width: 10000,
            height: 10000,
            firstSheet: 0,
            activeTab: w.listActive ? listIndex : 0,
            visibility: 'visible',
          },
        ];
        const bytes = Buffer.from(await book.xlsx.writeBuffer());

        const table = await openTable(fromBuffer(bytes, 4096), {
          fileName: 'x.xlsx',
          columns: PAYROLL_COLUMNS,
        });
        expect(table.sheet).toBe('JAN 2026');
        const taken: [string, number][] = [];
        const rows = validatePayrollRows(table, PAYROLL_CONTEXT);
        for (;;) {
          const next = await rows.next();
          if (next.done) {
            expect(checkControlTotals(next.value)).toBeUndefined();
            expect(next.value.dataRows).toBe(shown.length);
            expect(next.value.footer !== undefined).toBe(w.list.jumlah && w.list.footer);
            break;
          }
          const o = next.value;
          if (!o.ok) throw new Error(`row ${o.line} rejected: ${o.reason} ${o.field}`);
          taken.push([o.value.nip, o.value.amount]);
        }
        expect(taken).toEqual(shown);
      }),
      { numRuns: 30, seed: 31 },
    );
  }, 60_000);
});
