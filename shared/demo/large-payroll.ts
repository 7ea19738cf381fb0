/**
 * A big payroll deduction file for benchmarks, produced lazily in text chunks so a million rows never
 * sit in memory. Every NIP is valid and distinct (derived from the row index), amounts are realistic,
 * and the same seed gives the same bytes.
 */
import { makeNip } from '#domain/identifiers.ts';
import type { Period } from '#domain/model.ts';
import { PLEDGES } from './catalogue.ts';
import { csvLine } from './csv-text.ts';
import { amountText } from './payroll-files.ts';
import { isoDate } from './population.ts';
import { makeRng } from './prng.ts';

export type LargePayrollOptions = {
  readonly rows: number;
  readonly seed?: number;
  readonly period?: Period;
  readonly delimiter?: ',' | ';';
  /** Rows per yielded chunk (default 2,000, about 100 KB). */
  readonly rowsPerChunk?: number;
};

const SEQUENCES = 999;
const FIRST_BIRTH_UTC = Date.UTC(1966, 0, 1);
const DAY_MS = 86_400_000;
/** Index -> (birth day, gender, sequence) stays a valid, unique NIP up to ~30 years of birth days. */
export const MAX_LARGE_PAYROLL_ROWS = SEQUENCES * 2 * 365 * 30;

export function* generateLargePayroll(options: LargePayrollOptions): Generator<string, void, undefined> {
  const { rows, seed = 1, period = '2026-01', delimiter = ';', rowsPerChunk = 2000 } = options;
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_LARGE_PAYROLL_ROWS) {
    throw new RangeError(`rows must be an integer 0..${MAX_LARGE_PAYROLL_ROWS}, got ${rows}`);
  }
  const rng = makeRng(seed);
  const eol = delimiter === ';' ? '\r\n' : '\n';
  let chunk = `${delimiter === ';' ? '\uFEFF' : ''}${csvLine(['nip', 'nama', 'periode', 'jumlah'], delimiter)}${eol}`;
  let inChunk = 0;
  for (let i = 0; i < rows; i++) {
    const amount = rng.weighted(PLEDGES);
    const cells = [nipOf(i), `Pegawai ${i + 1}`, period, amountText(rng, amount, 'mixed')];
    chunk += csvLine(cells, delimiter) + eol;
    if (++inChunk >= rowsPerChunk) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/** A distinct valid NIP per index: sequence cycles fastest, then gender, then birth day. */
function nipOf(index: number): string {
  const seq = (index % SEQUENCES) + 1;
  const gender = (Math.floor(index / SEQUENCES) % 2) + 1;
  const day = Math.floor(index / (SEQUENCES * 2));
  const birth = new Date(FIRST_BIRTH_UTC + day * DAY_MS);
  const year = birth.getUTCFullYear();
  return makeNip({
    birth: isoDate(year, birth.getUTCMonth() + 1, birth.getUTCDate()),
    appointment: `${Math.min(year + 22, 2024)}-03`,
    gender: gender === 1 ? 1 : 2,
    seq,
  });
}
