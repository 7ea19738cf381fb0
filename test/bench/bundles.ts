/**
 * Cold start of what CDK deploys: each synthesized bundle's size and its import time on the Lambda
 * runtime's Node 22 (the same runner the bundle test uses, one fresh process per import), with the
 * literal environment its template sets (tracing on, as on Lambda) and with tracing off, plus what each
 * bundle carries (AWS SDK clients, the X-Ray SDK) read from its source map.
 * A benchmark, not a test: prints figures, never fails on a time.
 * Run: npx tsx test/bench/bundles.ts [--outdir <cdk synth output>] [--runs 7] [--node <binary>]
 */
import { fork } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type DeployedFunction, readDeployedApp } from '#shared/local-cloud/deployed-functions.ts';
import { ensureLambdaNode } from '#test/support/lambda-node.ts';
import { synthToTempDir } from '#test/support/synth.ts';

const RUNNER = path.resolve(import.meta.dirname, '..', '..', 'shared', 'local-cloud', 'bundle-runner.mjs');

/** Import time in ms of one fresh process, as the runner measures it (the cold start's init). */
export const importOnce = (node: string, fn: DeployedFunction, env: Record<string, string>) =>
  new Promise<{ ms: number; version: string }>((resolve, reject) => {
    const child = fork(RUNNER, [fn.entryFile, fn.exportName], {
      execPath: node,
      execArgv: [],
      env,
      cwd: fn.assetDir,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => {
      const message = m as { type: string; importMs?: number; version?: string };
      child.disconnect();
      if (message.type === 'ready') resolve({ ms: message.importMs ?? NaN, version: message.version ?? '' });
      else reject(new Error(`${fn.name} failed to load: ${JSON.stringify(m)}`));
    });
    child.once('error', reject);
  });

export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Packages the bundle carries, from the source map's `sources` (node_modules/<pkg>/...). */
const packagesOf = (mapFile: string): Set<string> => {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  const packages = new Set<string>();
  for (const source of map.sources) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (m?.[1] !== undefined) packages.add(m[1]);
  }
  return packages;
};

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
    },
  });
  const runs = Number(values.runs);
  const [outdir, lambdaNode] = await Promise.all([values.outdir ?? synthToTempDir(), ensureLambdaNode()]);
  const node = values.node ?? lambdaNode;
  const app = readDeployedApp(outdir);
  const loadAtStart = loadNow();
  const rows: string[][] = [];
  let version = '';
  for (const fn of app.functions) {
    const base = lambdaEnv(fn);
    const traced: number[] = [];
    const untraced: number[] = [];
    for (let i = 0; i < runs; i++) {
      const on = await importOnce(node, fn, base);
      version = on.version;
      traced.push(on.ms);
      untraced.push((await importOnce(node, fn, { ...base, POWERTOOLS_TRACE_ENABLED: 'false' })).ms);
    }
    const bundle = readFileSync(fn.entryFile);
    const packages = packagesOf(`${fn.entryFile}.map`);
    const clients = [...packages]
      .filter((p) => p.startsWith('@aws-sdk/client-') || p === '@aws-sdk/lib-dynamodb')
      .map((p) => p.replace('@aws-sdk/client-', '').replace('@aws-sdk/', ''))
      .sort();
    rows.push([
      fn.name,
      (statSync(fn.entryFile).size / 1024).toFixed(0),
      (gzipSync(bundle).length / 1024).toFixed(0),
      median(traced).toFixed(0),
      median(untraced).toFixed(0),
      clients.join(' '),
      packages.has('aws-xray-sdk-core') ? 'yes' : 'no',
      packages.has('exceljs') ? 'yes' : 'no',
    ]);
  }
  const header = [
    'function',
    'index.mjs KB',
    'gzip KB',
    'import ms (tracing on)',
    'import ms (tracing off)',
    'SDK clients bundled',
    'X-Ray SDK',
    'exceljs',
  ];
  console.log(
    `Synthesized bundles from ${outdir}, imported on Node ${version} (median of ${runs} fresh processes); load average ${loadAtStart} at the start, ${loadNow()} at the end\n`,
  );
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

// Run as a script; test/bench/latency.ts imports importOnce from here.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
