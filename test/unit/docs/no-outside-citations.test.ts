import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository explains itself: comments and docs point to docs/, never to a tracker's issue numbers
 * or to documents outside the repository, which the next engineer does not have.
 */
const ROOTS = ['shared', 'functions', 'infra', 'test', 'bin', 'docs', 'README.md'];
const SKIP = new Set(['node_modules', 'dist', 'cdk.out', 'fixtures', 'lambda-node']);
const CITATION = new RegExp(
  ['\\bissues?[ -]#?\\d', '\\.\\./shared/(?:DESIGN|STYLE|STACK|field-cases)'].join('|'),
  'i',
);

function* textFiles(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    if (/\.(ts|tsx|mjs|js|md|html|css)$/.test(path)) yield path;
    return;
  }
  for (const name of readdirSync(path)) if (!SKIP.has(name)) yield* textFiles(join(path, name));
}

describe('no citation of the tracker or of documents outside the repository', () => {
  it('holds for every source, test and doc file', () => {
    const self = join('test', 'unit', 'docs', 'no-outside-citations.test.ts');
    const found: string[] = [];
    for (const root of ROOTS)
      for (const file of textFiles(root)) {
        if (file === self) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (CITATION.test(line)) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 100)}`);
          });
      }
    expect(found).toEqual([]);
  });
});
