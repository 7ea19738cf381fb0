/**
 * The field cases of issue 18 (test/fixtures/field-cases, copied from ../shared/field-cases): files
 * shaped like what treasurers really send, each with the exact outcome its README states, run through
 * openTable and the row validators (line numbers and reason codes included). The same files go through
 * the real handlers on the local cloud in test/integration/intake/field-cases.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBuffer, type IntakeKind, type IntakeSummary, runIntake } from './run-intake.ts';

const DIR = new URL('../../fixtures/field-cases/', import.meta.url);

const CASES: Record<string, { kind: IntakeKind; summary: IntakeSummary }> = {
  'f03-sep-line.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f04-title-rows.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f05-nip-formats.csv': {
    kind: 'payroll',
    summary: { accepted: 2, amount: 33_600, rejected: [[3, 'NIP_EXCEL_NUMBER']] },
  },
  'f06-amount-formats.csv': { kind: 'payroll', summary: { accepted: 4, amount: 120_400, rejected: [] } },
  'f07-one-donor-two-earmarks.csv': {
    kind: 'payroll',
    summary: { accepted: 2, amount: 53_600, rejected: [] },
  },
  'f08-utf16-tab.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
  'f10-period-formats.csv': { kind: 'payroll', summary: { accepted: 4, amount: 67_200, rejected: [] } },
  'f11-workers-formats.csv': { kind: 'workers', summary: { accepted: 3, amount: 0, rejected: [] } },
  'f13-jumlah-row.csv': { kind: 'payroll', summary: { accepted: 2, amount: 33_600, rejected: [] } },
};

const read = (file: string) => readFileSync(new URL(file, DIR));

describe('field cases (issue 18)', () => {
  it.each(Object.entries(CASES))('%s', async (file, { kind, summary }) => {
    const run = await runIntake(kind, fromBuffer(read(file), 5));
    expect(run.summary).toEqual(summary);
  });

  it('f04: the header is found on line 5, under the title rows', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f04-title-rows.csv')));
    expect(run.outcomes.map((o) => o.line)).toEqual([6, 7]);
  });

  it('f05: the spaced NIP and the NIP with Excel text marker read as their 18 digits', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f05-nip-formats.csv')));
    const nips = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { nip?: string }).nip] : []));
    expect(nips).toEqual(['198609262015051001', '198811302010012003']);
  });

  it('f07: both earmarks are kept; an exact repeat is DUPLICATE_ROW', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f07-one-donor-two-earmarks.csv')));
    const marks = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { workerNik?: string }).workerNik] : []));
    expect(marks).toEqual(['1504014107850001', '1504020101800002']);
    const repeated = Buffer.concat([
      read('f07-one-donor-two-earmarks.csv'),
      Buffer.from('198609262015051001;Budi Santoso;2026-01;36800;1504020101800002\r\n'),
      Buffer.from('198609262015051001;Budi Santoso;2026-01;20000;1504020101800002\r\n'),
    ]);
    const again = await runIntake('payroll', fromBuffer(repeated));
    expect(again.summary).toEqual({
      accepted: 2,
      amount: 53_600,
      rejected: [
        [4, 'DUPLICATE_ROW'],
        [5, 'DUPLICATE_ROW'],
      ],
    });
    const variants = again.outcomes.flatMap((o) => (o.ok ? [] : [o.variant]));
    expect(variants).toEqual([undefined, 'DUPLICATE_ROW_AMOUNT']);
  });

  it('f10: every spelling of the period reads as 2026-01', async () => {
    const run = await runIntake('payroll', fromBuffer(read('f10-period-formats.csv')));
    const periods = run.outcomes.flatMap((o) => (o.ok ? [(o.value as { period?: string }).period] : []));
    expect(periods).toEqual(['2026-01', '2026-01', '2026-01', '2026-01']);
  });

  it('f11: dates, spaced NIK and package spellings are normalised', async () => {
    const run = await runIntake('workers', fromBuffer(read('f11-workers-formats.csv')));
    const workers = run.outcomes.flatMap((o) => {
      if (!o.ok) return [];
      const w = o.value as unknown as { nik: string; tier: string; enrolledOn: string };
      return [[w.nik, w.tier, w.enrolledOn]];
    });
    expect(workers).toEqual([
      ['1504014107850001', 'JKK_JKM', '2025-06-01'],
      ['1504020101800002', 'JKK_JKM_JHT', '2025-07-01'],
      ['1504030202790003', 'JKK_JKM', '2025-08-01'],
    ]);
  });

  it('f13: a JUMLAH sum row that does not match rejects the file whole', async () => {
    const text = read('f13-jumlah-row.csv').toString('utf8').replace(';;JUMLAH;;33.600', ';;JUMLAH;;33.700');
    const run = await runIntake('payroll', fromBuffer(Buffer.from(text)));
    expect(run.summary).toEqual({ file: 'CONTROL_TOTAL_MISMATCH', line: 4 });
  });
});
