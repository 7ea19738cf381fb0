/**
 * The pool report's five charts as Apache ECharts options, built by pure functions from the pool
 * report model (docs/charts.md). Nothing here renders: the HTML report draws these options to SVG on
 * the server (`shared/demo-report/render-chart-svg.ts`), and the web console can hand the same options to `setOption` in
 * the browser, so both show the same charts with the same Indonesian labels.
 *
 * Units: rupiah are integers, counts are workers or alerts, months are `YYYY-MM` (Asia/Jakarta
 * calendar months). Integer axes use `minInterval: 1`, so a small count never reads 0, 1, 1, 2, 2.
 */
import type { EChartsOption } from 'echarts';
import { ALERT_KIND_INFO, ALERT_KINDS, type AlertKind } from '#domain/alert-kinds.ts';
import {
  countAxisLabel,
  countText,
  monthAxisLabel,
  monthLongId,
  rupiahAxisLabel,
  rupiahText,
} from './chart-format.ts';
import type { PoolReportModel } from './pool-report-model.ts';

/**
 * Series colours, shared with the page's legend swatches: the Okabe-Ito palette, whose colours stay
 * apart for the common kinds of colour blindness (and in greyscale, by lightness, for most pairs).
 */
export const COLORS = {
  credits: '#009e73',
  allocations: '#0072b2',
  balance: '#e69f00',
  funded: '#009e73',
  unfunded: '#e69f00',
  lapsed: '#d55e00',
  fundable: '#cc79a7',
} as const;

/** Label and colour of each alert kind, both from the domain's one registry of kinds (shared/domain/alert-kinds.ts). */
export const ALERT_LABELS: Readonly<Record<AlertKind, { id: string; en: string; color: string }>> =
  Object.fromEntries(
    ALERT_KINDS.map((k) => [k, { ...ALERT_KIND_INFO[k].label, color: ALERT_KIND_INFO[k].color }]),
  ) as Record<AlertKind, { id: string; en: string; color: string }>;

/** One series of a chart: its values per month, and how one value reads in full (tooltips). */
export type ChartSeries = {
  /** Stable id, also the ECharts series id (`balance`, `alert-AT_RISK` ...). */
  readonly key: string;
  /** Indonesian legend label. */
  readonly label: string;
  readonly color: string;
  readonly kind: 'bar' | 'line';
  /** Stacked bars share a stack; unstacked bars stand side by side. */
  readonly stacked: boolean;
  /** 0: the left axis; 1: the right axis. */
  readonly axis: 0 | 1;
  /** One value per month of the chart (integer rupiah or counts). */
  readonly values: readonly number[];
  /** The value written out in Indonesian, e.g. `Rp 17.222.600` or `1.500 pekerja`. */
  readonly format: (value: number) => string;
};

/** A chart of the report: captions, the months on its axis, its series, and the ECharts option. */
export type ReportChart = {
  readonly id: 'balance' | 'flows' | 'workers' | 'forecast' | 'alerts';
  /** Indonesian title and English subtitle, shown above the chart (not inside it). */
  readonly title: string;
  readonly subtitle: string;
  /** `YYYY-MM` per category of the x axis. */
  readonly months: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly option: EChartsOption;
};

type Axis = { readonly format: (value: number) => string };
const RUPIAH_AXIS: Axis = { format: rupiahAxisLabel };
const COUNT_AXIS: Axis = { format: countAxisLabel };

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Liberation Sans, sans-serif';
const MUTED = '#616e7c';
const LINE = '#e4e7eb';
const people = (n: number): string => countText(n, 'pekerja');

function bar(
  key: string,
  label: string,
  color: string,
  values: readonly number[],
  format: (v: number) => string,
  stacked = false,
): ChartSeries {
  return { key, label, color, kind: 'bar', stacked, axis: 0, values, format };
}

/**
 * The ECharts option of a monthly chart: months on the x axis (Indonesian short names, the year under
 * the first month and under each January), one or two value axes, bars no wider than 26 px.
 */
export function monthlyChartOption(
  months: readonly string[],
  series: readonly ChartSeries[],
  axes: readonly [Axis] | readonly [Axis, Axis],
): EChartsOption {
  const yAxis = axes.map((axis, i) => ({
    type: 'value' as const,
    position: i === 0 ? ('left' as const) : ('right' as const),
    minInterval: 1,
    splitNumber: 4,
    // The right axis follows the left one's ticks, so both read off the same grid lines.
    alignTicks: axes.length > 1,
    axisLabel: { formatter: axis.format, color: MUTED, fontSize: 10 },
    splitLine: { show: i === 0, lineStyle: { color: LINE } },
  }));
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: {
      left: 4,
      right: axes.length > 1 ? 4 : 10,
      top: 12,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: months.map((m) => monthLongId(m)),
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: '#9aa5b1' } },
      axisLabel: {
        interval: 0,
        color: MUTED,
        // With a right axis the plot is narrower: 12 months still fit, one size down.
        fontSize: axes.length > 1 ? 9 : 10,
        lineHeight: 12,
        formatter: (_value: string, index: number) => monthAxisLabel(months, index),
      },
    },
    yAxis,
    series: series.map((s) => ({
      id: s.key,
      name: s.label,
      type: s.kind,
      yAxisIndex: s.axis,
      data: [...s.values],
      color: s.color,
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? s.format(v) : String(v ?? '')) },
      ...(s.kind === 'bar'
        ? { barMaxWidth: 26, barGap: '8%', ...(s.stacked ? { stack: 'total' } : {}) }
        : { lineStyle: { width: 2, type: 'dashed' as const }, symbol: 'circle', symbolSize: 5 }),
    })),
  };
}

