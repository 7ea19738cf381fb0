/**
 * `npm run bench -- --only latency`: what a person waits for, measured in one run, each figure with
 * the machine's 1-minute load average beside it (on a shared machine a wall time means little
 * without it). Rows: `sertakan --help`; a finance query (`reconcile`) on a data dir made by the demo,
 * run directly and through `npm run`; the demo that made that data dir (`--demo-months`, default 1:
 * a short run, not the 12 months of `npm start`); the import of each intake function's synthesized
 * bundle on Node 22 (a cold start's init; `--outdir` reuses a `cdk synth` output, otherwise one is
 * made). The longest rows (`npm start`, `npm test`, the 1,562-village year) are named with the command
 * that measures them instead of being run here.
 *
 *   npm run bench -- --only latency [--runs 5] [--data-dir <dir made by the demo>] [--outdir <cdk.out>]
 *                    [--demo-months 1]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployedApp } from '#shared/local-cloud/deployed-functions.ts';
import { ensureLambdaNode } from '#test/support/lambda-node.ts';
import { synthToTempDir } from '#test/support/synth.ts';
import { importOnce, lambdaEnv, median } from './bundles.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'sertakan.mjs');

export type LatencyOptions = {
  readonly runs: number;
  readonly dataDir?: string;
  readonly outdir?: string;
  readonly demoMonths: number;
};

type Row = { readonly what: string; readonly figure: string; readonly load: string; readonly goal: string };

const load = (): string => (loadavg()[0] ?? 0).toFixed(1);

/** Runs a command to its end; resolves with its wall time, stdout and exit code (non-zero throws). */
const timed = (command: string, args: readonly string[]): Promise<{ ms: number; out: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, out });
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err.trim().slice(-500)}`));
    });
  });

/** Median wall time of `runs` runs, and the load average over them (first and last). */
const medianOf = async (runs: number, run: () => Promise<{ ms: number }>) => {
  const before = load();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await run()).ms);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    figure: `${seconds(median(times))} median (${seconds(sorted[0] ?? NaN)}-${seconds(sorted.at(-1) ?? NaN)}, ${runs} runs)`,
    load: `${before} → ${load()}`,
  };
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function runLatencyBench(opts: LatencyOptions, log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const node = process.execPath;
  // One run first, not counted: it builds the compiled CLI if a source is newer than the build.
  await timed(node, [BIN, '--help']);

  log('sertakan --help');
  rows.push({
    what: '`sertakan --help`',
    ...(await medianOf(opts.runs, () => timed(node, [BIN, '--help']))),
    goal: '≤ 0.3 s',
  });

  let dataDir = opts.dataDir;
  let made: string | undefined;
  let query: readonly string[];
  if (dataDir === undefined) {
    made = mkdtempSync(join(tmpdir(), 'sertakan-latency-'));
    dataDir = join(made, 'demo');
    log(`demo --months ${opts.demoMonths} (makes the data dir the query reads)`);
    const loadBefore = load();
    const demo = await timed(node, [
      BIN,
      'demo',
      '--months',
      String(opts.demoMonths),
      '--no-villages',
      '--data-dir',
      dataDir,
    ]);
    rows.push({
      what: `\`sertakan demo --months ${opts.demoMonths} --no-villages\` (not the 12-month \`npm start\`)`,
      figure: seconds(demo.ms),
      load: `${loadBefore} → ${load()}`,
      goal: '',
    });
    query = queryOf(demo.out, dataDir);
  } else {
    // A data dir made earlier: the reconcile line `sertakan demo` printed names the pool and month.
    query = ['reconcile', '--pool', '15.04', '--month', lastCompleteMonth(), '--data-dir', dataDir];
  }
  try {
    log(`sertakan ${query.join(' ')}`);
    rows.push({
      what: '`sertakan reconcile` on a data dir made by the demo (no `local up`)',
      ...(await medianOf(opts.runs, () => timed(node, [BIN, ...query]))),
      goal: '≤ 1 s',
    });
    rows.push({
      what: 'the same through `npm run sertakan --`',
      ...(await medianOf(opts.runs, () => timed('npm', ['run', '-s', 'sertakan', '--', ...query]))),
      goal: '≤ 1 s',
    });
  } finally {
    if (made !== undefined) rmSync(made, { recursive: true, force: true });
  }

  log(opts.outdir === undefined ? 'cdk synth (for the bundles)' : `bundles of ${opts.outdir}`);
  const [outdir, lambdaNode] = await Promise.all([opts.outdir ?? synthToTempDir(), ensureLambdaNode()]);
  const app = readDeployedApp(outdir);
  for (const name of ['split-payroll-file', 'register-workers', 'credit-grants']) {
    const fn = app.functions.find((f) => f.name.endsWith(name));
    if (fn === undefined) continue;
    const kb = Math.round(statSync(fn.entryFile).size / 1024);
    log(`import of ${name} on Node 22`);
    const measured = await medianOf(opts.runs, async () => ({
      ms: (await importOnce(lambdaNode, fn, lambdaEnv(fn))).ms,
    }));
    rows.push({
      what: `import of the ${name} bundle on Node 22 (cold start's init; index.mjs ${kb} KB)`,
      // The runner's own import time (the init a cold start pays), not the process's wall time.
      ...measured,
      goal: '≤ 300 ms, bundle ≤ 1 MB',
    });
  }

  for (const [what, command] of [
    ['`npm start` (12 months, the first thing a newcomer runs)', '`/usr/bin/time -v npm start`'],
    ['`npm test`', '`/usr/bin/time npm test`'],
    ['the BKBK year at 1,562 villages', '`/usr/bin/time -v npm run bench -- --villages 1562`'],
  ] as const) {
    rows.push({ what, figure: `not measured here, run ${command}`, load: '', goal: '' });
  }
  return rows;
}

/** The reconcile command the demo's last line suggests (`... reconcile --pool P --month M ...`). */
function queryOf(demoOut: string, dataDir: string): string[] {
  const m = /reconcile --pool (\S+) --month (\S+)/.exec(demoOut);
  if (m?.[1] === undefined || m[2] === undefined) {
    throw new Error('the demo printed no reconcile line (no complete month before today?)');
  }
  return ['reconcile', '--pool', m[1], '--month', m[2], '--data-dir', dataDir];
}

/** The month before the current one (Asia/Jakarta), the latest a demo has completed. */
function lastCompleteMonth(): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Jakarta',
    year: 'numeric',
    month: '2-digit',
  })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  const prev = m === 1 ? { y: y - 1, m: 12 } : { y, m: m - 1 };
  return `${prev.y}-${String(prev.m).padStart(2, '0')}`;
}

export function printLatency(out: (line: string) => void, rows: readonly Row[]): void {
  out('\nWhat a person waits for (load average: 1 minute, at the start → at the end of the row)\n');
  out('| what | measured | load average | goal |');
  out('| --- | --- | --- | --- |');
  for (const r of rows) out(`| ${r.what} | ${r.figure} | ${r.load} | ${r.goal} |`);
}
