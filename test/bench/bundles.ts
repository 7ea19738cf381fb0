/**
 * Cold start of what CDK deploys: each synthesized function's entry file (index.mjs) and asset
 * (entry + chunks) sizes, the chunks it loads only later, and its import time on the Lambda runtime's
 * Node 22 (the same runner the bundle test uses, one fresh process per import), with the literal
 * environment its template sets (tracing on and source maps on, as on Lambda), with tracing off and
 * without `--enable-source-maps`, plus what the entry carries (AWS SDK clients, the X-Ray SDK, exceljs)
 * read from its source map. The load average is printed beside each function's times.
 * A benchmark, not a test: prints figures, never fails on a time.
 * `--baseline <other synth output>` (e.g. of an earlier commit) imports that synth's function as deployed
 * in the same loop, alternating with this one's, so before and after see the same load.
 * Run: npx tsx test/bench/bundles.ts [--outdir <cdk synth output>] [--baseline <synth output>] [--runs 7]
 *      [--node <binary>]
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type DeployedFunction, readDeployedApp } from '#shared/local-cloud/deployed-functions.ts';
import { ensureLambdaNode } from '#test/support/lambda-node.ts';
import { synthToTempDir } from '#test/support/synth.ts';

const RUNNER = path.resolve(import.meta.dirname, '..', '..', 'shared', 'local-cloud', 'bundle-runner.mjs');

/**
 * Import time in ms of one fresh process, as the runner measures it (the cold start's init). With
 * traceModules the runner also lists the files it loaded (its hooks slow the import: not for timing).
 */
export const importOnce = (
  node: string,
  fn: DeployedFunction,
  env: Record<string, string>,
  traceModules = false,
) =>
  new Promise<{ ms: number; version: string; modules?: string[] }>((resolve, reject) => {
    const flags = traceModules ? ['--trace-modules'] : [];
    const child = fork(RUNNER, [fn.entryFile, fn.exportName, ...flags], {
      execPath: node,
      execArgv: [],
      env,
      cwd: fn.assetDir,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => {
      const message = m as { type: string; importMs?: number; version?: string; modules?: string[] };
      child.disconnect();
      if (message.type === 'ready')
        resolve({
          ms: message.importMs ?? NaN,
          version: message.version ?? '',
          ...(message.modules === undefined ? {} : { modules: message.modules }),
        });
      else reject(new Error(`${fn.name} failed to load: ${JSON.stringify(m)}`));
    });
    child.once('error', reject);
  });

export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Packages a bundle file carries, from its source map's `sources` (node_modules/<pkg>/...). */
export const packagesOf = (mapFile: string): Set<string> => {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  const packages = new Set<string>();
  for (const source of map.sources) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (m?.[1] !== undefined) packages.add(m[1]);
  }
  return packages;
};

/** Every JavaScript file of a function's asset (entry and chunks), relative to the asset directory. */
export const assetFiles = (assetDir: string): string[] =>
  readdirSync(assetDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .sort();

const kb = (bytes: number): string => (bytes / 1024).toFixed(0);

/**
 * The environment Lambda gives the function at import: the template's literal values (service name,
 * log level, NODE_OPTIONS); resource names are not read at import (handlers build their adapters on
 * the first call).
 */
export const lambdaEnv = (fn: DeployedFunction): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  AWS_REGION: 'ap-southeast-3',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: fn.name,
  ...Object.fromEntries(
    Object.entries(fn.environment).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ),
});

/** The 1-minute load average: import times on a shared machine mean little without it. */
const loadNow = (): string => (loadavg()[0] ?? 0).toFixed(1);

