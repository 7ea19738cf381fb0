import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliRun } from './cli-support.ts';

/** `bin/sertakan.mjs` (package.json "bin") works from any directory: it finds tsx and the CLI itself. */
const launcher = join(import.meta.dirname, '..', '..', '..', 'bin', 'sertakan.mjs');
const elsewhere = mkdtempSync(join(tmpdir(), 'sertakan-bin-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const runBin = (...args: string[]): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd: elsewhere,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });

describe('bin/sertakan.mjs', () => {
  it('prints help from another working directory and exits 0', async () => {
    // act
    const help = await runBin('submit', '--help');
    // assess
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('--agency');
  });

  it('runs the CLI compiled to JavaScript, from a build that is current', async () => {
    // act
    const help = await runBin('--help');
    // @ts-expect-error: plain JavaScript without declarations, run before any TypeScript loader.
    const { freshBuild } = await import('../../../bin/build-cli.mjs');
    const built: string | undefined = freshBuild();
    // assess: the build bin/sertakan.mjs ran is current, and knows its sources.
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('reconcile');
    expect(built).toMatch(/\/dist\/cli\/[^/]+\/shared\/cli\/main\.mjs$/);
    const current = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', '..', 'dist', 'cli', 'current.json'), 'utf8'),
    );
    expect(current.inputs).toEqual(
      expect.arrayContaining(['shared/cli/main.ts', 'shared/cli/commands/reconcile.ts']),
    );
  });

  it('passes the exit code and the one-line error through', async () => {
    // act
    const bad = await runBin('scan', '--date', '2026-02-30', '--data-dir', join(elsewhere, 'data'));
    // assess
    expect(bad.code).toBe(1);
    expect(bad.err.trim()).toMatch(/^sertakan: --date '2026-02-30': expected a real date YYYY-MM-DD$/);
  });
});
