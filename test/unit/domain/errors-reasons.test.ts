import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DomainError,
  isDomainError,
  isTransientError,
  NotFoundError,
  PoisonMessageError,
  RateTableError,
  TransientError,
  ValidationError,
} from '#domain/errors.ts';
import { NIK_REASONS, NIP_REASONS } from '#domain/identifiers.ts';
import { MONEY_REASONS } from '#domain/money.ts';
import { describe as describeReason, isReasonCode, REASONS } from '#domain/reasons.ts';
import { regionName } from '#domain/regions.ts';
import { fail, ok } from '#domain/result.ts';

describe('domain errors', () => {
  it.each([
    [ValidationError, 'ValidationError', 'VALIDATION_FAILED'],
    [ConflictError, 'ConflictError', 'CONFLICT'],
    [NotFoundError, 'NotFoundError', 'NOT_FOUND'],
    [TransientError, 'TransientError', 'TRANSIENT'],
    [PoisonMessageError, 'PoisonMessageError', 'POISON_MESSAGE'],
    [RateTableError, 'RateTableError', 'RATE_TABLE_INVALID'],
  ])('%o has its name and default code', (ErrorClass, name, code) => {
    const error = new ErrorClass('something happened');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe('something happened');
    expect(isDomainError(error)).toBe(true);
    expect(String(error)).toBe(`${name}: something happened`);
  });

  it('keeps the cause of a transient error and a custom code', () => {
    const cause = new Error('ProvisionedThroughputExceededException');
    const error = new TransientError('ledger write throttled', { cause });
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
    expect(isTransientError(error)).toBe(true);
    expect(isTransientError(new ConflictError('lost'))).toBe(false);
    expect(new ValidationError('bad', { code: 'AMOUNT_ZERO' }).code).toBe('AMOUNT_ZERO');
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});

describe('reason catalogue', () => {
  const fileLevel = [
    'HEADER_MISSING',
    'COLUMN_MISSING',
    'COLUMN_DUPLICATED',
    'FILE_EMPTY',
    'FILE_NOT_TABULAR',
    'FILE_ENCODING',
    'CONTROL_TOTAL_MISMATCH',
    'KEY_INVALID',
    'PERIOD_MISMATCH',
    'DUPLICATE_ROW',
    'ROW_COLUMN_COUNT',
    'FIELD_TOO_LONG',
    'AGENCY_OTHER_POOL',
    'NAME_MISSING',
    'TIER_INVALID',
    'SOURCE_INVALID',
    'REFERENCE_MISSING',
    'REFERENCE_DUPLICATE',
    'WORKER_EXITED',
    'WORKER_UNKNOWN',
    'FORMULA_TEXT',
  ];
  const validatorCodes = [
    ...MONEY_REASONS,
    ...NIP_REASONS,
    ...NIK_REASONS,
    'PERIOD_INVALID',
    'DATE_INVALID',
    'KPJ_FORMAT',
    'POOL_INVALID',
    'AGENCY_INVALID',
  ];

  it('describes every reason a validator or the intake can give, in Indonesian and English', () => {
    for (const code of [...validatorCodes, ...fileLevel]) {
      expect(isReasonCode(code), code).toBe(true);
      const text = describeReason(code);
      expect(text.id.length, code).toBeGreaterThan(5);
      expect(text.en.length, code).toBeGreaterThan(5);
      expect(text.id).not.toBe(text.en);
    }
    expect(Object.keys(REASONS).length).toBeGreaterThanOrEqual(validatorCodes.length + fileLevel.length);
  });

  it('still says something readable for an unknown code', () => {
    expect(isReasonCode('NOPE')).toBe(false);
    expect(isReasonCode('toString')).toBe(false);
    expect(describeReason('NOPE').en).toContain('NOPE');
  });
});

describe('regions and results', () => {
  it('names Jambi regions by Kemendagri code', () => {
    expect(regionName('15')).toBe('Jambi');
    expect(regionName('15.04')).toBe('Batanghari');
    expect(regionName('15.03')).toBe('Sarolangun');
    expect(regionName('15.06')).toBe('Tanjung Jabung Barat');
    expect(regionName('15.72')).toBe('Sungai Penuh');
    expect(regionName('15.04.03')).toBe('Muara Bulian');
    expect(regionName('15.04.08')).toBe('Maro Sebo Ilir');
    expect(regionName('15.10')).toBeUndefined();
    expect(regionName('constructor')).toBeUndefined();
  });

  it('builds results', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(fail('AMOUNT_ZERO')).toEqual({ ok: false, reason: 'AMOUNT_ZERO' });
    expect(fail('AMOUNT_ZERO', 'row 4')).toEqual({ ok: false, reason: 'AMOUNT_ZERO', detail: 'row 4' });
  });
});
