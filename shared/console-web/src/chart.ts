import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { balanceChart, flowsChart, type ReportChart } from '../../charts/chart-options.ts';
import type { PoolReportModel } from '../../charts/pool-report-model.ts';
import type { Reconciliation } from '../../console/responses.ts';
import { h } from './dom.ts';

/**
 * The finance page's charts: the pool report's own option builders (shared/charts, docs/charts.md),
 * the ones the demo's HTML report draws on the server, given to ECharts in the browser. The same
 * captions, colours, Indonesian axis labels and tooltips as the report; the legend is HTML under each
 * chart, as in the report.
 */
use([BarChart, LineChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

/** A pool's finished months as the report model's months (the builders read only these). */
const reportModel = (pool: string, months: readonly Reconciliation[]): PoolReportModel => ({
  pool: { code: pool, name: pool },
  generatedAt: new Date().toISOString(),
  months: months.map((r) => ({
    month: r.month,
    opening: r.opening,
    credits: r.credits.deductions,
    corrections: r.credits.corrections,
    grants: r.credits.grants,
    allocations: r.allocated,
    closing: r.closing,
    funded: r.workers.funded,
    unfunded: r.workers.unfunded,
    lapsed: r.workers.lapsed,
    waitlisted: r.workers.waitlisted,
  })),
  forecast: [],
  alerts: [],
});

function figure(c: ReportChart): HTMLElement {
  const plot = h('div', { class: 'chart', role: 'img', 'aria-label': `${c.title}. ${c.subtitle}` });
  const chart = init(plot, null, { renderer: 'svg' });
  chart.setOption({ ...c.option, aria: { enabled: true } });
  new ResizeObserver(() => chart.resize()).observe(plot);
  return h(
    'figure',
    { class: 'report-chart', 'data-chart': c.id },
    h('figcaption', {}, h('strong', {}, c.title), h('span', { class: 'muted', lang: 'en' }, c.subtitle)),
    plot,
    h(
      'ul',
      { class: 'legend' },
      ...c.series.map((s) =>
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background:${s.color}`, 'aria-hidden': 'true' }),
          s.label,
        ),
      ),
    ),
  );
}

/** Money in beside money allocated, and the closing balance, per finished month of the pool. */
export function poolCharts(pool: string, months: readonly Reconciliation[]): HTMLElement {
  const model = reportModel(pool, months);
  return h('div', { class: 'charts' }, figure(flowsChart(model)), figure(balanceChart(model)));
}
