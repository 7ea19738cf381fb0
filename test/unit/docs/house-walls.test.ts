import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The two wings of `shared/` (README, "The map"): what is deployed (the core) never imports a developer
 * tool, and neither the core nor a function imports the infrastructure code (`infra/`): facts both
 * need live in the core (shared/config), and infra reads them from there.
 */
const CORE = [
  'shared/domain',
  'shared/use-cases',
  'shared/adapters',
  'shared/runtime',
  'shared/intake',
  'shared/console',
  'shared/console-web/src',
  'shared/finance-api',
  'shared/csv',
  'shared/charts',
  'shared/config',
  'functions',
];
/**
 * The floors of the core, ground first (README, "The map"): a module may import its own floor or one
 * below, never one above. The domain holds the rules and the ports; readers, writers and adapters
 * stand on it; the use cases on those; the Lambda runtime, then the HTTP surfaces, then the handlers.
 */
const FLOORS: readonly (readonly [string, number])[] = [
  ['shared/config', 0],
  ['shared/domain', 1],
  ['shared/charts', 2],
  ['shared/csv', 2],
  ['shared/intake', 2],
  ['shared/adapters', 2],
  ['shared/use-cases', 3],
  ['shared/runtime', 4],
  ['shared/console-web/src', 5],
  ['shared/console', 5],
  ['shared/finance-api', 5],
  ['functions', 6],
];
const TOOLS = ['shared/cli', 'shared/demo', 'shared/demo-report', 'shared/local-cloud'];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

/** The package.json import aliases, as folders from the repository root. */
const ALIASES: readonly (readonly [string, string])[] = [
  ['#domain/', 'shared/domain/'],
  ['#shared/', 'shared/'],
  ['#infra/', 'infra/'],
  ['#functions/', 'functions/'],
];

/** Every module a file imports (static, type, re-export or dynamic), as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
  return specs.map((spec) => {
    const alias = ALIASES.find(([prefix]) => spec.startsWith(prefix));
    if (alias !== undefined) return alias[1] + spec.slice(alias[0].length);
    return spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec;
  });
}

/** Production code: what is deployed, the tools, the browser app and the CDK app (tests left out). */
const PRODUCTION = ['shared', 'functions', 'infra'];
const productionFiles = (): string[] =>
  PRODUCTION.flatMap((root) => [...sources(root)]).filter((f) => !f.includes('node_modules'));

/** The import circles among `files`: each as the files around it, smallest first (Tarjan's SCCs). */
function circles(files: readonly string[]): string[][] {
  const known = new Set(files);
  const edges = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t) && t !== f)]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const ring: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      ring.push(w);
    } while (w !== v);
    if (ring.length > 1) found.push(ring.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found.sort((a, b) => a.length - b.length);
}

describe('the walls of the house', () => {
  it('no core module or function imports a tool or the infrastructure code', () => {
    const crossings: string[] = [];
    for (const root of CORE)
      for (const file of sources(root))
        for (const target of importsOf(file))
          if (target.startsWith('infra/') || TOOLS.some((t) => target.startsWith(`${t}/`)))
            crossings.push(`${file} -> ${target}`);
    expect(crossings).toEqual([]);
  });

  it('no core module imports a floor above its own', () => {
    const floorOf = (path: string): number | undefined =>
      FLOORS.find(([folder]) => path.startsWith(`${folder}/`))?.[1];
    const upward: string[] = [];
    for (const [root, floor] of FLOORS)
      for (const file of sources(root))
        for (const target of importsOf(file)) {
          const to = floorOf(target);
          if (to !== undefined && to > floor) upward.push(`${file} -> ${target}`);
        }
    expect(upward).toEqual([]);
  });

  it('no production module takes part in an import circle (type imports included)', () => {
    expect(circles(productionFiles())).toEqual([]);
  });

  it('finds a circle when there is one (so an empty list means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walls-'));
    const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((n) => join(dir, n)) as [string, string, string];
    writeFileSync(a, "import type { B } from './b.ts';\n");
    writeFileSync(b, "import { c } from './c.ts';\n");
    writeFileSync(c, "export { a } from './a.ts';\n");
    expect(circles([a, b, c])).toEqual([[a, b, c].sort()]);
  });

  it('no production file passes 300 lines without saying why on its first line', () => {
    const long = productionFiles()
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n') }))
      .filter(({ lines }) => lines.length > 300 && !/^\/\/ Over 300 lines/.test(lines[0] ?? ''))
      .map(({ f, lines }) => `${f}: ${lines.length}`);
    expect(long).toEqual([]);
  });

  it('sees an import when there is one (so an empty list means something)', () => {
    expect(importsOf('functions/allocate-pool/handler.ts')).toContain('shared/config/operations.ts');
    expect(importsOf('shared/local-cloud/local-console.ts')).toContain('functions/console-api/handler.ts');
  });
});
