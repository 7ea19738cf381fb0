/** The report's five charts, in Indonesian with English subtitles, built from the pool report model. */
import { ALERT_KINDS, type AlertKind } from '#domain/alerts.ts';
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import { compactCount, compactRupiah, esc } from './html-text.ts';
import type { PoolReportModel } from './pool-report-model.ts';
import { renderChart, type Series } from './svg-charts.ts';

export const COLORS = {
  credits: '#2e7d32',
  allocations: '#1565c0',
  balance: '#ef6c00',
  funded: '#2e7d32',
  unfunded: '#f9a825',
  lapsed: '#c62828',
  fundable: '#6a1b9a',
} as const;

export const ALERT_LABELS: Readonly<Record<AlertKind, { id: string; en: string; color: string }>> = {
  ALLOCATION_STALLED: { id: 'Alokasi macet', en: 'allocation stalled', color: '#000000' },
  ALLOCATION_LATE: { id: 'Alokasi terlambat', en: 'allocation late', color: '#37474f' },
  LAPSED: { id: 'Nonaktif', en: 'lapsed', color: '#c62828' },
  AT_RISK: { id: 'Berisiko', en: 'at risk', color: '#ef6c00' },
  UNFUNDED: { id: 'Belum didanai', en: 'unfunded', color: '#f9a825' },
  FILE_MISSING: { id: 'Berkas belum masuk', en: 'file missing', color: '#546e7a' },
  RUNWAY_LOW: { id: 'Dana menipis', en: 'runway low', color: '#6a1b9a' },
};

export type ChartBlock = { id: string; title: string; subtitle: string; svg: string; legend: Series[] };

const people = (n: number): string => `${formatNumberId(n)} pekerja`;

function series(
  key: string,
  label: string,
  color: string,
  values: number[],
  format: (v: number) => string,
): Series {
  return { key, label, color, values, format };
}

export function buildCharts(model: PoolReportModel): ChartBlock[] {
  const months = model.months.map((m) => m.month);
  const inflow = model.months.map((m) => m.credits + m.corrections + m.grants);

  const balance = series(
    'balance',
    'Saldo akhir',
    COLORS.balance,
    model.months.map((m) => m.closing),
    formatRupiah,
  );
  const credits = series('credits', 'Dana masuk', COLORS.credits, inflow, formatRupiah);
  const allocations = series(
    'allocations',
    'Alokasi',
    COLORS.allocations,
    model.months.map((m) => m.allocations),
    formatRupiah,
  );
  const funded = series(
    'funded',
    'Didanai',
    COLORS.funded,
    model.months.map((m) => m.funded),
    people,
  );
  const unfunded = series(
    'unfunded',
    'Belum didanai',
    COLORS.unfunded,
    model.months.map((m) => m.unfunded),
    people,
  );
  const lapsed = series(
    'lapsed',
    'Nonaktif',
    COLORS.lapsed,
    model.months.map((m) => m.lapsed),
    people,
  );

  const fMonths = model.forecast.map((f) => f.month);
  const fBalance = series(
    'forecast-balance',
    'Perkiraan saldo',
    COLORS.balance,
    model.forecast.map((f) => f.balance),
    formatRupiah,
  );
  const fundable = series(
    'fundable',
    'Pekerja dapat didanai (sumbu kanan)',
    COLORS.fundable,
    model.forecast.map((f) => f.fundable),
    people,
  );

  const alertMonths = [...new Set([...months, ...model.alerts.map((a) => a.date.slice(0, 7))])].sort();
  const alertSeries = ALERT_KINDS.map((kind) => {
    const perMonth = alertMonths.map((m) =>
      model.alerts.filter((a) => a.kind === kind && a.date.startsWith(m)).reduce((s, a) => s + a.count, 0),
    );
    const label = ALERT_LABELS[kind];
    return series(`alert-${kind}`, label.id, label.color, perMonth, (v) => `${formatNumberId(v)} peringatan`);
  });

  return [
    {
      id: 'balance',
      title: 'Saldo dana per bulan',
      subtitle: 'Pool balance at month end',
      svg: renderChart({
        id: 'balance',
        title: 'Saldo dana / pool balance',
        months,
        bars: { mode: 'grouped', series: [balance] },
        axisFormat: compactRupiah,
      }),
      legend: [balance],
    },
    {
      id: 'flows',
      title: 'Dana masuk dan alokasi',
      subtitle: 'Credits (payroll, corrections, grants) and allocations per month',
      svg: renderChart({
        id: 'flows',
        title: 'Dana masuk dan alokasi / credits and allocations',
        months,
        bars: { mode: 'grouped', series: [credits, allocations] },
        axisFormat: compactRupiah,
      }),
      legend: [credits, allocations],
    },
    {
      id: 'workers',
      title: 'Pekerja didanai, belum didanai, nonaktif',
      subtitle: 'Workers funded / unfunded / lapsed per month',
      svg: renderChart({
        id: 'workers',
        title: 'Pekerja / workers',
        months,
        bars: { mode: 'stacked', series: [funded, unfunded, lapsed] },
        axisFormat: compactCount,
      }),
      legend: [funded, unfunded, lapsed],
    },
    {
      id: 'forecast',
      title: 'Perkiraan ketahanan dana, 12 bulan',
      subtitle: 'Runway forecast: projected balance and fundable workers',
      svg: renderChart({
        id: 'forecast',
        title: 'Perkiraan / forecast',
        months: fMonths,
        bars: { mode: 'grouped', series: [fBalance] },
        rightLine: fundable,
        axisFormat: compactRupiah,
        rightAxisFormat: compactCount,
      }),
      legend: [fBalance, fundable],
    },
    {
      id: 'alerts',
      title: 'Peringatan per bulan',
      subtitle: 'Alerts sent to BPJS operations, per kind',
      svg: renderChart({
        id: 'alerts',
        title: 'Peringatan / alerts',
        months: alertMonths,
        bars: { mode: 'stacked', series: alertSeries },
        axisFormat: compactCount,
      }),
      legend: alertSeries,
    },
  ];
}

export function legendHtml(items: readonly Series[]): string {
  const li = items
    .map((s) => `<li><span class="swatch" style="background:${esc(s.color)}"></span>${esc(s.label)}</li>`)
    .join('');
  return `<ul class="legend">${li}</ul>`;
}
