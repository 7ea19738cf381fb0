/**
 * The files treasurers should start from (issue 18 item 6): the header the intake expects, as a CSV
 * for Indonesian Excel (UTF-8 BOM, `;`, CRLF) or as an XLSX whose identifier columns (NIP, NIK, KPJ)
 * and period column are formatted as Text, so Excel cannot turn an 18-digit NIP into `1,98609E+17` or
 * `2026-01` into a date. The XLSX has a second sheet with instructions in Indonesian and English; the
 * intake reads the first sheet that has the header. No example data rows: a template sent back
 * unchanged is an empty file, never a false deduction.
 */
import ExcelJS from 'exceljs';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';

export const TEMPLATE_KINDS = ['payroll', 'workers', 'grant', 'bpjs'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

type Column = {
  readonly name: string;
  readonly text: boolean;
  readonly width: number;
  readonly note: string;
};

/** The column names are the first spelling the intake's column specs accept (payroll-rows.ts ...). */
const COLUMNS: Record<TemplateKind, readonly Column[]> = {
  payroll: [
    { name: 'NIP', text: true, width: 22, note: '18 angka / 18 digits' },
    { name: 'Nama', text: false, width: 30, note: 'nama ASN / donor name' },
    { name: 'Periode', text: true, width: 12, note: 'YYYY-MM, mis. 2026-01' },
    { name: 'Jumlah', text: false, width: 14, note: 'rupiah bulat / whole rupiah, mis. 16800' },
    {
      name: 'NIK_Pekerja',
      text: true,
      width: 20,
      note: 'opsional: NIK pekerja yang disponsori (satu baris per pekerja)',
    },
  ],
  workers: [
    { name: 'NIK', text: true, width: 20, note: '16 angka / 16 digits' },
    { name: 'Nama', text: false, width: 30, note: 'nama pekerja / worker name' },
    { name: 'KPJ', text: true, width: 14, note: 'opsional: 11 angka / optional: 11 digits' },
    { name: 'Paket', text: false, width: 14, note: 'JKK_JKM atau JKK_JKM_JHT' },
    { name: 'Pekerjaan', text: false, width: 24, note: 'pekerjaan / occupation' },
    { name: 'Tanggal_Daftar', text: true, width: 16, note: 'YYYY-MM-DD atau DD/MM/YYYY' },
  ],
  grant: [
    { name: 'Referensi', text: true, width: 22, note: 'unik per pool / unique per pool' },
    { name: 'Sumber', text: false, width: 10, note: 'APBD, BKBK, CSR atau OTHER' },
    { name: 'Periode', text: true, width: 12, note: 'bulan pertama / first month, YYYY-MM' },
    { name: 'Jumlah', text: false, width: 18, note: 'rupiah bulat / whole rupiah' },
    { name: 'Keterangan', text: false, width: 30, note: 'opsional / optional' },
  ],
  // BPJS's confirmation of a pool's month (docs/bpjs-loop.md#the-confirmation-file).
  bpjs: [
    { name: 'KPJ', text: true, width: 14, note: 'KPJ di BPJS, kosong bila belum ada / blank when none' },
    { name: 'NIK', text: true, width: 20, note: '16 angka / 16 digits' },
    { name: 'Bulan', text: true, width: 10, note: 'bulan iuran / coverage month, YYYY-MM' },
    { name: 'Program', text: false, width: 14, note: 'JKK_JKM atau JKK_JKM_JHT' },
    { name: 'Jumlah', text: false, width: 12, note: 'iuran diterima / received, rupiah bulat' },
    { name: 'Status', text: false, width: 10, note: 'DITERIMA atau DITOLAK' },
    { name: 'KPJ_Baru', text: true, width: 14, note: 'opsional: KPJ yang baru diterbitkan / newly assigned' },
    { name: 'Keterangan', text: false, width: 30, note: 'opsional / optional' },
  ],
};

/** The CSV template of `kind`: BOM + header line, `;`-delimited. */
export function templateCsv(kind: TemplateKind): string {
  return CSV_BOM + csvLine(COLUMNS[kind].map((c) => c.name));
}

/** The XLSX template of `kind`: sheet "Data" (header, Text-formatted identifier and period columns), sheet "Petunjuk". */
export async function templateXlsx(kind: TemplateKind): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const data = book.addWorksheet('Data');
  const columns = COLUMNS[kind];
  data.columns = columns.map((c) => ({ header: c.name, key: c.name, width: c.width }));
  data.getRow(1).font = { bold: true };
  for (const [i, c] of columns.entries()) {
    if (!c.text) continue;
    // The column style: Excel gives every cell typed into the column the Text format.
    data.getColumn(i + 1).numFmt = '@';
  }
  const help = book.addWorksheet('Petunjuk');
  help.addRow(['Kolom / column', 'Isi / content']);
  for (const c of columns) help.addRow([c.name, c.note]);
  help.addRow([]);
  help.addRow(['Kolom NIP/NIK/KPJ dan Periode sudah berformat Teks: jangan ubah formatnya.']);
  help.addRow(['The NIP/NIK/KPJ and period columns are formatted as Text: keep them so.']);
  return Buffer.from(await book.xlsx.writeBuffer());
}
