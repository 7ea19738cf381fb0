/**
 * Finds the spec's columns in a header row, in Indonesian or English, however the clerk typed them:
 * case, spaces, underscores, hyphens, dots and a stray BOM do not matter (`Nama Pekerja`, `NIK_PEKERJA`,
 * `worker-nik` all match). Unknown extra columns are ignored.
 */
import { FileRejectedError } from './errors.ts';

export type ColumnSpec = { readonly names: readonly string[]; readonly required: boolean };

export function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.\uFEFF]+/g, '');
}

/**
 * Every key a header cell answers to. Printed government tables break long labels over lines
 * (Alt+Enter: `Jumlah\n(Rp)`, `Nama\nPegawai`) and add units in brackets: the whole label, the label
 * without its bracketed parts, and its first line each count, so `Jumlah\n(Rp)` and `NIP\nPegawai` are
 * found while `Potongan\nSERTAKAN` is not mistaken for anything.
 */
export function columnKeys(label: string): ReadonlySet<string> {
  const withoutBrackets = (text: string) => text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
  const firstLine = label.split(/\r?\n|\r/)[0] ?? '';
  return new Set(
    [label, withoutBrackets(label), firstLine, withoutBrackets(firstLine)]
      .map(normaliseColumnName)
      .filter((key) => key !== ''),
  );
}

/**
 * Index of each spec column in `header`, or undefined for an absent optional one.
 * Throws HEADER_MISSING when no spec column is present at all (the first row is not our header),
 * COLUMN_MISSING naming every missing required column, COLUMN_DUPLICATED when a column appears twice.
 */
export function matchColumns<K extends string>(
  header: readonly string[],
  spec: Record<K, ColumnSpec>,
): Record<K, number | undefined> {
  const normalised = header.map(columnKeys);
  const result = {} as Record<K, number | undefined>;
  const missing: string[] = [];
  let found = 0;
  for (const key of Object.keys(spec) as K[]) {
    const { names, required } = spec[key];
    const wanted = new Set(names.map(normaliseColumnName));
    const positions = normalised.flatMap((keys, index) =>
      [...keys].some((key) => wanted.has(key)) ? [index] : [],
    );
    if (positions.length > 1) {
      throw new FileRejectedError(
        'COLUMN_DUPLICATED',
        `kolom "${names.join('/')}" muncul ${positions.length} kali di baris judul: hapus atau ganti nama salah satunya / column appears ${positions.length} times`,
        undefined,
      );
    }
    result[key] = positions[0];
    if (positions[0] !== undefined) found++;
    else if (required) missing.push(names.join('/'));
  }
  if (found === 0) {
    throw new FileRejectedError(
      'HEADER_MISSING',
      `tidak ada kolom yang dikenal: baris judul harus memuat ${requiredList(spec)} (contoh: sertakan template) / no known column`,
    );
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new FileRejectedError(
      'COLUMN_MISSING',
      `kolom wajib tidak ada: ${list}; tambahkan kolom itu di baris judul atau simpan pemetaan kolom instansi (sertakan agency columns) / required column missing`,
    );
  }
  return result;
}

/** How many of the spec's columns `cells` names, and whether every required one is among them. */
export function headerScore(
  cells: readonly string[],
  spec: Readonly<Record<string, ColumnSpec>>,
): { readonly known: number; readonly complete: boolean } {
  const present = new Set(cells.flatMap((cell) => [...columnKeys(cell)]));
  let known = 0;
  let complete = true;
  for (const { names, required } of Object.values(spec)) {
    const found = names.some((name) => present.has(normaliseColumnName(name)));
    if (found) known++;
    else if (required) complete = false;
  }
  return { known, complete };
}

/** The required columns by their first name, for messages: `nip, nama, periode, jumlah`. */
export function requiredList(spec: Readonly<Record<string, ColumnSpec>>): string {
  return Object.values(spec)
    .filter((c) => c.required)
    .map((c) => c.names[0])
    .join(', ');
}
