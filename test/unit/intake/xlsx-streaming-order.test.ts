import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { streamingWorkbook, xlsxSheets } from '#shared/intake/xlsx-source.ts';

/**
 * The streaming reader gets every workbook with its parts before its sheets (docs/intake.md#which-sheet):
 * exceljs stores the shared strings after the sheets, which sent every sheet through a temp file that
 * lost sheets under load. The re-stored workbook must read exactly as the original.
 */
async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Draf', { state: 'hidden' }).addRow(['nip', 'nama', 'periode', 'jumlah']);
  const list = book.addWorksheet('JAN 2026');
  list.addRow(['nip', 'nama', 'periode', 'jumlah']);
  list.addRow(['197001102010011100', 'Siti Aminah', '2026-01', 16800]);
  list.addRow(['197101112011021101', 'Budi', { formula: 'A1', result: '2026-01' }, 36800]);
  book.addWorksheet('Catatan').addRow(['dibuat oleh bendahara']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const readAll = async (bytes: Buffer, parts?: Parameters<typeof xlsxSheets>[3]) => {
  const out: string[] = [];
  for await (const s of xlsxSheets(
    (async function* () {
      yield bytes;
    })(),
    1000,
    () => true,
    parts,
  )) {
    const rows: string[] = [];
    for await (const r of s.rows) rows.push(`${r.line}:${r.cells.join('|')}`);
    out.push(`${s.name}${s.hidden ? ' (hidden)' : ''} ${rows.join(' / ')}`);
  }
  return out;
};

describe('the workbook as the streaming reader gets it', () => {
  it('stores workbook.xml, its rels, shared strings and styles before every sheet, and reads the same', async () => {
    const original = await workbook();
    const { bytes, parts } = await streamingWorkbook(original);
    const names = Object.keys((await JSZip.loadAsync(bytes)).files);
    const firstSheet = names.findIndex((n) => n.startsWith('xl/worksheets/'));
    for (const part of [
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ])
      expect(names.indexOf(part), part).toBeLessThan(firstSheet);
    expect(parts?.sharedStrings).toBe(true);
    expect(await readAll(bytes, parts)).toEqual([
      'Draf (hidden) 1:nip|nama|periode|jumlah',
      'JAN 2026 1:nip|nama|periode|jumlah / 2:197001102010011100|Siti Aminah|2026-01|16800 / 3:197101112011021101|Budi|2026-01|36800',
      'Catatan 1:dibuat oleh bendahara',
    ]);
  });

  it('gives back the bytes unchanged when they are not a zip (the reader then reports the file)', async () => {
    const junk = Buffer.from('PK\u0003\u0004 not really a zip');
    expect(await streamingWorkbook(junk)).toEqual({ bytes: junk });
  });
});
