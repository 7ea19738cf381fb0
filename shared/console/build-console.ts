import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The static console as the local cloud serves it: `dist/console`, built with Vite from
 * `shared/console-web` when missing or older than its sources (a few seconds), so `sertakan local up`
 * is one command. `npm run console:build` does the same by hand; CDK deploys the same directory.
 */

export const CONSOLE_SOURCE_DIR = fileURLToPath(new URL('../console-web', import.meta.url));
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));
/**
 * Code outside console-web the bundle imports (the domain's registries and formatters, the answers'
 * schemas, the chart builders): a change there rebuilds it too.
 */
const SHARED_SOURCES = ['../domain', '../charts', './responses.ts'].map((f) =>
  fileURLToPath(new URL(f, import.meta.url)),
);

/** The newest modification time of a file, or of any file under a directory. */
const newest = (path: string): number =>
  statSync(path).isDirectory()
    ? readdirSync(path, { withFileTypes: true }).reduce((m, e) => Math.max(m, newest(join(path, e.name))), 0)
    : statSync(path).mtimeMs;

export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<string> {
  const index = join(CONSOLE_DIST_DIR, 'index.html');
  const sources = Math.max(newest(CONSOLE_SOURCE_DIR), ...SHARED_SOURCES.map(newest));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return CONSOLE_DIST_DIR;
  log('sertakan: membangun konsol / building the console (vite)…');
  const { build } = await import('vite');
  // Built beside it, then swapped in: a server of the old build, or a second process building at the
  // same time, never reads a half-written directory.
  const fresh = `${CONSOLE_DIST_DIR}.${process.pid}.new`;
  const old = `${CONSOLE_DIST_DIR}.${process.pid}.old`;
  await build({
    configFile: join(CONSOLE_SOURCE_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: fresh, emptyOutDir: true },
  });
  if (existsSync(CONSOLE_DIST_DIR)) renameSync(CONSOLE_DIST_DIR, old);
  try {
    renameSync(fresh, CONSOLE_DIST_DIR);
  } catch (err) {
    // Another process swapped its build in first: the same sources, so keep it.
    if (!existsSync(join(CONSOLE_DIST_DIR, 'index.html'))) throw err;
    rmSync(fresh, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return CONSOLE_DIST_DIR;
}
