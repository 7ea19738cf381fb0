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
 * Index of each spec column in `header`, or undefined for an absent optional one.
 * Throws HEADER_MISSING when no spec column is present at all (the first row is not our header),
 * COLUMN_MISSING naming every missing required column, COLUMN_DUPLICATED when a column appears twice.
 */
export function matchColumns<K extends string>(
  header: readonly string[],
  spec: Record<K, ColumnSpec>,
): Record<K, number | undefined> {
  const normalised = header.map(normaliseColumnName);
  const result = {} as Record<K, number | undefined>;
  const missing: string[] = [];
  let found = 0;
  for (const key of Object.keys(spec) as K[]) {
    const { names, required } = spec[key];
    const wanted = new Set(names.map(normaliseColumnName));
    const positions = normalised.flatMap((name, index) => (wanted.has(name) ? [index] : []));
    if (positions.length > 1) {
      throw new FileRejectedError(
        'COLUMN_DUPLICATED',
        `kolom/column "${names.join('/')}" muncul ${positions.length} kali / appears ${positions.length} times`,
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
      'tidak ada kolom yang dikenal / no known column in the first row',
    );
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new FileRejectedError('COLUMN_MISSING', `kolom wajib tidak ada / required column missing: ${list}`);
  }
  return result;
}

/** How many of the spec's columns `cells` names, and whether every required one is among them. */
export function headerScore(
  cells: readonly string[],
  spec: Readonly<Record<string, ColumnSpec>>,
): { readonly known: number; readonly complete: boolean } {
  const present = new Set(cells.map(normaliseColumnName));
  let known = 0;
  let complete = true;
  for (const { names, required } of Object.values(spec)) {
    const found = names.some((name) => present.has(normaliseColumnName(name)));
    if (found) known++;
    else if (required) complete = false;
  }
  return { known, complete };
}
