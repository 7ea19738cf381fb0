/**
 * Every CSV the system hands to a person neutralises formula injection (OWASP "CSV injection"): no
 * cell a spreadsheet would evaluate, whatever the input. Checked on the real producers with hostile
 * text: rejection reports (through the split use case), the finance API's bill and allocation
 * exports, and the ops alert list. Each CSV is parsed back and every cell inspected.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRow, fileMissingAlert } from '#domain/alerts.ts';
import { makeNip } from '#domain/identifiers.ts';
import { makeHandler } from '#functions/finance-api/handler.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { financeAccess, iamContext } from '#test/support/audit.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fundedMonth } from '#test/support/run-records.ts';
import { fakeFinance } from '#test/unit/finance/fakes.ts';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** Cells a spreadsheet would run as a formula. */
function formulaCells(text: string): string[] {
  const rows: string[][] = parse(text, {
    delimiter: ';',
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  return rows.flat().filter((cell) => FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell));
}

const payloads = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1',
];
const hostile = fc.oneof(
  fc.constantFrom(...payloads),
  fc
    .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ maxLength: 20 }))
    .map(([a, b]) => a + b),
);

describe('formula injection is neutralised in every CSV export', () => {
  it('checker sees an unprotected formula (so the assertions below can fail)', () => {
    expect(formulaCells('a;=1+1\r\n')).toEqual(['=1+1']);
    expect(formulaCells(`${CSV_BOM}${csvLine(['a', '=1+1', -16_800])}`)).toEqual([]);
  });

  it('rejection reports: hostile names, NIPs, periods and amounts from a payroll file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(hostile, hostile, hostile), { minLength: 1, maxLength: 8 }),
        async (rows) => {
          // prepare
          const fakes = makeIntakeFakes();
          const key = 'incoming/payroll/15.04/2026-01/DINKES.csv';
          const nip = makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq: 1 });
          const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
          const body = [
            'nip;nama;periode;jumlah',
            `${nip};Budi;2026-01;16800`,
            ...rows.map(([a, b, c]) => [a, b, c, c].map(quote).join(';')),
            ...rows.map(([a]) => [nip, a, '2026-01', a].map(quote).join(';')),
          ].join('\n');
          await fakes.objects.put(INTAKE_BUCKET, key, body, 'text/csv');
          const split = makeSplitPayrollFile({
            ...fakes,
            clock: { now: () => new Date('2026-01-03T00:00:00Z') },
            reportsBucket: REPORTS_BUCKET,
          });
          // act
          const outcome = await split({ bucket: INTAKE_BUCKET, key });
          const report = await fakes.objects.getText(REPORTS_BUCKET, outcome.reportKey);
          // assess
          expect(outcome.counts.rejectedRows).toBeGreaterThan(0);
          expect(formulaCells(report)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000); // 60 properties, each through the real intake parser: slow on a shared machine

  it('finance API: bill and allocation exports with hostile worker names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 1, maxLength: 6 }), async (names) => {
        // prepare
        const fake = fakeFinance();
        const february = fundedMonth(
          '2026-02',
          names.map((name) => ({ name, kpj: name })),
        );
        fake.runs.push(february.run);
        fake.entries.push(...february.entries);
        const handle = makeHandler({ queries: makeFinanceQueries(fake.deps), ...financeAccess() });
        const get = (path: string, query: Record<string, string>) =>
          handle({
            rawPath: path,
            headers: { accept: 'text/csv' },
            queryStringParameters: query,
            requestContext: { http: { method: 'GET', path }, ...iamContext() },
          } as unknown as APIGatewayProxyEventV2);
        // act
        const exports = await Promise.all([
          get('/pools/15.04/allocations', { month: '2026-02' }),
          get('/pools/15.04/bill', { month: '2026-02' }),
          get('/pools/15.04/allocations', { month: '2026-02', nik: '1504014107900000', unmasked: 'true' }),
        ]);
        // assess
        for (const res of exports) {
          expect(res.statusCode).toBe(200);
          expect(formulaCells(String(res.body))).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('ops alert list: an agency code that starts like a formula', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+][A-Za-z0-9.-]{0,20}$/), (agency) => {
        const alert = {
          ...fileMissingAlert('15.04', agency, '2026-02', '2026-02-05'),
          firstSeen: '2026-02-06',
        };
        expect(formulaCells(CSV_BOM + csvLine(csvRow(alert, '2026-02-06')))).toEqual([]);
      }),
    );
  });
});
