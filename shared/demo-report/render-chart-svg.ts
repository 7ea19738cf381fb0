/**
 * Draws a report chart to an SVG string on the server with Apache ECharts' SSR renderer: no DOM, no
 * canvas, no script in the page. Only the parts the report uses are registered (bars, lines, grid,
 * tooltip, SVG renderer), which keeps the bundle small.
 *
 * The SVG is then labelled for people and tests: the root gets `data-chart`, `role="img"` and a
 * `<title>`; every data mark (ECharts tags each with `ecmeta_series_index` / `ecmeta_data_index` in SSR
 * mode) gets `data-series`, `data-month`, `data-value` and a `<title>` with the value in Indonesian,
 * which browsers show on hover, offline and without any script.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { monthLongId } from '#shared/charts/chart-format.ts';
import type { ReportChart } from '#shared/charts/chart-options.ts';
import { esc } from './html-text.ts';

use([BarChart, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

/** The drawing size in px; the page scales the SVG to its column (viewBox), so this sets proportions. */
export const CHART_SIZE = { width: 360, height: 220 } as const;

/**
 * Renders `chart` to a self-contained SVG string (`<svg data-chart=...>...</svg>`).
 * Throws when ECharts' output lacks the root element or a mark names a series or month the chart
 * does not have (a changed ECharts output format must fail loudly, not draw unlabelled charts).
 */
export function renderChartSvg(
  chart: ReportChart,
  size: { width: number; height: number } = CHART_SIZE,
): string {
  const instance = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  let svg: string;
  try {
    instance.setOption(chart.option);
    svg = instance.renderToSVGString({ useViewBox: true });
  } finally {
    instance.dispose();
  }
  return labelMarks(labelRoot(svg, chart), chart);
}

function labelRoot(svg: string, chart: ReportChart): string {
  if (!svg.startsWith('<svg ')) throw new Error(`ECharts SSR output for chart ${chart.id} is not an <svg>`);
  const titleId = `t-${esc(chart.id)}`;
  const attrs =
    `data-chart="${esc(chart.id)}" data-months="${chart.months.length}" ` +
    `data-series-keys="${esc(chart.series.map((s) => s.key).join(' '))}" role="img" aria-labelledby="${titleId}" `;
  const open = svg.indexOf('>') + 1;
  return `<svg ${attrs}${svg.slice(5, open)}<title id="${titleId}">${esc(chart.title)}</title>${svg.slice(open)}`;
}

const MARK = /<(path|rect)([^>]*?) ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)"([^>]*)><\/\1>/g;

function labelMarks(svg: string, chart: ReportChart): string {
  return svg.replace(MARK, (_all, tag: string, before: string, si: string, di: string, after: string) => {
    const series = chart.series[Number(si)];
    const month = chart.months[Number(di)];
    if (series === undefined || month === undefined) {
      throw new Error(
        `chart ${chart.id}: ECharts drew a mark for series ${si}, month ${di}, which it does not have`,
      );
    }
    const value = series.values[Number(di)] ?? 0;
    const tip = `${monthLongId(month)} · ${series.label}: ${series.format(value)}`;
    const data = `data-series="${esc(series.key)}" data-month="${esc(month)}" data-value="${value}"`;
    return `<${tag}${before} ${data}${after}><title>${esc(tip)}</title></${tag}>`;
  });
}
