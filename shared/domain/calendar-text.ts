/**
 * Reading periods and dates as treasurers and spreadsheets write them (docs/intake.md#cells-as-people-write-them), into the
 * canonical `YYYY-MM` / `YYYY-MM-DD` of period.ts (Asia/Jakarta calendar; no instant is involved, so no
 * offset applies). One reading per accepted shape; anything that could mean two things is rejected
 * (PERIOD_INVALID / DATE_INVALID), never guessed. Day-first order is the Indonesian rule: `01/02/2026`
 * is 1 February, never 2 January.
 *
 * Excel serials (days since 1899-12-30, the 1900 date system) are read only when the caller says the
 * cell came from an XLSX (`serials: true`): in a CSV, `46023` is not a date anyone wrote.
 */
import type { IsoDate, Period } from './model.ts';
import { isRealDate } from './period.ts';
import { fail, ok, type Result } from './result.ts';

export type CellTextOptions = {
  /** The cell comes from an XLSX: a 5-digit whole number is an Excel date serial. */
  readonly serials?: boolean;
};

const MIN_PERIOD_YEAR = 2000;
const MAX_PERIOD_YEAR = 2100;
const MIN_DATE_YEAR = 1900;
const MAX_DATE_YEAR = 2100;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Month names and abbreviations, Indonesian and English, lower case, to month number. */
const MONTHS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, ['januari', 'january', 'jan']],
      [2, ['februari', 'pebruari', 'february', 'feb', 'peb']],
      [3, ['maret', 'march', 'mar']],
      [4, ['april', 'apr']],
      [5, ['mei', 'may']],
      [6, ['juni', 'june', 'jun']],
      [7, ['juli', 'july', 'jul']],
      [8, ['agustus', 'august', 'agu', 'agt', 'ags', 'aug']],
      [9, ['september', 'sept', 'sep']],
      [10, ['oktober', 'october', 'okt', 'oct']],
      [11, ['november', 'nopember', 'nov', 'nop']],
      [12, ['desember', 'december', 'des', 'dec']],
    ] as const
  ).flatMap(([month, names]) => names.map((name) => [name, month] as const)),
);

/** `januari`, `Jan`, `jan.` -> 1; undefined for anything that is not a month name. */
export function monthOfName(name: string): number | undefined {
  return MONTHS.get(name.toLowerCase().replace(/\.$/, ''));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A calendar date cell as `YYYY-MM-DD`. Accepts `2025-07-01`, `2025/7/1`, `01/07/2025`, `1-7-2025`,
 * `1.7.2025` (day first), `1 Juli 2025`, `01-Jul-2025`, `1 July 2025`, a midnight time after the date
 * (`2025-07-01 00:00:00`, what some exports add), and with `serials` an Excel serial (`45839`).
 * Years 1900-2100; impossible dates (`2025-02-29`) and 2-digit years are DATE_INVALID. Never throws.
 */
export function readDateCell(raw: string, opts: CellTextOptions = {}): Result<IsoDate, 'DATE_INVALID'> {
  const text = raw
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[ T]00:00(?::00(?:\.0+)?)?$/, '');
  if (opts.serials === true && /^\d{5}$/.test(text)) return dateOfSerial(Number(text));
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  let match = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(text);
  if (match) [y, m, d] = [Number(match[1]), Number(match[3]), Number(match[4])];
  if (y === undefined) {
    match = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/.exec(text);
    if (match) [d, m, y] = [Number(match[1]), Number(match[3]), Number(match[4])];
  }
  if (y === undefined) {
    match = /^(\d{1,2})[ \-/]([A-Za-z]+\.?)[ \-/](\d{4})$/.exec(text);
    const month = match?.[2] === undefined ? undefined : monthOfName(match[2]);
    if (match && month !== undefined) [d, m, y] = [Number(match[1]), month, Number(match[3])];
  }
  if (y === undefined || m === undefined || d === undefined) return fail('DATE_INVALID');
  if (y < MIN_DATE_YEAR || y > MAX_DATE_YEAR || !isRealDate(y, m, d)) return fail('DATE_INVALID');
  return ok(`${y}-${pad2(m)}-${pad2(d)}`);
}

/**
 * A payroll or grant period cell as `YYYY-MM` (years 2000-2100). Accepts `2026-01`, `2026-1`,
 * `2026/01`, `01/2026`, `1/2026`, `01-2026`, a month name or abbreviation (Indonesian or English) with a
 * 4- or 2-digit year (`Januari 2026`, `Jan-26`, `Jan 2026`, `jan'26`; 2-digit years are 20YY), and a
 * first-of-month date in any readDateCell shape (`01/01/2026`, `2026-01-01`, an XLSX date or, with
 * `serials`, an Excel serial). A date on another day than the 1st is PERIOD_INVALID: which month it
 * stands for is a guess. Never throws.
 */
export function readPeriodCell(raw: string, opts: CellTextOptions = {}): Result<Period, 'PERIOD_INVALID'> {
  const text = raw.trim().replace(/\s+/g, ' ');
  let y: number | undefined;
  let m: number | undefined;
  let match = /^(\d{4})[-/.](\d{1,2})$/.exec(text);
  if (match) [y, m] = [Number(match[1]), Number(match[2])];
  if (y === undefined) {
    match = /^(\d{1,2})[-/.](\d{4})$/.exec(text);
    if (match) [m, y] = [Number(match[1]), Number(match[2])];
  }
  if (y === undefined) {
    match = /^([A-Za-z]+\.?)[ \-/']{0,2}(\d{4}|\d{2})$/.exec(text);
    const month = match?.[1] === undefined ? undefined : monthOfName(match[1]);
    if (match?.[2] !== undefined && month !== undefined) {
      m = month;
      y = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
    }
  }
  if (y === undefined) {
    const date = readDateCell(text, opts);
    if (!date.ok || !date.value.endsWith('-01')) return fail('PERIOD_INVALID');
    [y, m] = [Number(date.value.slice(0, 4)), Number(date.value.slice(5, 7))];
  }
  if (m === undefined || y < MIN_PERIOD_YEAR || y > MAX_PERIOD_YEAR || m < 1 || m > 12) {
    return fail('PERIOD_INVALID');
  }
  return ok(`${y}-${pad2(m)}`);
}

/** An Excel 1900-system serial as a date (serial 1 = 1900-01-01; Excel's phantom 1900-02-29 is before any serial read here). */
function dateOfSerial(serial: number): Result<IsoDate, 'DATE_INVALID'> {
  const iso = new Date(EXCEL_EPOCH_MS + serial * DAY_MS).toISOString().slice(0, 10);
  const y = Number(iso.slice(0, 4));
  return y < MIN_DATE_YEAR || y > MAX_DATE_YEAR ? fail('DATE_INVALID') : ok(iso);
}
