import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '#domain/alerts.ts';
import {
  countAxisLabel,
  monthAxisLabel,
  monthLongId,
  monthShortId,
  rupiahAxisLabel,
  rupiahText,
} from '#shared/charts/chart-format.ts';
import { alertsChart, poolReportCharts, type ReportChart } from '#shared/charts/chart-options.ts';
import { renderChartSvg } from '#shared/demo-report/render-chart-svg.ts';
import { sampleReportModel } from './sample-model.ts';

const model = sampleReportModel();
const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** Text of every `<text>` in an SVG, with its anchor (`end` = a left axis label, `start` = right). */
function texts(svg: string): { anchor: string; text: string }[] {
  return [...svg.matchAll(/<text\b[^>]*?text-anchor="(\w+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    anchor: m[1] ?? '',
    text: m[2] ?? '',
  }));
}

type OptionSeries = { id: string; name: string; type: string; data: number[]; stack?: string };
const seriesOf = (c: ReportChart) => c.option.series as OptionSeries[];

describe('chart option builders (pure, shared with the web console)', () => {
  it('build the five charts with the expected series, one value per month each', () => {
    const charts = poolReportCharts(model);
    const alertKeys = ALERT_KINDS.map((k) => `alert-${k}`);
    expect(charts.map((c) => [c.id, c.series.map((s) => s.key)])).toEqual([
      ['balance', ['balance']],
      ['flows', ['credits', 'allocations']],
      ['workers', ['funded', 'unfunded', 'lapsed']],
      ['forecast', ['forecast-balance', 'fundable']],
      ['alerts', alertKeys],
    ]);
    for (const c of charts) {
      expect(
        seriesOf(c).map((s) => [s.id, s.name]),
        c.id,
      ).toEqual(c.series.map((s) => [s.key, s.label]));
      for (const s of seriesOf(c)) expect(s.data, `${c.id}/${s.id}`).toHaveLength(c.months.length);
    }
    const [balance, flows, workers, forecast] = charts;
    expect(seriesOf(balance as ReportChart)[0]?.data).toEqual(model.months.map((m) => m.closing));
    expect(seriesOf(flows as ReportChart)[0]?.data).toEqual(
      model.months.map((m) => m.credits + m.corrections + m.grants),
    );
    expect(seriesOf(workers as ReportChart).every((s) => s.stack === 'total')).toBe(true);
    expect(seriesOf(forecast as ReportChart).map((s) => s.type)).toEqual(['bar', 'line']);
    expect(forecast?.months).toEqual(model.forecast.map((f) => f.month));
  });

  it('give every value axis integer ticks (minInterval 1)', () => {
    for (const c of poolReportCharts(model)) {
      const axes = c.option.yAxis as { minInterval?: number }[];
      expect(axes.length, c.id).toBeGreaterThan(0);
      for (const axis of axes) expect(axis.minInterval, c.id).toBe(1);
    }
  });

  it('are pure: the same model gives the same options', () => {
    expect(JSON.stringify(poolReportCharts(model))).toBe(JSON.stringify(poolReportCharts(model)));
  });

  it('format rupiah and counts the Indonesian way, from Intl', () => {
    expect(rupiahText(17_222_600)).toMatch(/^Rp\s17\.222\.600$/);
    expect(rupiahAxisLabel(17_222_600)).toMatch(/^Rp\s17,2\sjt$/);
    expect(rupiahAxisLabel(1_250_000_000)).toMatch(/^Rp\s1,3\sM$/);
    expect(countAxisLabel(1_500)).toMatch(/^1,5\srb$/);
    const tooltip = (
      seriesOf(poolReportCharts(model)[0] as ReportChart)[0] as unknown as {
        tooltip: { valueFormatter: (v: number) => string };
      }
    ).tooltip;
    expect(tooltip.valueFormatter(16_800)).toMatch(/^Rp\s16\.800$/);
  });

  it('name months in Indonesian, with the year under the first month and every January', () => {
    expect(
      Array.from({ length: 12 }, (_, i) => monthShortId(`2026-${String(i + 1).padStart(2, '0')}`)),
    ).toEqual(MONTHS_ID);
    expect(monthLongId('2026-08')).toBe('Agustus 2026');
    expect(monthAxisLabel(['2026-11', '2026-12', '2027-01'], 0)).toBe('Nov\n2026');
    expect(monthAxisLabel(['2026-11', '2026-12', '2027-01'], 1)).toBe('Des');
    expect(monthAxisLabel(['2026-11', '2026-12', '2027-01'], 2)).toBe('Jan\n2027');
    expect(() => monthShortId('2026-13')).toThrow(RangeError);
  });
});

describe('renderChartSvg (ECharts SSR)', () => {
  it('labels a small alert count axis 0, 1, 2: integer ticks, none repeated', () => {
    const small = {
      ...sampleReportModel({ months: 3 }),
      alerts: [
        { date: '2026-02-06', kind: 'FILE_MISSING' as const, count: 2 },
        { date: '2026-03-06', kind: 'FILE_MISSING' as const, count: 1 },
      ],
    };
    const svg = renderChartSvg(alertsChart(small));
    const axis = texts(svg)
      .filter((t) => t.anchor === 'end')
      .map((t) => t.text);
    expect(axis).toEqual(['0', '1', '2']);
  });

  it('draws every chart of the report with Indonesian axes and a labelled mark per value', () => {
    for (const c of poolReportCharts(model)) {
      const svg = renderChartSvg(c);
      expect(svg.startsWith(`<svg data-chart="${c.id}" data-months="${c.months.length}"`)).toBe(true);
      expect(svg).toContain(`<title id="t-${c.id}">`);
      // Month labels: the x axis reads the Indonesian short names, in order.
      const months = texts(svg)
        .map((t) => t.text)
        .filter((t) => MONTHS_ID.includes(t));
      expect(months, c.id).toEqual(c.months.map((m) => monthShortId(m)));
      const left = texts(svg)
        .filter((t) => t.anchor === 'end')
        .map((t) => t.text);
      expect(new Set(left).size, `${c.id} left axis ${left.join('|')}`).toBe(left.length);
      const money = c.id === 'balance' || c.id === 'flows' || c.id === 'forecast';
      for (const label of left) expect(label, c.id).toMatch(money ? /^Rp\s\d+(,\d)?(\s(rb|jt|M))?$/ : /^\d/);
      // One mark per series per month, each carrying its value and a tooltip title in Indonesian.
      const marks = [...svg.matchAll(/data-series="([^"]+)" data-month="([^"]+)" data-value="(-?\d+)"/g)];
      expect(marks.length, c.id).toBe(c.series.length * c.months.length);
      for (const s of c.series) {
        const own = marks.filter((m) => m[1] === s.key);
        expect(
          own.map((m) => Number(m[3])),
          `${c.id}/${s.key}`,
        ).toEqual([...s.values]);
      }
    }
    const balance = renderChartSvg(poolReportCharts(model)[0] as ReportChart);
    const december = model.months[11]?.closing ?? 0;
    expect(balance).toContain(`<title>Desember 2026 · Saldo akhir: ${rupiahText(december)}</title>`);
  });
});
