/**
 * The files treasurers should start from: the header the intake expects and one example row, as a CSV
 * for Indonesian Excel (UTF-8 BOM, `;`, CRLF) or as an XLSX whose identifier columns (NIP, NIK, KPJ)
 * and period column are formatted as Text, so Excel cannot turn an 18-digit NIP into `1,98609E+17` or
 * `2026-01` into a date, with a second sheet "Petunjuk" of instructions in Bahasa Indonesia.
 *
 * The example row shows the shapes; left exactly as the template has it, it is not data (openTable
 * drops it, isTemplateExample), so a template sent back unchanged is an empty file, never a false
 * deduction. Any cell of it changed, it is the sender's row and is read as any other.
 */
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

/** The example row of each kind, cell by cell under COLUMNS (an empty optional cell stays empty). */
export const EXAMPLES: Readonly<Record<TemplateKind, readonly string[]>> = {
  payroll: ['199001012020011001', 'Contoh Nama Pegawai', '2026-01', '16800', ''],
  workers: ['1504014107850001', 'Contoh Nama Pekerja', '', 'JKK_JKM', 'petani', '2025-06-01'],
  grant: ['CONTOH-001', 'BKBK', '2026-01', '10000000', 'contoh baris'],
  bpjs: ['', '1504014107850001', '2026-01', 'JKK_JKM', '16800', 'DITERIMA', '', 'contoh baris'],
};

/**
 * The template's own example row, unchanged (cells compared trimmed; an XLSX may drop the trailing
 * empty cell): it is not data. A row with any cell changed is the sender's row.
 */
export function isTemplateExample(cells: readonly string[]): boolean {
  const trimmed = cells.map((c) => c.trim());
  while (trimmed.length > 0 && trimmed.at(-1) === '') trimmed.pop();
  return Object.values(EXAMPLES).some((example) => {
    const wanted = [...example];
    while (wanted.length > 0 && wanted.at(-1) === '') wanted.pop();
    return wanted.length === trimmed.length && wanted.every((cell, i) => cell === trimmed[i]);
  });
}

/** The CSV template of `kind`: BOM + header line + the example row, `;`-delimited. */
export function templateCsv(kind: TemplateKind): string {
  return CSV_BOM + csvLine(COLUMNS[kind].map((c) => c.name)) + csvLine(EXAMPLES[kind]);
}

/** The instructions sheet, in Bahasa Indonesia: what to fill in, how, and how to send it. */
const INSTRUCTIONS: Readonly<Record<TemplateKind, readonly string[]>> = {
  payroll: [
    'Satu baris per ASN yang dipotong gajinya bulan ini; seorang ASN yang mensponsori beberapa pekerja menulis satu baris per pekerja (kolom NIK_Pekerja).',
    'Baris contoh di bawah judul kolom boleh ditimpa atau dihapus; bila dibiarkan persis seperti aslinya, baris itu tidak dibaca.',
    'Jumlah dalam rupiah bulat tanpa sen (16800 atau 16.800). Baris JUMLAH di bawah daftar boleh ada: jumlahnya harus sama dengan isi daftar.',
    'Tanda tangan (Mengetahui, Kepala Dinas / Bendahara Pengeluaran) di bawah baris JUMLAH tidak dibaca.',
    'Kirim dengan: sertakan submit payroll <berkas> --pool <kode> --period YYYY-MM --agency <kode OPD>, atau unggah di konsol.',
  ],
  workers: [
    'Satu baris per pekerja rentan yang didaftarkan; NIK 16 angka, diawali kode provinsi kolam.',
    'Baris contoh di bawah judul kolom boleh ditimpa atau dihapus; bila dibiarkan persis seperti aslinya, baris itu tidak dibaca.',
    'Paket: JKK_JKM atau JKK_JKM_JHT. Tanggal daftar: YYYY-MM-DD atau DD/MM/YYYY.',
    'Kirim dengan: sertakan submit workers <berkas> --pool <kode>.',
  ],
  grant: [
    'Satu baris per hibah (APBD, BKBK, CSR atau OTHER); referensi unik di kolam ini.',
    'Baris contoh di bawah judul kolom boleh ditimpa atau dihapus; bila dibiarkan persis seperti aslinya, baris itu tidak dibaca.',
    'Jumlah dalam rupiah bulat; periode = bulan pertama hibah berlaku (YYYY-MM).',
    'Kirim dengan: sertakan submit grant <berkas> --pool <kode>.',
  ],
  bpjs: [
    'Satu baris per pekerja dan bulan iuran yang dijawab BPJS: DITERIMA atau DITOLAK.',
    'Baris contoh di bawah judul kolom boleh ditimpa atau dihapus; bila dibiarkan persis seperti aslinya, baris itu tidak dibaca.',
    'KPJ_Baru diisi bila BPJS baru menerbitkan KPJ untuk pekerja itu; Jumlah dalam rupiah bulat.',
    'Kirim dengan: sertakan submit bpjs <berkas> --pool <kode> --month YYYY-MM.',
  ],
};

/** The XLSX template of `kind`: sheet "Data" (header, Text-formatted identifier and period columns), sheet "Petunjuk". */
export async function templateXlsx(kind: TemplateKind): Promise<Buffer> {
  // Loaded here: the intake reads isTemplateExample from this module and must not load exceljs for it.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const data = book.addWorksheet('Data');
  const columns = COLUMNS[kind];
  data.columns = columns.map((c) => ({ header: c.name, key: c.name, width: c.width }));
  data.getRow(1).font = { bold: true };
  data.addRow([...EXAMPLES[kind]]);
  data.getRow(2).font = { italic: true, color: { argb: 'FF808080' } };
  for (const [i, c] of columns.entries()) {
    if (!c.text) continue;
    // The column style: Excel gives every cell typed into the column the Text format.
    data.getColumn(i + 1).numFmt = '@';
  }
  const help = book.addWorksheet('Petunjuk');
  help.getColumn(1).width = 18;
  help.getColumn(2).width = 100;
  help.addRow(['PETUNJUK PENGISIAN']).font = { bold: true };
  for (const [i, line] of INSTRUCTIONS[kind].entries()) help.addRow([`${i + 1}.`, line]);
  help.addRow([
    '',
    'Kolom NIP/NIK/KPJ dan Periode sudah berformat Teks: jangan ubah formatnya, agar Excel tidak mengubah NIP menjadi 1,98609E+17.',
  ]);
  help.addRow(['', 'Isi daftar di lembar "Data" saja; jangan mengganti judul kolom.']);
  help.addRow([]);
  help.addRow(['Kolom', 'Isi']).font = { bold: true };
  for (const c of columns) help.addRow([c.name, c.note]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
