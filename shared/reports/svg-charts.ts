/**
 * Server-side SVG charts for the report: grouped or stacked bars per month, optional lines, one
 * optional right-hand axis. No chart library and no script: the page must render offline and be
 * readable once saved or printed. Every mark carries `data-series` (and `data-month`), and the svg
 * carries `data-chart`, so a test can count what was drawn.
 */
import { esc, monthShortId } from './html-text.ts';

export type Series = {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
  /** Tooltip text per value. */
  readonly format: (value: number) => string;
};

export type ChartSpec = {
  readonly id: string;
  readonly title: string;
  /** `YYYY-MM` per category. */
  readonly months: readonly string[];
  readonly bars?: { readonly mode: 'grouped' | 'stacked'; readonly series: readonly Series[] };
  readonly lines?: readonly Series[];
  /** A line drawn against its own scale, labelled on the right (e.g. workers next to rupiah). */
  readonly rightLine?: Series;
  readonly axisFormat: (value: number) => string;
  readonly rightAxisFormat?: (value: number) => string;
};

const WIDTH = 360;
const HEIGHT = 220;
const TOP = 10;
const BOTTOM = 34;
const LEFT = 50;
const MAX_BAR = 26;

type Scale = { min: number; max: number; ticks: number[]; y: (v: number) => number };

export function renderChart(spec: ChartSpec): string {
  const right = spec.rightLine ? 40 : 8;
  const plotW = WIDTH - LEFT - right;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = Math.max(1, spec.months.length);
  const band = plotW / n;
  const x0 = (i: number): number => LEFT + i * band;

  const leftValues = [
    ...(spec.bars ? barExtent(spec.bars.mode, spec.bars.series) : []),
    ...(spec.lines ?? []).flatMap((s) => s.values),
  ];
  const scale = niceScale(leftValues, plotH);
  const rightScale = spec.rightLine
    ? niceScale(spec.rightLine.values, plotH, scale.ticks.length - 1)
    : undefined;

  const parts: string[] = [];
  for (const t of scale.ticks) {
    const y = r(scale.y(t));
    parts.push(
      `<line class="grid${t === 0 ? ' zero' : ''}" x1="${LEFT}" x2="${WIDTH - right}" y1="${y}" y2="${y}"/>`,
    );
    parts.push(
      `<text class="tick" x="${LEFT - 4}" y="${y + 3.5}" text-anchor="end">${esc(spec.axisFormat(t))}</text>`,
    );
  }
  if (rightScale && spec.rightAxisFormat) {
    for (const t of rightScale.ticks) {
      const y = r(rightScale.y(t));
      const label = esc(spec.rightAxisFormat(t));
      parts.push(`<text class="tick right" x="${WIDTH - right + 4}" y="${y + 3.5}">${label}</text>`);
    }
  }
  spec.months.forEach((month, i) => {
    const cx = r(x0(i) + band / 2);
    parts.push(
      `<text class="tick" x="${cx}" y="${HEIGHT - BOTTOM + 13}" text-anchor="middle">${esc(monthShortId(month))}</text>`,
    );
    if (i === 0 || month.endsWith('-01')) {
      parts.push(
        `<text class="tick year" x="${cx}" y="${HEIGHT - BOTTOM + 25}" text-anchor="middle">${esc(month.slice(0, 4))}</text>`,
      );
    }
  });
  if (spec.bars) parts.push(...bars(spec, scale, band, x0));
  for (const s of spec.lines ?? []) parts.push(line(spec.months, s, scale, band, x0));
  if (spec.rightLine && rightScale) parts.push(line(spec.months, spec.rightLine, rightScale, band, x0, true));

  const titleId = `t-${esc(spec.id)}`;
  return (
    `<svg data-chart="${esc(spec.id)}" data-months="${spec.months.length}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `role="img" aria-labelledby="${titleId}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${titleId}">${esc(spec.title)}</title>${parts.join('')}</svg>`
  );
}

function bars(spec: ChartSpec, scale: Scale, band: number, x0: (i: number) => number): string[] {
  const { mode, series } = spec.bars ?? { mode: 'grouped', series: [] };
  const groups = mode === 'grouped' ? Math.max(1, series.length) : 1;
  // Bars never grow wider than MAX_BAR: with one or two months a full-band bar reads as a block, not a bar.
  const width = Math.min(MAX_BAR, (band * (groups > 1 ? 0.72 : 0.6)) / groups);
  const pad = (band - width * groups) / 2;
  const out: string[] = [];
  spec.months.forEach((month, i) => {
    let stackTop = 0;
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      let from = 0;
      let to = v;
      if (mode === 'stacked') {
        from = stackTop;
        to = stackTop + Math.max(0, v);
        stackTop = to;
      }
      const x = x0(i) + pad + (mode === 'grouped' ? k * width : 0);
      const yTop = Math.min(scale.y(from), scale.y(to));
      const h = Math.abs(scale.y(from) - scale.y(to));
      const tip = `${esc(month)} · ${esc(s.label)}: ${esc(s.format(v))}`;
      out.push(
        `<rect data-series="${esc(s.key)}" data-month="${esc(month)}" data-value="${v}" fill="${esc(s.color)}" ` +
          `x="${r(x)}" y="${r(yTop)}" width="${r(Math.max(0.5, width - (mode === 'grouped' ? 1 : 0)))}" height="${r(h)}">` +
          `<title>${tip}</title></rect>`,
      );
    });
  });
  return out;
}

function line(
  months: readonly string[],
  s: Series,
  scale: Scale,
  band: number,
  x0: (i: number) => number,
  dashed = false,
): string {
  const points = months.map((_, i) => [r(x0(i) + band / 2), r(scale.y(s.values[i] ?? 0))] as const);
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');
  const dots = points
    .map(([x, y], i) => {
      const month = months[i] ?? '';
      const tip = `${esc(month)} · ${esc(s.label)}: ${esc(s.format(s.values[i] ?? 0))}`;
      return `<circle data-point="${esc(s.key)}" data-month="${esc(month)}" cx="${x}" cy="${y}" r="2.6" fill="${esc(s.color)}"><title>${tip}</title></circle>`;
    })
    .join('');
  const dash = dashed ? ' stroke-dasharray="4 3"' : '';
  return `<path data-series="${esc(s.key)}" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2"${dash}/>${dots}`;
}

function barExtent(mode: 'grouped' | 'stacked', series: readonly Series[]): number[] {
  if (mode === 'grouped') return series.flatMap((s) => s.values);
  const n = Math.max(0, ...series.map((s) => s.values.length));
  return Array.from({ length: n }, (_, i) =>
    series.reduce((sum, s) => sum + Math.max(0, s.values[i] ?? 0), 0),
  );
}

/** A 0-based scale with 1/2/5×10^k steps; `steps` forces a step count (to align a right axis). */
function niceScale(values: readonly number[], plotH: number, steps?: number): Scale {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const target = steps ?? 4;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  if (steps !== undefined) max = min + steps * step;
  if (max === min) max = min + step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return { min, max, ticks, y: (v) => TOP + plotH - ((v - min) / (max - min)) * plotH };
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}
