/**
 * Hostile input through the real intake use cases (split-payroll-file, register-workers) on the
 * in-memory fakes: valid, near-valid, garbage bytes and huge fields. test/unit/intake/intake-properties
 * covers the parser; this covers what the use case does with the result: it never throws (a bad file is
 * a recorded outcome with a report), it finishes, accepted + rejected rows equal the data rows, the
 * chunks it emits carry exactly the accepted rows and amount, the report lists exactly the rejected
 * rows, and the same bytes again are a no-op.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import { makeRegisterWorkers } from '#shared/use-cases/intake/register-workers.ts';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';

const clock = { now: () => new Date('2026-01-03T01:00:00Z') };
const PAYROLL_KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';
const WORKERS_KEY = 'incoming/workers/15.04/daftar.csv';
// Far beyond any real cell (a NIP is 18 characters), small enough to keep 100 runs in seconds.
const HUGE = 'x'.repeat(40_000);

const nips = [1, 2, 3, 4, 5].map((seq) =>
  makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq }),
);
const niks = [1, 2, 3].map((seq) =>
  makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: false, seq }),
);

const payrollCell = fc.oneof(
  fc.constantFrom(...nips, '19860926 201505 1 003', '1986', '', HUGE, '1,97503E+17', `'${nips[0]}`),
  fc.constantFrom('Budi', '=HYPERLINK("http://x")', '@SUM(A1)', '"quoted"', 'a;b', HUGE),
  fc.constantFrom('2026-01', '01/2026', '2025-12', 'x', 'Jan-26', 'Januari 2026', '2026-01-15', 'JUMLAH'),
  fc.constantFrom('16800', 'Rp 16.800,00', '-1', '0', '99999999999', '16.800,50', '', '16800.00', '16,800'),
  fc.constantFrom(...niks, ''),
  fc.string({ maxLength: 12 }),
);
const workerCell = fc.oneof(
  fc.constantFrom(...niks, '3201', ''),
  fc.constantFrom('Siti', '+cmd|calc', HUGE),
  fc.constantFrom('JKK_JKM', 'JKK_JKM_JHT', 'GOLD'),
  fc.constantFrom('2025-12-01', '17/08/2025', '2025-02-30', '', '1 Juli 2025', '45870', 'TOTAL'),
  fc.constantFrom('12345678901', '123'),
  fc.string({ maxLength: 12 }),
);

const csv = (lines: readonly (readonly string[])[], delimiter: string) =>
  lines
    .map((l) => l.map((c) => (/[;,"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter))
    .join('\r\n');

// Title rows or Excel's sep= hint above the header, tab delimiters, UTF-16, sum rows in any column.
const SUM_LABELS = ['TOTAL', 'JUMLAH', 'GRAND TOTAL', 'Jumlah:'];
const fileOf = (header: readonly string[], cell: fc.Arbitrary<string>) =>
  fc.oneof(
    fc
      .record({
        rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { maxLength: 25 }),
        delimiter: fc.constantFrom(';', ',', '\t'),
        prefix: fc.constantFrom('none', 'titles', 'sep'),
        utf16: fc.boolean(),
        trailer: fc.option(fc.tuple(fc.nat(30), fc.nat(500_000), fc.constantFrom(...SUM_LABELS), fc.nat(4)), {
          nil: undefined,
        }),
      })
      .map(({ rows, delimiter, prefix, utf16, trailer }) => {
        const above =
          prefix === 'titles'
            ? [['DAFTAR POTONGAN SERTAKAN'], ['DINAS X'], []]
            : prefix === 'sep'
              ? [[`sep=${delimiter}`]]
              : [];
        const sum = trailer
          ? [[...Array<string>(trailer[3]).fill(''), trailer[2], String(trailer[0]), String(trailer[1])]]
          : [];
        const text = csv([...above, header, ...rows, ...sum], delimiter);
        return utf16
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
          : Buffer.from(text);
      }),
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc
      .tuple(fc.uint8Array({ maxLength: 64 }), fc.nat(5))
      .map(([b, n]) =>
        Buffer.concat([Buffer.from(`${header.join(';')}\n`), Buffer.from(b), Buffer.from(HUGE.repeat(n))]),
      ),
  );

const payrollFile = fileOf(['nip', 'nama', 'periode', 'jumlah', 'nik_pekerja'], payrollCell);
const workerFile = fileOf(['nik', 'nama', 'paket', 'tanggal_daftar', 'kpj', 'pekerjaan'], workerCell);

const reportRowCount = (text: string): number =>
  (parse(text, { delimiter: ';', bom: true, relax_column_count: true }) as unknown[]).length - 1;

describe('split-payroll-file on hostile input', () => {
  it('records an outcome for any bytes, and its chunks and report account for every data row', async () => {
    await fc.assert(
      fc.asyncProperty(payrollFile, async (bytes) => {
        // prepare
        const fakes = makeIntakeFakes();
        await fakes.objects.put(INTAKE_BUCKET, PAYROLL_KEY, bytes, 'text/csv');
        const split = makeSplitPayrollFile({ ...fakes, clock, reportsBucket: REPORTS_BUCKET });
        // act
        const outcome = await split({ bucket: INTAKE_BUCKET, key: PAYROLL_KEY });
        const again = await split({ bucket: INTAKE_BUCKET, key: PAYROLL_KEY });
        // assess
        const entries = fakes.queue.sent.flatMap((c) => c.entries);
        const report = await fakes.objects.getText(REPORTS_BUCKET, outcome.reportKey);
        expect(again.fileId).toBe(outcome.fileId);
        if (outcome.rejectReason !== undefined) {
          expect(entries).toHaveLength(0);
          expect(reportRowCount(report)).toBe(1);
          return;
        }
        const { dataRows, acceptedRows, rejectedRows } = outcome.counts;
        expect(acceptedRows + rejectedRows).toBe(dataRows);
        expect(reportRowCount(report)).toBe(rejectedRows);
        const emitted = outcome.status === 'REJECTED' ? 0 : acceptedRows;
        expect(entries).toHaveLength(emitted);
        expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(
          outcome.status === 'REJECTED' ? 0 : outcome.amounts.accepted,
        );
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('register-workers on hostile input', () => {
  it('records an outcome for any bytes, and registers exactly the accepted rows', async () => {
    await fc.assert(
      fc.asyncProperty(workerFile, async (bytes) => {
        // prepare
        const fakes = makeIntakeFakes();
        await fakes.objects.put(INTAKE_BUCKET, WORKERS_KEY, bytes, 'text/csv');
        const register = makeRegisterWorkers({ ...fakes, clock, reportsBucket: REPORTS_BUCKET });
        // act
        const outcome = await register({ bucket: INTAKE_BUCKET, key: WORKERS_KEY });
        // assess
        const report = await fakes.objects.getText(REPORTS_BUCKET, outcome.reportKey);
        if (outcome.rejectReason !== undefined) {
          expect(reportRowCount(report)).toBe(1);
          return;
        }
        const { dataRows, acceptedRows, rejectedRows } = outcome.counts;
        expect(acceptedRows + rejectedRows).toBe(dataRows);
        expect(reportRowCount(report)).toBe(rejectedRows);
        const enrolled: unknown[] = [];
        for await (const page of fakes.workers.listEnrollments('15.04')) enrolled.push(...page);
        expect(enrolled.length).toBeLessThanOrEqual(acceptedRows);
        if (acceptedRows > 0) expect(enrolled.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
