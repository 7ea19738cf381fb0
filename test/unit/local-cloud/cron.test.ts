import { describe, expect, it } from 'vitest';
import { schedules } from '#infra/resources.ts';
import {
  CronExpressionError,
  occurrencesBetween,
  parseCron,
  utcOffsetMinutesOf,
} from '#shared/local-cloud/cron.ts';

const wib = utcOffsetMinutesOf('Asia/Jakarta');
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('EventBridge cron', () => {
  it('monthly day 10 06:00 WIB is 23:00 UTC on the 9th', () => {
    const cron = parseCron(schedules.monthlyAllocation.cron);

    const got = occurrencesBetween(
      cron,
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
      wib,
    );

    expect(iso(got)).toEqual([
      '2026-01-09T23:00:00.000Z',
      '2026-02-09T23:00:00.000Z',
      '2026-03-09T23:00:00.000Z',
    ]);
  });

  it('excludes the start instant and includes the end instant', () => {
    const cron = parseCron('cron(0 7 * * ? *)');
    const at = new Date('2026-05-05T00:00:00Z');

    expect(occurrencesBetween(cron, at, new Date(at.getTime() + 1), wib)).toEqual([]);
    expect(iso(occurrencesBetween(cron, new Date(at.getTime() - 1), at, wib))).toEqual([at.toISOString()]);
  });

  it('supports lists, ranges, steps, day-of-week (1 = Sunday) and years', () => {
    const weekdays = parseCron('cron(0,30 8-9 ? * 2-6 2026)');
    // 2026-06-06 is a Saturday, 2026-06-08 a Monday.
    const got = occurrencesBetween(
      weekdays,
      new Date('2026-06-06T00:00:00Z'),
      new Date('2026-06-09T00:00:00Z'),
      0,
    );

    expect(iso(got)).toEqual([
      '2026-06-08T08:00:00.000Z',
      '2026-06-08T08:30:00.000Z',
      '2026-06-08T09:00:00.000Z',
      '2026-06-08T09:30:00.000Z',
    ]);
    expect([...parseCron('cron(*/15 * * * ? *)').minutes]).toEqual([0, 15, 30, 45]);
    expect(
      occurrencesBetween(
        parseCron('cron(0 0 1 1 ? 2030)'),
        new Date('2026-01-01'),
        new Date('2029-12-31'),
        0,
      ),
    ).toEqual([]);
  });

  it('rejects what EventBridge rejects or we do not support, with a reason', () => {
    for (const bad of [
      'cron(0 6 10 * 2 *)',
      'cron(0 6 L * ? *)',
      'cron(60 6 10 * ? *)',
      'cron(0 6 10 * ?)',
      'rate(1 day)',
      'cron(0 6 10-5 * ? *)',
      '',
    ]) {
      expect(() => parseCron(bad), bad).toThrow(CronExpressionError);
    }
    expect(() => utcOffsetMinutesOf('Europe/Berlin')).toThrow(CronExpressionError);
  });
});
