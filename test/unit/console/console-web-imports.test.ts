import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The browser console's own modules (shared/console-web/src): pages reach each other through the
 * router, never by import; the shell (main.ts) is the only module that imports a page; parts of pages
 * import no page; and no module imports itself back through others.
 */
const SRC = 'shared/console-web/src';

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** The console modules a file imports (relative imports inside src), as paths from src. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)]
    .map((m) => normalize(join(dirname(file), m[1] ?? '')))
    .filter((p) => p.startsWith(`${SRC}/`))
    .map((p) => relative(SRC, p));

const graph = new Map([...sources(SRC)].map((f) => [relative(SRC, f), importsOf(f)]));

/** Every cycle's first module found by a depth-first walk (empty when the graph has none). */
function circles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (m: string, path: string[]): void => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') {
      found.push([...path.slice(path.indexOf(m)), m]);
      return;
    }
    state.set(m, 'open');
    for (const next of graph.get(m) ?? []) walk(next, [...path, m]);
    state.set(m, 'done');
  };
  for (const m of graph.keys()) walk(m, []);
  return found;
}

describe('the console-web modules', () => {
  it('have no import circle', () => {
    expect(circles()).toEqual([]);
  });

  it('import a page only from the shell, and nothing imports the shell', () => {
    const crossings = [...graph].flatMap(([from, to]) =>
      to
        .filter((m) => m === 'main.ts' || (m.startsWith('pages/') && from !== 'main.ts'))
        .map((m) => `${from} -> ${m}`),
    );
    expect(crossings).toEqual([]);
  });

  it('sees the imports there are (so empty lists mean something)', () => {
    expect(graph.get('main.ts')).toContain('pages/finance.ts');
    expect(graph.get('pages/finance.ts')).toContain('parts/area.ts');
    expect(graph.get('pages/treasurer.ts')).toContain('router.ts');
    expect(graph.size).toBeGreaterThan(15);
  });
});
