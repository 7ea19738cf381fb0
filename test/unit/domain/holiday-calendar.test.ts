import { describe, expect, it } from 'vitest';
import {
  buildHolidayCalendar,
  calendarStatusOf,
  HOLIDAYS,
  isWorkingDay,
  workingDayBefore,
  workingDayOnOrAfter,
} from '#domain/holiday-calendar.ts';
import { allocationDeadlineOf, dueDateOf } from '#domain/period.ts';
import { schedules } from '#infra/resources.ts';

const year = (y: number, days: { date: string; kind?: string; name?: string }[], status = 'DECREED') => ({
  year: y,
  status,
  source: 'test',
  days: days.map((d) => ({ kind: 'LIBUR_NASIONAL', name: 'x', ...d })),
});

describe('the BPJS due date', () => {
  it('is the 15th when the 15th is a working day', () => {
    expect(dueDateOf('2026-01')).toBe('2026-01-15'); // Thursday
    expect(dueDateOf('2026-04')).toBe('2026-04-15'); // Wednesday
  });

  it('moves past a weekend to the Monday', () => {
    expect(dueDateOf('2026-03')).toBe('2026-03-16'); // Sunday 15th
    expect(dueDateOf('2025-11')).toBe('2025-11-17'); // Saturday 15th
  });

  it('moves past a weekend and then holidays and cuti bersama', () => {
    // Sunday 15 Feb 2026, cuti bersama Imlek on the 16th, Imlek on the 17th.
    expect(dueDateOf('2026-02')).toBe('2026-02-18');
    // Friday 15 May 2026 is cuti bersama Kenaikan, then the weekend.
    expect(dueDateOf('2026-05')).toBe('2026-05-18');
    // Saturday 15 Aug 2026, Sunday, Monday the 17th is Independence Day.
    expect(dueDateOf('2026-08')).toBe('2026-08-18');
  });

  it('the allocation deadline is the last working day before the due date', () => {
    expect(allocationDeadlineOf('2026-01')).toBe('2026-01-14');
    expect(allocationDeadlineOf('2026-03')).toBe('2026-03-13'); // Friday before Monday the 16th
    // Due Monday 18 May 2026: 17 Sun, 16 Sat, 15 cuti bersama, 14 Kenaikan: Wednesday the 13th.
    expect(allocationDeadlineOf('2026-05')).toBe('2026-05-13');
  });

  it('a month whose 15th lands on a holiday on a weekday moves to the next day', () => {
    const cal = buildHolidayCalendar([year(2030, [{ date: '2030-01-15' }])]); // a Tuesday
    expect(dueDateOf('2030-01', cal)).toBe('2030-01-16');
    expect(allocationDeadlineOf('2030-01', cal)).toBe('2030-01-14');
  });

  it('a year without a file counts weekends only: a due date never later than the real one', () => {
    const none = buildHolidayCalendar([]);
    expect(calendarStatusOf(2031, none)).toBe('MISSING');
    expect(dueDateOf('2026-02', none)).toBe('2026-02-16');
    expect(dueDateOf('2026-02', none) < dueDateOf('2026-02')).toBe(true);
  });
});

describe('the holiday calendar files', () => {
  it('ship 2025 and 2026 as decreed, 2027 as provisional', () => {
    expect(calendarStatusOf(2025)).toBe('DECREED');
    expect(calendarStatusOf(2026)).toBe('DECREED');
    expect(calendarStatusOf(2027)).toBe('PROVISIONAL');
    // 17 national holidays and 8 cuti bersama in 2026 (the SKB's own count).
    const of2026 = [...HOLIDAYS.holidays].filter(([d]) => d.startsWith('2026-'));
    expect(of2026.filter(([, h]) => h.kind === 'LIBUR_NASIONAL')).toHaveLength(17);
    expect(of2026.filter(([, h]) => h.kind === 'CUTI_BERSAMA')).toHaveLength(8);
  });

  it('working days: weekdays that are not holidays', () => {
    expect(isWorkingDay('2026-08-17')).toBe(false);
    expect(isWorkingDay('2026-08-18')).toBe(true);
    expect(isWorkingDay('2026-08-15')).toBe(false);
    expect(workingDayOnOrAfter('2026-12-24')).toBe('2026-12-28');
    expect(workingDayBefore('2026-03-25')).toBe('2026-03-17');
  });

  it('refuse a malformed file with the field named', () => {
    const bad = (f: unknown) => () => buildHolidayCalendar([f]);
    expect(bad(year(2030, [{ date: '2030-02-30' }]))).toThrow(/days\.0\.date.*real/);
    expect(bad(year(2030, [{ date: '2031-01-01' }]))).toThrow(/not in 2030/);
    expect(bad(year(2030, [{ date: '2030-02-02' }, { date: '2030-01-01' }]))).toThrow(/sorted/);
    expect(bad(year(2030, [{ date: '2030-01-01', kind: 'LIBUR_DAERAH' }]))).toThrow(/kind/);
    expect(bad({ ...year(2030, []), source: '' })).toThrow(/decree/);
    expect(() => buildHolidayCalendar([year(2030, []), year(2030, [])])).toThrow(/twice/);
  });
});

describe('the schedules in infra/resources.ts against the calendar', () => {
  // cron(min hour day-of-month month day-of-week year)
  const dayField = (cron: string) => cron.replace(/^cron\(|\)$/g, '').split(' ')[2] ?? '';
  const monthlyDay = Number(dayField(schedules.monthlyAllocation.cron));
  const [hourlyFrom, hourlyTo] = dayField(schedules.allocationSweepHourly.cron).split('-').map(Number);

  it('every month of the calendar: the run starts before its deadline, and the hourly sweep covers the days up to it', () => {
    for (const y of HOLIDAYS.years.keys()) {
      for (let m = 1; m <= 12; m++) {
        const month = `${y}-${String(m).padStart(2, '0')}`;
        const deadline = allocationDeadlineOf(month);
        const day = Number(deadline.slice(8, 10));
        expect(monthlyDay < day, `${month}: run on day ${monthlyDay}, deadline ${deadline}`).toBe(true);
        expect(day >= (hourlyFrom ?? 99) && day <= (hourlyTo ?? 0), `${month}: deadline ${deadline}`).toBe(
          true,
        );
      }
    }
  });

  it('says when the bill comes out with no working day before the deadline (a long weekend after the run)', () => {
    // May 2025: the run on Saturday the 10th, then Sunday, Waisak, cuti bersama: Wednesday the 14th
    // is both the first working day and the deadline. The check above allows it; finance must act that day.
    expect(workingDayOnOrAfter('2025-05-10')).toBe(allocationDeadlineOf('2025-05'));
  });
});
