/**
 * The hostile corpus (test/fixtures/intake): every file with its expected outcome, either the one
 * file-level reason it is rejected with, or the accepted row count, the accepted rupiah total and the
 * exact (line, reason) of every rejected row. Files are fed in 7-byte chunks so every sniffing and
 * decoding step meets chunk boundaries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBuffer, type IntakeKind, type IntakeSummary, runIntake } from './run-intake.ts';

const DIR = new URL('../../fixtures/intake/', import.meta.url);

const CORPUS: Record<string, IntakeSummary> = {
  'p01-valid-semicolon.csv': { accepted: 3, amount: 50_400, rejected: [] },
  'p02-valid-comma.csv': { accepted: 4, amount: 67_200, rejected: [] },
  'p03-bom-utf8.csv': { accepted: 2, amount: 33_600, rejected: [] },
  'p04-latin1-names.csv': { accepted: 2, amount: 53_600, rejected: [] },
  'p05-crlf.csv': { accepted: 3, amount: 50_400, rejected: [] },
  // Rows are numbered as Excel shows them: the quoted line breaks above do not push Ani's row (4) down.
  'p06-quoted-newline-names.csv': { accepted: 2, amount: 33_600, rejected: [[4, 'AMOUNT_INVALID']] },
  // Tab-delimited text (Excel's "Text" / "Unicode Text") is read; was FILE_NOT_TABULAR.
  'p07-tab-delimited.csv': { accepted: 2, amount: 33_600, rejected: [] },
  'p08-mixed-delimiters.csv': { accepted: 2, amount: 33_600, rejected: [[3, 'ROW_COLUMN_COUNT']] },
  'p09-missing-column.csv': { file: 'COLUMN_MISSING', line: 1 },
  'p10-extra-columns.csv': { accepted: 3, amount: 50_400, rejected: [] },
  'p11-duplicated-column.csv': { file: 'COLUMN_DUPLICATED', line: 1 },
  'p12-english-headers.csv': { accepted: 2, amount: 53_600, rejected: [] },
  'p13-uppercase-headers.csv': { accepted: 2, amount: 33_600, rejected: [] },
  'p14-duplicate-rows.csv': {
    accepted: 2,
    amount: 33_600,
    rejected: [
      [4, 'DUPLICATE_ROW'],
      [5, 'DUPLICATE_ROW'],
    ],
  },
  'p15-bad-nip.csv': {
    accepted: 1,
    amount: 16_800,
    rejected: [
      [2, 'NIP_FORMAT'],
      [3, 'NIP_BIRTH_DATE'],
      [4, 'NIP_GENDER'],
      [5, 'NIP_SEQUENCE'],
      [6, 'NIP_FORMAT'],
      [7, 'NIP_EMPTY'],
      [8, 'NIP_APPOINTMENT_DATE'],
    ],
  },
  'p16-bad-worker-nik.csv': {
    accepted: 1,
    amount: 16_800,
    rejected: [
      [2, 'NIK_FORMAT'],
      [3, 'NIK_BIRTH_DATE'],
      [4, 'NIK_REGION'],
      [5, 'NIK_SEQUENCE'],
    ],
  },
  'p17-amount-sen.csv': {
    accepted: 2,
    amount: 33_600,
    rejected: [
      [2, 'AMOUNT_HAS_SEN'],
      // `16800.50` is read as English-locale sen (was AMOUNT_INVALID); still rejected.
      [5, 'AMOUNT_HAS_SEN'],
    ],
  },
  'p18-amount-negative-zero-empty.csv': {
    accepted: 1,
    amount: 16_800,
    rejected: [
      [2, 'AMOUNT_NEGATIVE'],
      [3, 'AMOUNT_ZERO'],
      [4, 'AMOUNT_EMPTY'],
      [5, 'AMOUNT_ZERO'],
    ],
  },
  'p19-amount-huge.csv': {
    accepted: 1,
    amount: 10_000_000,
    rejected: [
      [2, 'AMOUNT_TOO_LARGE'],
      [3, 'AMOUNT_TOO_LARGE'],
      [5, 'AMOUNT_INVALID'],
    ],
  },
  // `16,800` is comma-grouped thousands (rupiah never have three decimals); was AMOUNT_INVALID.
  'p20-rupiah-formats.csv': { accepted: 5, amount: 84_000, rejected: [] },
  'p21-formula-name.csv': {
    accepted: 1,
    amount: 16_800,
    rejected: [
      [2, 'FORMULA_TEXT'],
      [3, 'FORMULA_TEXT'],
      [4, 'FORMULA_TEXT'],
      [5, 'FORMULA_TEXT'],
    ],
  },
  // `Januari 2026` and `2026-1` are periods (were PERIOD_INVALID).
  'p22-period-mismatch.csv': { accepted: 5, amount: 84_000, rejected: [[2, 'PERIOD_MISMATCH']] },
  'p23-empty.csv': { file: 'FILE_EMPTY' },
  'p24-header-only.csv': { file: 'FILE_EMPTY', line: 1 },
  'p25-whitespace-only.csv': { file: 'FILE_EMPTY' },
  'p26-binary-garbage.csv': { file: 'FILE_NOT_TABULAR' },
  'p27-small.xlsx': {
    accepted: 4,
    amount: 107_200,
    rejected: [
      [4, 'FORMULA_TEXT'],
      [6, 'AMOUNT_HAS_SEN'],
      // A NIP typed as a number has lost digits to Excel: its own reason (was NIP_FORMAT).
      [7, 'NIP_EXCEL_NUMBER'],
    ],
  },
  'p28-trailer-right.csv': { accepted: 3, amount: 50_400, rejected: [] },
  'p29-trailer-wrong-sum.csv': { file: 'CONTROL_TOTAL_MISMATCH', line: 5 },
  'p30-trailer-wrong-count.csv': { file: 'CONTROL_TOTAL_MISMATCH', line: 5 },
  'p31-trailer-misplaced.csv': { accepted: 2, amount: 33_600, rejected: [[3, 'CONTROL_ROW_MISPLACED']] },
  'p32-trailer-with-rejects.csv': {
    accepted: 2,
    amount: 33_600,
    rejected: [
      [4, 'AMOUNT_HAS_SEN'],
      [5, 'PERIOD_MISMATCH'],
    ],
  },
  'p33-long-field.csv': { accepted: 1, amount: 16_800, rejected: [[2, 'FIELD_TOO_LONG']] },
  'p34-no-header.csv': { file: 'HEADER_MISSING', line: 1 },
  'p35-unclosed-quote.csv': { file: 'FILE_NOT_TABULAR' },
  'p36-short-long-rows.csv': {
    accepted: 2,
    amount: 33_600,
    rejected: [
      [2, 'ROW_COLUMN_COUNT'],
      [3, 'ROW_COLUMN_COUNT'],
    ],
  },
  'p37-blank-lines.csv': { accepted: 2, amount: 33_600, rejected: [[11, 'AMOUNT_NEGATIVE']] },
  'p38-nip-with-spaces.csv': { accepted: 2, amount: 33_600, rejected: [] },
  // UTF-16 with BOM is decoded (was FILE_ENCODING).
  'p39-utf16.csv': { accepted: 2, amount: 33_600, rejected: [] },
  // Scientific notation is Excel's damage, said so (was NIP_FORMAT).
  'p40-excel-scientific-nip.csv': { accepted: 1, amount: 16_800, rejected: [[2, 'NIP_EXCEL_NUMBER']] },
  'p41-name-missing.csv': {
    accepted: 1,
    amount: 16_800,
    rejected: [
      [2, 'NAME_MISSING'],
      [3, 'NAME_MISSING'],
    ],
  },
  'p42-unknown-headers.csv': { file: 'HEADER_MISSING', line: 1 },
  'p43-ambiguous-delimiter.csv': { file: 'FILE_NOT_TABULAR', line: 1 },
  'p44-html-page.csv': { file: 'HEADER_MISSING', line: 1 },
  'p45-zip-not-xlsx.xlsx': { file: 'FILE_NOT_TABULAR' },
  'p46-control-chars.csv': { accepted: 1, amount: 16_800, rejected: [[2, 'TEXT_INVALID']] },
  'p47-quoted-cells-and-spaces.csv': { accepted: 1, amount: 16_800, rejected: [] },
  'w01-workers-valid.csv': { accepted: 3, amount: 0, rejected: [] },
  'w02-workers-bad.csv': {
    accepted: 2,
    amount: 0,
    rejected: [
      [3, 'DUPLICATE_ROW'],
      [4, 'NIK_REGION'],
      [5, 'KPJ_FORMAT'],
      [6, 'TIER_INVALID'],
      [7, 'DATE_INVALID'],
      [8, 'EXIT_REASON_MISSING'],
      [9, 'FORMULA_TEXT'],
      [11, 'OCCUPATION_MISSING'],
    ],
  },
  'g01-grants-valid.csv': { accepted: 3, amount: 7_860_000_000, rejected: [] },
  'g02-grants-bad.csv': {
    accepted: 1,
    amount: 10_000_000,
    rejected: [
      [3, 'REFERENCE_DUPLICATE'],
      [4, 'REFERENCE_MISSING'],
      [5, 'SOURCE_INVALID'],
      [6, 'GRANT_AMOUNT_TOO_LARGE'],
      [7, 'PERIOD_INVALID'],
      [8, 'FORMULA_TEXT'],
      [9, 'AMOUNT_NEGATIVE'],
    ],
  },
};

function kindOf(file: string): IntakeKind {
  if (file.startsWith('w')) return 'workers';
  if (file.startsWith('g')) return 'grants';
  return 'payroll';
}

describe('hostile intake corpus', () => {
  const files = readdirSync(DIR).filter((f) => !f.endsWith('.ts'));

  it('has at least 40 files, each with an expected outcome', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.sort()).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.entries(CORPUS))('%s', async (file, expected) => {
    const bytes = readFileSync(new URL(file, DIR));
    const run = await runIntake(kindOf(file), fromBuffer(bytes, 7));
    expect(run.summary).toEqual(expected);
    if ('accepted' in expected) expect(run.dataRows).toBe(expected.accepted + expected.rejected.length);
  });
});
