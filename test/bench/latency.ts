/**
 * `npm run bench -- --only latency`: what a person waits for, measured in one run, each figure with
 * the machine's 1-minute load average beside it (on a shared machine a wall time means little
 * without it). Rows: `sertakan --help`; `npm start`'s demo (12 months with the village pools, the
 * same command, timed with its peak RSS; `--demo-months N` runs a shorter one instead); a finance
 * query (`reconcile`) on the data dir that demo made, run directly and through `npm run`; the import
 * of each intake function's synthesized bundle on Node 22 (a cold start's init; `--outdir` reuses a
 * `cdk synth` output, otherwise one is made); with `--with-tests`, `npm test`; with
 * `--with-villages N`, the BKBK year at N village pools (the village bench as a child: its wall time
 * and the peak RSS it prints).
 *
 *   npm run bench -- --only latency [--runs 5] [--data-dir <dir made by the demo>] [--outdir <cdk.out>]
 *                    [--demo-months 12] [--with-tests] [--with-villages 1562]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  /** 12 (the default) is `npm start` itself, villages included; fewer is a shorter demo without them. */
  readonly demoMonths: number;
  readonly withTests?: boolean;
  /** Village pools of the BKBK year to run (the village bench); none when absent. */
  readonly withVillages?: number;
};

const PEAK_RSS_REPORTER = join(import.meta.dirname, 'support', 'peak-rss-reporter.cjs');

/**
 * The node flags `npm start` runs the demo with (package.json `scripts.start`, e.g. a larger young
 * generation, docs/cli-startup.md), so the row times what a newcomer runs.
 */
const npmStartNodeFlags = (): string[] => {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/sertakan\.mjs demo$/.exec(start);
  if (m === null)
    throw new Error(`package.json scripts.start is not "node [flags] bin/sertakan.mjs demo": ${start}`);
  return (m[1] ?? '')
    .trim()
    .split(' ')
    .filter((f) => f !== '');
};

/** The peak RSS a child preloaded with peak-rss-reporter.cjs printed, in MB. */
const peakRssMb = (stderr: string): string => {
  const kb = /peak-rss-kb (\d+)/.exec(stderr)?.[1];
  return kb === undefined ? '?' : String(Math.round(Number(kb) / 1024));
};

type Row = { readonly what: string; readonly figure: string; readonly load: string; readonly goal: string };

const load = (): string => (loadavg()[0] ?? 0).toFixed(1);

/** Runs a command to its end; resolves with its wall time, stdout, stderr and exit code (non-zero throws). */
const timed = (command: string, args: readonly string[]): Promise<{ ms: number; out: string; err: string }> =>
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
      if (code === 0) resolve({ ms, out, err });
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
    const npmStart = opts.demoMonths === 12;
    log(
      npmStart
        ? "npm start's demo: 12 months with the village pools (it makes the data dir the query reads)"
        : `demo --months ${opts.demoMonths} --no-villages (makes the data dir the query reads)`,
    );
    const loadBefore = load();
    const demo = await timed(node, [
      ...npmStartNodeFlags(),
      '-r',
      PEAK_RSS_REPORTER,
      BIN,
      'demo',
      ...(npmStart ? [] : ['--months', String(opts.demoMonths), '--no-villages']),
      '--data-dir',
      dataDir,
    ]);
    rows.push({
      what: npmStart
        ? '`npm start` (12 months with the villages: `sertakan demo`, the first thing a newcomer runs)'
        : `\`sertakan demo --months ${opts.demoMonths} --no-villages\` (not the 12-month \`npm start\`)`,
      figure: `${seconds(demo.ms)}, peak RSS ${peakRssMb(demo.err)} MB`,
      load: `${loadBefore} → ${load()}`,
      goal: npmStart ? '≤ 60 s' : '',
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

  if (opts.withTests === true) {
    log('npm test');
    const before = load();
    const run = await timed('npm', ['test']);
    rows.push({
      what: '`npm test`',
      figure: seconds(run.ms),
      load: `${before} → ${load()}`,
      goal: '≤ 300 s',
    });
  } else {
    rows.push({ what: '`npm test`', figure: 'not measured: add --with-tests', load: '', goal: '≤ 300 s' });
  }

  const villages = opts.withVillages;
  const villageRow = `the BKBK year at ${villages ?? 1562} villages (\`npm run bench -- --villages N\`)`;
  if (villages !== undefined) {
    log(`the BKBK year at ${villages} villages`);
    const before = load();
    const run = await timed(node, [
      '--import',
      'tsx',
      join(ROOT, 'test', 'bench', 'main.ts'),
      '--villages',
      String(villages),
    ]);
    // The village bench prints its own peak RSS (this process, and DynamoDB Local's JVM when used).
    const peak = /peak RSS: (.*) \(sampled/.exec(run.out)?.[1] ?? 'not printed';
    rows.push({
      what: villageRow,
      figure: `${(run.ms / 60_000).toFixed(1)} min, peak RSS ${peak}`,
      load: `${before} → ${load()}`,
      goal: '≤ 1 h, ≤ 4 GB',
    });
  } else {
    rows.push({
      what: villageRow,
      figure: 'not measured: add --with-villages 1562',
      load: '',
      goal: '≤ 1 h, ≤ 4 GB',
    });
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
