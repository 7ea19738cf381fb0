import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('README layout table', () => {
  it('has one row for each folder of shared/, and no row for a folder that is gone', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `shared\/([a-z-]+)\/` \|/gm)].map((m) => m[1]);
    const folders = readdirSync(join(root, 'shared'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(rows.sort()).toEqual(folders.sort());
  });
});
