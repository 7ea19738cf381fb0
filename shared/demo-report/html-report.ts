/**
 * The per-pool HTML report (docs/charts.md): one self-contained page, no CDN, fonts or external scripts (a
 * CSP meta forbids any fetch), readable on a phone. Indonesian labels with English subtitles; every
 * text from the model is escaped. A few lines of inline script record each chart's drawn size in
 * `data-drawn` (and each mark's in `data-drawn-height`), which is what the headless-browser test reads back.
 */
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import { formatDateId, formatPeriodId, jakartaDateOf } from '#domain/period.ts';
import { monthShortId } from '#shared/charts/chart-format.ts';
import { type ChartSeries, poolReportCharts } from '#shared/charts/chart-options.ts';
import {
  type PoolReportModel,
  type PoolReportMonth,
  poolReportModelSchema,
} from '#shared/charts/pool-report-model.ts';
import { esc } from './html-text.ts';
import { renderChartSvg } from './render-chart-svg.ts';
import { REPORT_CSS } from './report-style.ts';

export type { PoolReportModel } from '#shared/charts/pool-report-model.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

// Runs synchronously at the end of <body>: layout is complete, no load event to race.
const MEASURE_SCRIPT = `(function(){
  var charts = document.querySelectorAll('svg[data-chart]');
  for (var i = 0; i < charts.length; i++) {
    var svg = charts[i], box = svg.getBoundingClientRect(), marks = svg.querySelectorAll('[data-series]'), visible = 0;
    for (var j = 0; j < marks.length; j++) {
      var b = marks[j].getBBox();
      if (b.width > 0 && b.height > 0) visible++;
      marks[j].setAttribute('data-drawn-height', String(Math.round(b.height * 10) / 10));
    }
    svg.setAttribute('data-drawn', JSON.stringify({ width: Math.round(box.width), height: Math.round(box.height), marks: marks.length, visible: visible }));
  }
  var root = document.documentElement;
  root.setAttribute('data-measured', String(charts.length));
  root.setAttribute('data-page-width', String(root.scrollWidth));
  root.setAttribute('data-viewport-width', String(window.innerWidth));
})();`;

/**
 * The whole page for one pool, as a string (UTF-8 HTML, no external resource). Amounts are integer
 * rupiah, months Asia/Jakarta calendar months. Throws a ZodError when `input` breaks the model's
 * schema (e.g. a fractional rupiah), rather than drawing a wrong chart.
 */
