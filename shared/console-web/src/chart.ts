import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Reconciliation } from '../../console/responses.ts';
import { month, rupiah } from './format.ts';
import { t } from './i18n.ts';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AriaComponent,
  SVGRenderer,
]);

/** Money in and allocated per month (bars) and the closing balance (line), labels through Intl. */
export function renderMonthlyChart(el: HTMLElement, months: readonly Reconciliation[]): void {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => rupiah(Number(v)) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: 'category', data: months.map((m) => month(m.month)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => rupiah(v) } },
    series: [
      {
        name: t('credits'),
        type: 'bar',
        data: months.map((m) => m.credits.total),
        itemStyle: { color: '#009e73' },
      },
      {
        name: t('allocated'),
        type: 'bar',
        data: months.map((m) => m.allocated),
        itemStyle: { color: '#0072b2' },
      },
      {
        name: t('closing'),
        type: 'line',
        data: months.map((m) => m.closing),
        itemStyle: { color: '#e69f00' },
      },
    ],
  });
  new ResizeObserver(() => chart.resize()).observe(el);
}
