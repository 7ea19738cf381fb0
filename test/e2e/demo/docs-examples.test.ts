import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDemoSummary } from '#shared/demo/demo-summary.ts';
import { type DemoRun, runDemo } from '#shared/demo/run-demo.ts';
import { DEFAULT_REGION_OPTIONS } from '#shared/demo/synthetic-region.ts';
import { formatVillages } from '#shared/demo/village-pools.ts';
import { runCli } from '#test/integration/cli/cli-support.ts';

/**
 * What the docs show a newcomer is what the commands print. `npm start` (12 months, seed 1, the
 * villages) runs on the months the docs were printed from, December 2025 to November 2026 (the demo
 * simulates the 12 months before the day it runs; here they are pinned). Then:
 * - every line of `docs/demo-story.md`'s "What `npm start` prints" is a line the demo printed (bar the
 *   npm banner and the wall time);
 * - every `$ npm run sertakan -- ...` of `docs/finance-queries.md` runs on the demo's data dir, and
 *   every line shown under it is a line that command printed (`...` marks what the docs leave out).
 * Lines are compared with runs of spaces collapsed, so a wider column elsewhere does not matter.
 */
const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs');
const SHOWN_DATA_DIR = '.sertakan/demo';
const dir = mkdtempSync(join(tmpdir(), 'sertakan-docs-'));
const dataDir = join(dir, 'demo');
let run: DemoRun;

beforeAll(async () => {
  run = await runDemo({ ...DEFAULT_REGION_OPTIONS, startPeriod: '2025-12', dataDir });
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const squeeze = (line: string): string => line.trim().replace(/\s+/g, ' ');
/** The printed text as a set of squeezed lines, with the test's data dir written as the docs write it. */
const linesOf = (text: string): Set<string> =>
  new Set(text.replaceAll(dataDir, SHOWN_DATA_DIR).split('\n').map(squeeze));

/** The fenced code blocks of a Markdown file that follow `heading`. */
const blockAfter = (file: string, heading: string): string => {
  const md = readFileSync(join(DOCS, file), 'utf8');
  const at = md.indexOf(heading);
  expect(at, `${file} has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const open = md.indexOf('```', at);
  const body = md.indexOf('\n', open) + 1;
  return md.slice(body, md.indexOf('```', body));
};

describe('the docs show what the demo and the CLI print', () => {
  it("docs/demo-story.md: npm start's printout", () => {
    const printed = linesOf(formatDemoSummary(run) + (run.villages ? formatVillages(run.villages) : ''));
    const shown = blockAfter('demo-story.md', '## What `npm start` prints')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('> ') && !/wall time/.test(l));
    expect(shown.length).toBeGreaterThan(30);
    // The last line ("Tanya data demo / query the demo: ...") is printed by the command, not the summary.
    expect(shown.at(-1)).toMatch(/^Tanya data demo \/ query the demo: /);
    const missing = shown.slice(0, -1).filter((l) => !printed.has(squeeze(l)));
    expect(missing).toEqual([]);
  });

  it('docs/finance-queries.md: each query and what it prints', async () => {
    const block = blockAfter('finance-queries.md', "## The questions, answered on the demo's data");
    const commands = block.split(/^\$ npm run sertakan -- /m).slice(1);
    expect(commands.length).toBeGreaterThanOrEqual(6);
    for (const command of commands) {
      const [line = '', ...shown] = command.split('\n');
      const args = (line.split('  #')[0] ?? '')
        .trim()
        .split(/\s+/)
        .map((a) => (a === SHOWN_DATA_DIR ? dataDir : a));
      const { code, out, err } = await runCli(...args);
      expect(code, `${line}: ${err}`).toBe(0);
      const printed = linesOf(out);
      const missing = shown.filter(
        (l) => l.trim() !== '' && !l.startsWith('...') && !printed.has(squeeze(l)),
      );
      expect(missing, line).toEqual([]);
    }
  });
});
