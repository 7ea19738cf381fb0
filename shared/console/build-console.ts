import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The static console as the local cloud serves it: `dist/console`, built with Vite from
 * `shared/console-web` when missing or older than its sources (a few seconds), so `sertakan local up`
 * is one command. `npm run console:build` does the same by hand; CDK deploys the same directory.
 */

export const CONSOLE_SOURCE_DIR = fileURLToPath(new URL('../console-web', import.meta.url));
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));
/** Domain registries the console bundle imports (codes as words): a change there rebuilds it too. */
const DOMAIN_SOURCES = ['alert-kinds.ts', 'status-words.ts'].map((f) =>
  fileURLToPath(new URL(`../domain/${f}`, import.meta.url)),
);

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<string> {
  const index = join(CONSOLE_DIST_DIR, 'index.html');
  const sources = Math.max(newest(CONSOLE_SOURCE_DIR), ...DOMAIN_SOURCES.map((f) => statSync(f).mtimeMs));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return CONSOLE_DIST_DIR;
  log('sertakan: membangun konsol / building the console (vite)…');
  const { build } = await import('vite');
  await build({ configFile: join(CONSOLE_SOURCE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  return CONSOLE_DIST_DIR;
}
