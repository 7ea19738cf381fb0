import { describe, expect, it } from 'vitest';
import { parseReportRef, previewRejections } from '#shared/cli/report-objects.ts';
import { reportText } from '#shared/use-cases/intake/intake-report.ts';

describe('previewRejections', () => {
  it('shows the first rows of a rejection report in order and counts the rest', () => {
    // prepare: the report exactly as the intake writes it (BOM, `;`, quoted sentences)
    const rows = Array.from({ length: 23 }, (_, i) => ({
      line: i + 2,
      field: 'nip',
      value: '1980************01',
      reason: 'NIP_FORMAT' as const,
    }));
    // act
    const preview = previewRejections(reportText(rows), 20);
    // assess
    expect(preview.total).toBe(23);
    expect(preview.more).toBe(3);
    expect(preview.table.header).toEqual(['baris', 'kolom', 'nilai', 'kode', 'keterangan', 'description']);
    expect(preview.table.rows).toHaveLength(20);
    expect(preview.table.rows[0]).toEqual([
      2,
      'nip',
      '1980************01',
      'NIP_FORMAT',
      'NIP harus 18 angka.',
      'The NIP must be 18 digits.',
    ]);
    expect(preview.table.rows.at(-1)?.[0]).toBe(21);
  });

  it('reads an empty report (nothing rejected) and refuses a file that is not a rejection report', () => {
    expect(previewRejections(reportText([]))).toMatchObject({ total: 0, more: 0 });
    expect(() => previewRejections('a;b\n1;2\n')).toThrow(/not a rejection report/);
  });
});

describe('parseReportRef', () => {
  it('takes a bare key in the reports bucket or an s3:// URI, and refuses a path that climbs', () => {
    expect(parseReportRef('reports/bpjs-bill/15.04/2026-01.csv', 'rb')).toEqual({
      bucket: 'rb',
      key: 'reports/bpjs-bill/15.04/2026-01.csv',
    });
    expect(parseReportRef('s3://other/reports/x.csv', 'rb')).toEqual({
      bucket: 'other',
      key: 'reports/x.csv',
    });
    expect(() => parseReportRef('../etc/passwd', 'rb')).toThrow(/not a report key/);
    expect(() => parseReportRef('s3://rb/reports/../../x', 'rb')).toThrow(/not a report key/);
  });
});
