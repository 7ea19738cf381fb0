/**
 * A plausible year of pool 15.04 for rendering tests: months that add up (opening + credits +
 * corrections + grants − allocations = closing), a late grant, a correction, rising then falling
 * coverage, alerts on a handful of days, and a 12-month forecast.
 */
import { addMonths } from '#domain/period.ts';
import type { PoolReportModel } from '#shared/charts/pool-report-model.ts';

export function sampleReportModel(options: { months?: number; poolName?: string } = {}): PoolReportModel {
  const count = options.months ?? 12;
  const months: PoolReportModel['months'] = [];
  let opening = 0;
  let funded = 0;
  let waitlisted = 1100;
  for (let i = 0; i < count; i++) {
    const month = addMonths('2026-01', i);
    const credits = 59_779_200 + i * 210_000 - (i >= 6 ? 1_200_000 : 0);
    const corrections = i === 2 ? -41_800 : 0;
    const grants = i === 3 ? 75_000_000 : 0;
    const available = opening + credits + corrections + grants;
    const admit = Math.min(waitlisted, i < 4 ? 400 : 120);
    waitlisted -= admit;
    funded = Math.min(funded + admit, Math.floor(available / 20_800));
    const unfunded = i >= 9 ? 35 + (i - 9) * 20 : i === 1 ? 12 : 0;
    const lapsed = i >= 10 ? (i - 9) * 6 : 0;
    const allocations = Math.min(available, funded * 20_800);
    const closing = available - allocations;
    months.push({
      month,
      opening,
      credits,
      corrections,
      grants,
      allocations,
      closing,
      funded,
      unfunded,
      lapsed,
      waitlisted,
    });
    opening = closing;
  }
  const last = months[months.length - 1];
  const forecast: PoolReportModel['forecast'] = Array.from({ length: 12 }, (_, k) => ({
    month: addMonths(last?.month ?? '2026-01', k + 1),
    balance: Math.max(0, (last?.closing ?? 0) - k * 4_500_000),
    fundable: Math.max(0, (last?.funded ?? 0) - Math.max(0, k - 5) * 60),
  }));
  const alerts: PoolReportModel['alerts'] = [
    { date: '2026-02-06', kind: 'FILE_MISSING', count: 2 },
    { date: '2026-02-11', kind: 'UNFUNDED', count: 12 },
    { date: '2026-07-06', kind: 'FILE_MISSING', count: 1 },
    { date: '2026-10-11', kind: 'UNFUNDED', count: 35 },
    { date: '2026-10-12', kind: 'AT_RISK', count: 40 },
    { date: '2026-11-11', kind: 'LAPSED', count: 6 },
    { date: '2026-11-12', kind: 'RUNWAY_LOW', count: 1 },
    { date: '2026-12-11', kind: 'LAPSED', count: 12 },
  ].filter((a) => a.date.slice(0, 7) <= (last?.month ?? '')) as PoolReportModel['alerts'];
  return {
    pool: { code: '15.04', name: options.poolName ?? 'Batanghari' },
    generatedAt: '2026-12-31T03:00:00.000Z',
    months,
    forecast,
    alerts,
  };
}