function chart(
  id: ReportChart['id'],
  title: string,
  subtitle: string,
  months: readonly string[],
  series: readonly ChartSeries[],
  axes: readonly [Axis] | readonly [Axis, Axis],
): ReportChart {
  return { id, title, subtitle, months, series, option: monthlyChartOption(months, series, axes) };
}

/** Closing balance per month (rupiah). */
export function balanceChart(model: PoolReportModel): ReportChart {
  const months = model.months.map((m) => m.month);
  const closing = model.months.map((m) => m.closing);
  return chart(
    'balance',
    'Saldo dana per bulan',
    'Pool balance at month end',
    months,
    [bar('balance', 'Saldo akhir', COLORS.balance, closing, rupiahText)],
    [RUPIAH_AXIS],
  );
}

/** Money in (payroll credits + corrections + grants) next to money allocated, per month (rupiah). */
export function flowsChart(model: PoolReportModel): ReportChart {
  const months = model.months.map((m) => m.month);
  const inflow = model.months.map((m) => m.credits + m.corrections + m.grants);
  const allocated = model.months.map((m) => m.allocations);
  return chart(
    'flows',
    'Dana masuk dan alokasi',
    'Credits (payroll, corrections, grants) and allocations per month',
    months,
    [
      bar('credits', 'Dana masuk', COLORS.credits, inflow, rupiahText),
      bar('allocations', 'Alokasi', COLORS.allocations, allocated, rupiahText),
    ],
    [RUPIAH_AXIS],
  );
}

/** Workers funded, unfunded and lapsed per month, stacked (counts). */
export function workersChart(model: PoolReportModel): ReportChart {
  const months = model.months.map((m) => m.month);
  const pick = (f: (m: PoolReportModel['months'][number]) => number) => model.months.map(f);
  return chart(
    'workers',
    'Pekerja didanai, belum didanai, nonaktif',
    'Workers funded / unfunded / lapsed per month',
    months,
    [
      bar(
        'funded',
        'Didanai',
        COLORS.funded,
        pick((m) => m.funded),
        people,
        true,
      ),
      bar(
        'unfunded',
        'Belum didanai',
        COLORS.unfunded,
        pick((m) => m.unfunded),
        people,
        true,
      ),
      bar(
        'lapsed',
        'Nonaktif',
        COLORS.lapsed,
        pick((m) => m.lapsed),
        people,
        true,
      ),
    ],
    [COUNT_AXIS],
  );
}

/** The runway forecast: projected balance (bars, rupiah, left) and fundable workers (line, right). */
export function forecastChart(model: PoolReportModel): ReportChart {
  const months = model.forecast.map((f) => f.month);
  const balance = model.forecast.map((f) => f.balance);
  const fundable: ChartSeries = {
    key: 'fundable',
    label: 'Pekerja dapat didanai (sumbu kanan)',
    color: COLORS.fundable,
    kind: 'line',
    stacked: false,
    axis: 1,
    values: model.forecast.map((f) => f.fundable),
    format: people,
  };
  return chart(
    'forecast',
    'Perkiraan ketahanan dana, 12 bulan',
    'Runway forecast: projected balance and fundable workers',
    months,
    [bar('forecast-balance', 'Perkiraan saldo', COLORS.balance, balance, rupiahText), fundable],
    [RUPIAH_AXIS, COUNT_AXIS],
  );
}

/** Alerts sent per month, stacked by kind (every kind listed, in ALERT_KINDS order; counts). */
export function alertsChart(model: PoolReportModel): ReportChart {
  const seen = [...model.months.map((m) => m.month), ...model.alerts.map((a) => a.date.slice(0, 7))];
  const months = [...new Set(seen)].sort();
  const series = ALERT_KINDS.map((kind) => {
    const perMonth = months.map((month) =>
      model.alerts
        .filter((a) => a.kind === kind && a.date.startsWith(month))
        .reduce((sum, a) => sum + a.count, 0),
    );
    const label = ALERT_LABELS[kind];
    return bar(`alert-${kind}`, label.id, label.color, perMonth, (v) => countText(v, 'peringatan'), true);
  });
  return chart('alerts', 'Peringatan per bulan', 'Alerts sent to BPJS operations, per kind', months, series, [
    COUNT_AXIS,
  ]);
}

/** All five charts of the pool report, in page order. Pure: same model, same options. */
export function poolReportCharts(model: PoolReportModel): ReportChart[] {
  return [balanceChart, flowsChart, workersChart, forecastChart, alertsChart].map((build) => build(model));
}
