/**
 * Drives Debian's headless Chromium from a test without any npm package: one process dumps the DOM
 * after the page's scripts ran, another takes a phone-width screenshot. Missing Chromium fails loudly
 * (CI installs it), it never skips.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string {
  const override = process.env.CHROMIUM_PATH;
  for (const path of override ? [override] : CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(
    'Headless Chromium not found (looked for /usr/bin/chromium). Install it: `sudo apt-get install -y chromium` ' +
      '(.ci/run installs it on CI), or set CHROMIUM_PATH.',
  );
}

function flags(profileDir: string, width: number, height: number): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profileDir}`,
    `--window-size=${width},${height}`,
  ];
}

export async function dumpDom(
  chromium: string,
  htmlPath: string,
  workDir: string,
  width: number,
): Promise<string> {
  const args = [
    ...flags(join(workDir, 'profile-dom'), width, 2000),
    '--dump-dom',
    pathToFileURL(htmlPath).href,
  ];
  const { stdout } = await run(chromium, args, { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

export async function screenshot(
  chromium: string,
  htmlPath: string,
  workDir: string,
  pngPath: string,
  size: { width: number; height: number },
): Promise<void> {
  const args = [
    ...flags(join(workDir, 'profile-shot'), size.width, size.height),
    `--screenshot=${pngPath}`,
    pathToFileURL(htmlPath).href,
  ];
  await run(chromium, args, { timeout: 60_000 });
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
