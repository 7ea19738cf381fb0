import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ALERT_KINDS } from '#domain/alerts.ts';
import { formatRupiah } from '#domain/money.ts';
import { ALERT_LABELS } from '#shared/charts/chart-options.ts';
import { renderPoolReport } from '#shared/demo-report/html-report.ts';
import { type BrowserLaunch, INSTALL_HINT, launchBrowser, renderPage, startTags } from './chromium.ts';
import { sampleReportModel } from './sample-model.ts';

const PHONE = { width: 412, height: 3200 };
const model = sampleReportModel();
const months = model.months.length;

describe('renderPoolReport: the page as text', () => {
  it('escapes every text from the model: no markup injection through pool names or codes', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const html = renderPoolReport({
      ...sampleReportModel({ poolName: evil }),
      pool: { code: '15.04<b>', name: evil },
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('15.04<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('is self-contained: no external script, style, font, image or link; a CSP forbids fetching', () => {
    const html = renderPoolReport(model);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    // `url(#id)` is a reference inside the same SVG (a clip path); anything else would be a fetch.
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    // The SVG and XLink namespaces are identifiers, never fetched; they are the only URLs on the page.
    const urls = new Set(html.match(/https?:\/\/[^\s"']+/g) ?? []);
    expect([...urls].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('writes Indonesian numbers in the table and refuses a model with a fractional rupiah', () => {
    const html = renderPoolReport(model);
    const first = model.months[0];
    expect(html).toContain(`Rp${(first?.credits ?? 0).toLocaleString('de-DE')}`);
    const bad = { ...model, months: model.months.map((m, i) => (i === 0 ? { ...m, credits: 1.5 } : m)) };
    expect(() => renderPoolReport(bad)).toThrow();
  });

  it('ends the table with a totals row that balances like a month, and shows the waitlist', () => {
    const html = renderPoolReport(model);
    const first = model.months[0];
    const last = model.months.at(-1);
    const rp = formatRupiah;
    const total = /<tr data-row="total">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    const cells = [...total.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
    const sum = (f: (m: (typeof model.months)[number]) => number) =>
      model.months.reduce((t, m) => t + f(m), 0);
    expect(cells.slice(0, 6)).toEqual([
      rp(first?.opening ?? 0),
      rp(sum((m) => m.credits)),
      rp(sum((m) => m.corrections)),
      rp(sum((m) => m.grants)),
      rp(sum((m) => m.allocations)),
      rp(last?.closing ?? 0),
    ]);
    // Opening + every flow − allocations = the last closing, as each month balances.
    expect((first?.opening ?? 0) + sum((m) => m.credits + m.corrections + m.grants - m.allocations)).toBe(
      last?.closing,
    );
    expect(html).toContain('<p class="label">Daftar tunggu</p>');
  });

  it('flags a month whose figures do not add up instead of hiding it', () => {
    const broken = {
      ...model,
      months: model.months.map((m, i) => (i === 1 ? { ...m, closing: m.closing + 1 } : m)),
    };
    expect(renderPoolReport(broken).match(/class="mismatch"/g)).toHaveLength(1);
    expect(renderPoolReport(model)).not.toContain('class="mismatch"');
  });
});

describe('renderPoolReport in headless Chromium (phone width)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'sertakan-report-'));
  const htmlPath = join(workDir, 'laporan-15.04.html');
  const pngPath = join(workDir, 'laporan-15.04.png');
  let launch: BrowserLaunch | undefined;
  let dom = '';

  beforeAll(async () => {
    launch = await launchBrowser();
    if (!launch.ok) {
      const why = `no headless browser could start (${launch.reasons.join('; ')}); ${INSTALL_HINT}`;
      // CI must run these for real; elsewhere each test below names itself as skipped, with the reason.
      if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`);
      console.warn(`\n!!! NOT RUN: the headless-browser tests of the HTML report: ${why}\n`);
      return;
    }
    writeFileSync(htmlPath, renderPoolReport(model));
    dom = await renderPage(launch.browser, htmlPath, PHONE, pngPath);
    console.log(`browser: ${launch.source}\nreport: ${htmlPath}\nscreenshot: ${pngPath}`);
  }, 120_000);
  afterAll(async () => {
    if (launch?.ok) await launch.browser.close();
  });

  /** A test without a browser is skipped with the reason as its note, which the run's reporter lists. */
  function needBrowser(ctx: TestContext): void {
    if (launch && !launch.ok) ctx.skip(`no headless browser (${INSTALL_HINT})`);
  }

  it('ran the page script and measured all five charts with non-empty boxes that fit the phone', (ctx) => {
    needBrowser(ctx);
    const root = startTags(dom, 'html')[0] ?? {};
    expect(root['data-measured']).toBe('5');
    // The page lays out at the phone's width, and nothing overflows the viewport sideways.
    const viewport = Number(root['data-viewport-width']);
    expect(viewport).toBe(PHONE.width);
    expect(Number(root['data-page-width'])).toBeLessThanOrEqual(viewport);
    const charts = startTags(dom, 'svg');
    expect(charts.map((c) => c['data-chart'])).toEqual(['balance', 'flows', 'workers', 'forecast', 'alerts']);
    for (const chart of charts) {
      const drawn = JSON.parse(chart['data-drawn'] ?? '{}') as Record<string, number>;
      expect(drawn.width, chart['data-chart']).toBeGreaterThan(300);
      expect(drawn.width, chart['data-chart']).toBeLessThanOrEqual(viewport);
      expect(drawn.height, chart['data-chart']).toBeGreaterThan(150);
      expect(drawn.visible, chart['data-chart']).toBeGreaterThan(0);
    }
  });

  it('draws one mark per month for every series, with the expected series and legend per chart', (ctx) => {
    needBrowser(ctx);
    const expected: Record<string, [key: string, label: string][]> = {
      balance: [['balance', 'Saldo akhir']],
      flows: [
        ['credits', 'Dana masuk'],
        ['allocations', 'Alokasi'],
      ],
      workers: [
        ['funded', 'Didanai'],
        ['unfunded', 'Belum didanai'],
        ['lapsed', 'Nonaktif'],
      ],
      forecast: [
        ['forecast-balance', 'Perkiraan saldo'],
        ['fundable', 'Pekerja dapat didanai (sumbu kanan)'],
      ],
      alerts: ALERT_KINDS.map((k) => [`alert-${k}`, ALERT_LABELS[k].id]),
    };
    const figures = dom.split('<figure class="chart">').slice(1);
    expect(figures).toHaveLength(5);
    for (const figure of figures) {
      const svg = startTags(figure, 'svg')[0] ?? {};
      const id = svg['data-chart'] ?? '';
      const series = expected[id] ?? [];
      expect(series.length, id).toBeGreaterThan(0);
      expect(svg['data-series-keys']?.split(' '), id).toEqual(series.map(([key]) => key));
      const legend = [...figure.matchAll(/<li><span class="swatch"[^>]*><\/span>([^<]*)<\/li>/g)].map(
        (m) => m[1],
      );
      expect(legend, id).toEqual(series.map(([, label]) => label));
      const monthsShown = Number(svg['data-months']);
      const marks = startTags(figure, 'path').filter((p) => p['data-series'] !== undefined);
      for (const [key] of series) {
        expect(marks.filter((p) => p['data-series'] === key).length, `${id}/${key}`).toBe(monthsShown);
      }
      expect(marks, id).toHaveLength(series.length * monthsShown);
    }
    const paths = startTags(dom, 'path');
    const count = (series: string) => paths.filter((r) => r['data-series'] === series).length;
    for (const series of ['balance', 'credits', 'allocations', 'funded', 'unfunded', 'lapsed']) {
      expect(count(series), series).toBe(months);
    }
    expect(count('forecast-balance')).toBe(model.forecast.length);
    expect(count('fundable')).toBe(model.forecast.length);
    // Bar heights as the browser drew them follow the data: the tallest balance bar is the largest closing.
    const balance = paths.filter((r) => r['data-series'] === 'balance');
    const tallest = balance.reduce((a, b) =>
      Number(b['data-drawn-height']) > Number(a['data-drawn-height']) ? b : a,
    );
    const largest = model.months.reduce((a, b) => (b.closing > a.closing ? b : a));
    expect(tallest['data-month']).toBe(largest.month);
    expect(Number(tallest['data-drawn-height'])).toBeGreaterThan(100);
  });

  it('reads the alerts axis in whole numbers, none repeated, and the months in Indonesian', (ctx) => {
    needBrowser(ctx);
    const alerts = dom.slice(dom.indexOf('<svg data-chart="alerts"'));
    const svg = alerts.slice(0, alerts.indexOf('</svg>'));
    const axis = [...svg.matchAll(/<text\b[^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1] ?? '',
    );
    expect(axis.length).toBeGreaterThanOrEqual(3);
    for (const label of axis) expect(label).toMatch(/^\d+$/);
    expect(new Set(axis).size).toBe(axis.length);
    const monthLabels = [...svg.matchAll(/<text\b[^>]*text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(monthLabels).toEqual(expect.arrayContaining(['Mei', 'Agu', 'Okt', 'Des', '2026']));
  });

  it('renders the reconciliation table with one row per month', (ctx) => {
    needBrowser(ctx);
    expect(startTags(dom, 'tr').filter((r) => r['data-month'] !== undefined)).toHaveLength(months);
  });

  it('saves a phone-width PNG screenshot', (ctx) => {
    needBrowser(ctx);
    const png = readFileSync(pngPath);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(PHONE.width);
    expect(statSync(pngPath).size).toBeGreaterThan(20_000);
  });
});