async function main() {
  const { values } = parseArgs({
    options: {
      outdir: { type: 'string' },
      runs: { type: 'string', default: '7' },
      node: { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const [outdir, lambdaNode] = await Promise.all([values.outdir ?? synthToTempDir(), ensureLambdaNode()]);
  const node = values.node ?? lambdaNode;
  const app = readDeployedApp(outdir);
  const baseline = values.baseline === undefined ? undefined : readDeployedApp(values.baseline);
  const loadAtStart = loadNow();
  const rows: string[][] = [];
  const lazyRows: string[][] = [];
  let version = '';
  for (const fn of app.functions) {
    const base = lambdaEnv(fn);
    const { NODE_OPTIONS: _sourceMaps, ...withoutSourceMaps } = base;
    const traced: number[] = [];
    const untraced: number[] = [];
    const noMaps: number[] = [];
    const before: number[] = [];
    const baseFn = baseline?.functions.find((f) => f.key === fn.key);
    const loadBefore = loadNow();
    // Interleaved, so a change of load touches the three variants alike.
    for (let i = 0; i < runs; i++) {
      const on = await importOnce(node, fn, base);
      version = on.version;
      traced.push(on.ms);
      untraced.push((await importOnce(node, fn, { ...base, POWERTOOLS_TRACE_ENABLED: 'false' })).ms);
      noMaps.push((await importOnce(node, fn, withoutSourceMaps)).ms);
      if (baseFn !== undefined) before.push((await importOnce(node, baseFn, lambdaEnv(baseFn))).ms);
    }
    const loadAfter = loadNow();
    // The files a cold start reads (as deployed: tracing on), from the runner's module hooks.
    const atImport = new Set(
      ((await importOnce(node, fn, base, true)).modules ?? []).map((m) => path.relative(fn.assetDir, m)),
    );
    const files = assetFiles(fn.assetDir);
    const sizeOf = (f: string) => statSync(path.join(fn.assetDir, f)).size;
    const total = files.reduce((sum, f) => sum + sizeOf(f), 0);
    const loaded = files.filter((f) => atImport.has(f)).reduce((sum, f) => sum + sizeOf(f), 0);
    const lazy = files.filter((f) => !atImport.has(f));
    for (const f of lazy.filter((f) => sizeOf(f) >= 64 * 1024)) {
      const top = [...packagesOf(path.join(fn.assetDir, `${f}.map`))].slice(0, 4).join(' ');
      lazyRows.push([fn.name, path.basename(f), kb(sizeOf(f)), top]);
    }
    const bundle = readFileSync(fn.entryFile);
    const packages = packagesOf(`${fn.entryFile}.map`);
    const clients = [...packages]
      .filter((p) => p.startsWith('@aws-sdk/client-') || p === '@aws-sdk/lib-dynamodb')
      .map((p) => p.replace('@aws-sdk/client-', '').replace('@aws-sdk/', ''))
      .sort();
    rows.push([
      fn.name,
      kb(statSync(fn.entryFile).size),
      kb(gzipSync(bundle).length),
      `${kb(loaded)} (${atImport.size} files)`,
      `${kb(total)} (${files.length} files)`,
      `${kb(total - loaded)} (${lazy.length})`,
      median(traced).toFixed(0),
      median(untraced).toFixed(0),
      median(noMaps).toFixed(0),
      ...(baseline === undefined
        ? []
        : [
            baseFn === undefined ? '' : kb(statSync(baseFn.entryFile).size),
            baseFn === undefined ? '' : median(before).toFixed(0),
          ]),
      `${loadBefore} → ${loadAfter}`,
      clients.join(' '),
      packages.has('aws-xray-sdk-core') ? 'yes' : 'no',
      packages.has('exceljs') ? 'yes' : 'no',
    ]);
  }
  const header = [
    'function',
    'index.mjs KB',
    'gzip KB',
    'read at import KB',
    'asset KB (entry + chunks)',
    'lazy chunks KB',
    'import ms (as deployed)',
    'import ms (tracing off)',
    'import ms (no --enable-source-maps)',
    ...(baseline === undefined ? [] : ['baseline index.mjs KB', 'baseline import ms (as deployed)']),
    'load',
    'SDK clients in index.mjs',
    'X-Ray SDK in index.mjs',
    'exceljs in index.mjs',
  ];
  console.log(
    `Synthesized functions from ${outdir}${baseline === undefined ? '' : ` (baseline: ${values.baseline})`}, imported on Node ${version} (median of ${runs} fresh processes per column); load average ${loadAtStart} at the start, ${loadNow()} at the end\n`,
  );
  printTable(header, rows);
  console.log(
    '\nChunks of 64 KB or more that a cold start does not read (loaded when a code path imports them):\n',
  );
  printTable(['function', 'chunk', 'KB', 'packages (first 4)'], lazyRows);
}

const printTable = (header: string[], rows: string[][]) => {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
};

// Run as a script; test/bench/latency.ts imports importOnce from here.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
