import { describe, expect, it } from 'vitest';
import { PoisonMessageError } from '#domain/errors.ts';
import { decodeS3EventKey, parseS3Notification } from '#shared/runtime/s3-event.ts';
import { parseIntakeKey } from '#shared/use-cases/intake/intake-key.ts';

const event = (key: string, eventName = 'ObjectCreated:Put') =>
  JSON.stringify({ Records: [{ eventName, s3: { bucket: { name: 'intake' }, object: { key, size: 1 } } }] });

describe('S3 notifications in SQS bodies', () => {
  it('decodes keys the way S3 encodes them (+ is a space, then percent-decoding)', () => {
    expect(decodeS3EventKey('incoming/workers/15.04/Daftar+Pekerja+%282026%29.csv')).toBe(
      'incoming/workers/15.04/Daftar Pekerja (2026).csv',
    );
    expect(decodeS3EventKey('a%2Bb')).toBe('a+b');
    expect(() => decodeS3EventKey('bad%E0%A4%A')).toThrow(PoisonMessageError);
  });

  it('returns created objects, ignores the test event and other event types', () => {
    expect(parseS3Notification(event('incoming/payroll/15.04/2026-01/A1.csv'))).toEqual([
      { bucket: 'intake', key: 'incoming/payroll/15.04/2026-01/A1.csv' },
    ]);
    expect(parseS3Notification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([]);
    expect(parseS3Notification(event('x.csv', 'ObjectRemoved:Delete'))).toEqual([]);
  });

  it('treats anything else as a poison message', () => {
    expect(() => parseS3Notification('not json')).toThrow(PoisonMessageError);
    expect(() => parseS3Notification(JSON.stringify({ Records: [{}] }))).toThrow(PoisonMessageError);
  });
});

describe('intake keys', () => {
  it('reads payroll, worker and grant keys', () => {
    expect(parseIntakeKey('incoming/payroll/15.04/2026-01/DINKES-2.xlsx')).toEqual({
      ok: true,
      value: {
        kind: 'PAYROLL',
        pool: '15.04',
        period: '2026-01',
        agency: 'DINKES-2',
        format: 'xlsx',
        mode: 'REPLACE',
        late: false,
      },
    });
    // The uploader's folder says how the file is meant (docs/intake.md): never guessed from the rows.
    expect(parseIntakeKey('incoming/payroll/15.04/2026-01/koreksi/DINKES.csv')).toMatchObject({
      value: { agency: 'DINKES', mode: 'CORRECTION', late: false },
    });
    expect(parseIntakeKey('incoming/payroll/15.04/2025-09/susulan-koreksi/DINKES.csv')).toMatchObject({
      value: { mode: 'CORRECTION', late: true },
    });
    expect(parseIntakeKey('incoming/payroll/15.04/2026-01/tarik/DINKES.csv')).toMatchObject({
      value: { mode: 'WITHDRAWAL' },
    });
    expect(parseIntakeKey('incoming/workers/15.04.01.2001/any/name here.CSV')).toEqual({
      ok: true,
      value: { kind: 'WORKERS', pool: '15.04.01.2001', format: 'csv' },
    });
    expect(parseIntakeKey('incoming/grants/15/g.csv')).toMatchObject({ ok: true, value: { kind: 'GRANTS' } });
  });

  it.each([
    'incoming/payroll/15.04/2026-01/DINKES.txt',
    'incoming/payroll/15.04/2026-1/DINKES.csv',
    'incoming/payroll/99.99/2026-01/DINKES.csv',
    'incoming/payroll/15.04/2026-01/extra/DINKES.csv',
    'incoming/payroll/15.04/2026-01/Dinas Kesehatan.csv',
    'incoming/refunds/15.04/x.csv',
    'payroll/15.04/2026-01/DINKES.csv',
  ])('rejects %s as KEY_INVALID', (key) => {
    expect(parseIntakeKey(key)).toMatchObject({ ok: false, reason: 'KEY_INVALID' });
  });
});
