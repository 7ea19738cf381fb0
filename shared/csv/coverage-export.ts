import { BPJS_ANSWER_TEXT, BPJS_COVERAGE_TEXT } from '#domain/confirmed-coverage.ts';
import type { WorkerCoverage } from '#domain/finance-answers.ts';
import { maskName, maskNik } from '#domain/masking.ts';
import type { Privacy, Table } from './export.ts';

/**
 * A worker's coverage history as a table (`sertakan coverage`, the finance API's CSV): per month,
 * allocated on the bill and what BPJS confirmed (docs/bpjs-loop.md#coverage-says-what-is-confirmed).
 * Headers in Indonesian like the other exports; the codes are kept in `status_bpjs` for scripts.
 */
export const COVERAGE_HEADER = [
  'bulan',
  'didanai',
  'paket',
  'alokasi',
  'prioritas',
  'status_bpjs',
  'keterangan_bpjs',
  'jawaban_bpjs',
  'total_diterima_bpjs',
] as const;

export const maskCoverage = (c: WorkerCoverage, p: Privacy): WorkerCoverage =>
  p.unmasked ? c : { ...c, nik: maskNik(c.nik), ...(c.name === undefined ? {} : { name: maskName(c.name) }) };

export const coverageTable = (c: WorkerCoverage): Table => ({
  header: COVERAGE_HEADER,
  rows: c.months.map((m) => [
    m.month,
    m.funded ? 'ya' : 'tidak',
    m.tier ?? '',
    m.amount ?? '',
    m.priority ?? '',
    m.bpjs,
    BPJS_COVERAGE_TEXT[m.bpjs][0],
    BPJS_ANSWER_TEXT[m.answer][0],
    m.receipted,
  ]),
});