export function renderPoolReport(input: PoolReportModel): string {
  const model = poolReportModelSchema.parse(input);
  const title = `Laporan dana SERTAKAN: ${model.pool.name} (${model.pool.code})`;
  const charts = poolReportCharts(model)
    .map(
      (c) =>
        `<figure class="chart"><figcaption><h3>${esc(c.title)}</h3><p class="en">${esc(c.subtitle)}</p></figcaption>` +
        `${renderChartSvg(c)}${legendHtml(c.series)}</figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<p class="kicker">SERTAKAN · Sejahterakan Pekerja di Sekitar Anda</p>
<h1>${esc(model.pool.name)} <span class="code">${esc(model.pool.code)}</span></h1>
<p class="en">Pool report · ${esc(periodRange(model))} · dibuat / generated ${esc(generatedText(model.generatedAt))}</p>
</header>
${summaryCards(model)}
<section id="grafik"><h2>Grafik <span class="en">Charts</span></h2><div class="grid">${charts}</div></section>
<section id="rekonsiliasi"><h2>Rekonsiliasi bulanan <span class="en">Monthly reconciliation</span></h2>
<p class="hint">Geser tabel ke samping untuk kolom lain · <span class="en">scroll sideways for more columns</span></p>
${reconciliationTable(model.months)}</section>
<footer><p>Semua angka dalam rupiah penuh; saldo akhir = saldo awal + dana masuk + koreksi + hibah − alokasi.</p>
<p class="en">All amounts in whole rupiah; closing = opening + credits + corrections + grants − allocations.</p></footer>
</main>
<script>${MEASURE_SCRIPT}</script>
</body>
</html>
`;
}

function legendHtml(items: readonly ChartSeries[]): string {
  const li = items
    .map((s) => `<li><span class="swatch" style="background:${esc(s.color)}"></span>${esc(s.label)}</li>`)
    .join('');
  return `<ul class="legend">${li}</ul>`;
}

function periodRange(model: PoolReportModel): string {
  const first = model.months[0]?.month;
  const last = model.months[model.months.length - 1]?.month;
  if (first === undefined || last === undefined) return 'belum ada data / no data yet';
  return first === last ? formatPeriodId(first) : `${formatPeriodId(first)} – ${formatPeriodId(last)}`;
}

function generatedText(instant: string): string {
  const at = new Date(instant);
  const wib = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
  return `${formatDateId(jakartaDateOf(at))} ${wib} WIB`;
}

function summaryCards(model: PoolReportModel): string {
  const last = model.months[model.months.length - 1];
  const sum = (f: (m: PoolReportMonth) => number): number => model.months.reduce((s, m) => s + f(m), 0);
  const alerts = model.alerts.reduce((s, a) => s + a.count, 0);
  const funded = last?.funded ?? 0;
  const covered = model.forecast.findIndex((f) => f.fundable < funded);
  const runway =
    model.forecast.length === 0
      ? '–'
      : covered === -1
        ? `≥ ${model.forecast.length} bulan`
        : `${covered} bulan`;
  const cards: [string, string, string][] = [
    ['Saldo akhir', 'Closing balance', formatRupiah(last?.closing ?? 0)],
    ['Pekerja didanai', `Workers funded, ${last ? formatPeriodId(last.month) : '–'}`, formatNumberId(funded)],
    ['Dana masuk', 'Credits incl. grants', formatRupiah(sum((m) => m.credits + m.corrections + m.grants))],
    ['Alokasi', 'Allocated to BPJS', formatRupiah(sum((m) => m.allocations))],
    [
      'Daftar tunggu',
      `Waitlisted, ${last ? formatPeriodId(last.month) : '–'}`,
      formatNumberId(last?.waitlisted ?? 0),
    ],
    ['Ketahanan dana', 'Runway at current funding', runway],
    ['Peringatan', 'Alerts sent', formatNumberId(alerts)],
  ];
  const html = cards
    .map(
      ([id, en, value]) =>
        `<div class="card"><p class="label">${esc(id)}</p><p class="en">${esc(en)}</p><p class="value">${esc(value)}</p></div>`,
    )
    .join('');
  return `<section class="cards">${html}</section>`;
}

const COLUMNS: readonly [id: string, en: string, pick: (m: PoolReportMonth) => number, money: boolean][] = [
  ['Saldo awal', 'Opening', (m) => m.opening, true],
  ['Dana masuk', 'Credits', (m) => m.credits, true],
  ['Koreksi', 'Corrections', (m) => m.corrections, true],
  ['Hibah', 'Grants', (m) => m.grants, true],
  ['Alokasi', 'Allocations', (m) => m.allocations, true],
  ['Saldo akhir', 'Closing', (m) => m.closing, true],
  ['Didanai', 'Funded', (m) => m.funded, false],
  ['Belum didanai', 'Unfunded', (m) => m.unfunded, false],
  ['Nonaktif', 'Lapsed', (m) => m.lapsed, false],
  ['Antrean', 'Waitlisted', (m) => m.waitlisted, false],
];

function reconciliationTable(months: readonly PoolReportMonth[]): string {
  const head = COLUMNS.map(
    ([id, en]) => `<th scope="col">${esc(id)}<span class="en">${esc(en)}</span></th>`,
  ).join('');
  const rows = months
    .map((m) => {
      // Conservation (docs/design.md#conservation) made visible: a month that does not add up is flagged, not hidden.
      const balanced = m.opening + m.credits + m.corrections + m.grants - m.allocations === m.closing;
      const cells = COLUMNS.map(([, , pick, money], k) => {
        const v = pick(m);
        const flag =
          k === 5 && !balanced ? ' class="mismatch" title="tidak seimbang / does not balance"' : '';
        return `<td${flag}>${esc(money ? formatRupiah(v) : formatNumberId(v))}</td>`;
      }).join('');
      const label = `${monthShortId(m.month)} ${m.month.slice(0, 4)}`;
      return `<tr data-month="${esc(m.month)}"><th scope="row" title="${esc(formatPeriodId(m.month))}">${esc(label)}</th>${cells}</tr>`;
    })
    .join('');
  return (
    `<div class="table-wrap"><table data-table="reconciliation"><thead><tr><th scope="col">Bulan<span class="en">Month</span></th>${head}</tr></thead>` +
    `<tbody>${rows}</tbody>${totalsRow(months)}</table></div>`
  );
}

/**
 * The totals row: the first month's opening, the sum of every flow, the last month's closing; worker
 * counts are of the last month (they are states, not flows). So the row balances as each month does.
 */
function totalsRow(months: readonly PoolReportMonth[]): string {
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return '';
  const sum = (f: (m: PoolReportMonth) => number) => months.reduce((s, m) => s + f(m), 0);
  const cells = [
    formatRupiah(first.opening),
    formatRupiah(sum((m) => m.credits)),
    formatRupiah(sum((m) => m.corrections)),
    formatRupiah(sum((m) => m.grants)),
    formatRupiah(sum((m) => m.allocations)),
    formatRupiah(last.closing),
    formatNumberId(last.funded),
    formatNumberId(last.unfunded),
    formatNumberId(last.lapsed),
    formatNumberId(last.waitlisted),
  ]
    .map((v) => `<td>${esc(v)}</td>`)
    .join('');
  return `<tfoot><tr data-row="total"><th scope="row">Jumlah<span class="en">Total (workers: last month)</span></th>${cells}</tr></tfoot>`;
}
