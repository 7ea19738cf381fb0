import { readdirSync, readFileSync, statSync } from 'node:fs';
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
const TOOLS = ['shared/cli', 'shared/demo', 'shared/demo-report', 'shared/local-cloud'];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

/** Every module a file imports (static, re-export or dynamic), as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
  return specs.map((s) =>
    s.startsWith('#shared/')
      ? `shared/${s.slice(8)}`
      : s.startsWith('#infra/')
        ? `infra/${s.slice(7)}`
        : s.startsWith('#functions/')
          ? `functions/${s.slice(11)}`
          : s.startsWith('.')
            ? normalize(join(dirname(file), s))
            : s,
  );
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

  it('sees an import when there is one (so an empty list means something)', () => {
    expect(importsOf('functions/allocate-pool/handler.ts')).toContain('shared/config/operations.ts');
    expect(importsOf('shared/local-cloud/local-console.ts')).toContain('functions/console-api/handler.ts');
  });
});
