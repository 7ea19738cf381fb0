/**
 * A headless browser for the HTML-report test, driven over CDP by playwright-core (which never
 * downloads a browser itself). Where the browser comes from, first that launches:
 * 1. `CHROMIUM_PATH`, when set (an explicit choice: if it does not launch, that is the answer);
 * 2. the headless Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency, so
 *    `npm ci` alone brings it; it unpacks itself to the OS temp dir on first use, ~2 s);
 * 3. Debian's `/usr/bin/chromium` (`apt-get install -y chromium`).
 * When none launches the caller gets the reasons, so the tests can name themselves as not run; on CI
 * (`CI=true`) they fail instead.
 */
import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const INSTALL_HINT =
  'run `npm ci` (brings @sparticuz/chromium), or `apt-get install -y chromium`, or set CHROMIUM_PATH';

// Flags for a browser with no display, no GPU and no network of its own (nothing leaves the machine).
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

export type BrowserLaunch = { ok: true; browser: Browser; source: string } | { ok: false; reasons: string[] };

type Candidate = { source: string; executablePath: () => Promise<string>; args: () => Promise<string[]> };

function candidates(): Candidate[] {
  const override = process.env.CHROMIUM_PATH;
  if (override)
    return [{ source: `CHROMIUM_PATH=${override}`, executablePath: executable(override), args: none }];
  return [
    {
      source: '@sparticuz/chromium',
      executablePath: async () => (await import('@sparticuz/chromium')).default.executablePath(),
      // Its Lambda flags (single process, SwiftShader) minus the two that loosen page security.
      args: async () =>
        (await import('@sparticuz/chromium')).default.args.filter(
          (a) => !/^--(?:headless|disable-web-security|allow-running-insecure-content)/.test(a),
        ),
    },
    { source: '/usr/bin/chromium', executablePath: executable('/usr/bin/chromium'), args: none },
  ];
}

const none = async (): Promise<string[]> => [];

function executable(path: string): () => Promise<string> {
  return async () => {
    accessSync(path, constants.X_OK);
    return path;
  };
}

export async function launchBrowser(): Promise<BrowserLaunch> {
  const reasons: string[] = [];
  for (const candidate of candidates()) {
    try {
      const executablePath = await candidate.executablePath();
      const args = [...new Set([...(await candidate.args()), ...COMMON_ARGS])];
      const browser = await chromium.launch({ executablePath, args, headless: true, timeout: 60_000 });
      return { ok: true, browser, source: candidate.source };
    } catch (err) {
      reasons.push(`${candidate.source}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  return { ok: false, reasons };
}

/**
 * Opens the page at a fixed viewport, lets its scripts run, and returns the serialized DOM; a
 * full-page PNG goes to `pngPath` when given.
 */
export async function renderPage(
  browser: Browser,
  htmlPath: string,
  size: { width: number; height: number },
  pngPath?: string,
): Promise<string> {
  const page = await browser.newPage({ viewport: size });
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    if (pngPath) await page.screenshot({ path: pngPath });
    return await page.content();
  } finally {
    await page.close();
  }
}

/** Attributes of every start tag named `tag` in serialized HTML (values entity-decoded). */
export function startTags(html: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1] ?? ''] = decode(a[2] ?? '');
    out.push(attrs);
  }
  return out;
}

function decode(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
