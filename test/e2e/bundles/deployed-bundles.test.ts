import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '#domain/ports/clock.ts';
import { functions } from '#infra/resources.ts';
import { type BundledFunctions, startBundledFunctions } from '#shared/local-cloud/bundle-functions.ts';
import { type DeployedApp, readDeployedApp } from '#shared/local-cloud/deployed-functions.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { ensureLambdaNode, LAMBDA_NODE } from '#test/support/lambda-node.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { synthToTempDir } from '#test/support/synth.ts';
import {
  CONSOLE_LOCAL_ENV,
  chunksCarrying,
  FINANCE_LOCAL_ENV,
  MONTH,
  niks,
  POOL,
  type ReaderFileOutcome,
  runBundledSlice,
  runReaderFiles,
  SCAN_DATE,
  type SliceOutcome,
} from './bundled-slice.ts';
import {
  type GrantRow,
  grantsMarkdown,
  grantTable,
  type Need,
  needsOf,
  readGrantsSection,
  staleReasons,
  writeGrantsSection,
} from './grants.ts';

/**
 * What CDK deploys is what this test runs: a clean `cdk synth` into a temporary directory, then every
 * function's bundle (index.mjs, minified, SDK inside) as the local pipeline's handler, each in its own
 * process with the environment variables its template sets (resolved to the local cloud's names), on
 * the Lambda runtime's Node 22 and on Node 20, through the thin slice.
 * SERTAKAN_CDK_OUT=<dir> reuses an earlier synth while developing; CI never sets it.
 */
let app: DeployedApp;
const needsByFunction = new Map<string, Need[]>();

beforeAll(async () => {
  const [outdir] = await Promise.all([process.env.SERTAKAN_CDK_OUT ?? synthToTempDir(), ensureLambdaNode()]);
  app = readDeployedApp(outdir);
}, 600_000);

const runtimes = [
  { label: 'Node 22 (the Lambda runtime)', node: LAMBDA_NODE, major: 'v22.' },
  { label: 'Node 20', node: process.execPath, major: 'v20.' },
];

/** What Lambda loads at a cold start: each function's entry file stays under this (its chunks load later). */
const ENTRY_LIMIT_BYTES = 1_000_000;

describe('the synthesized assets', () => {
  it('keep every entry file (index.mjs) under 1 MB', () => {
    const sizes = app.functions.map((fn) => ({ fn: fn.name, bytes: statSync(fn.entryFile).size }));
    expect(sizes.filter((s) => s.bytes > ENTRY_LIMIT_BYTES)).toEqual([]);
  });
});

/** Every JavaScript file of an asset, relative to its directory (entry and chunks). */
const assetFiles = (assetDir: string): string[] =>
  readdirSync(assetDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));

describe.each(runtimes)('synthesized bundles on $label', ({ node, major }) => {
  const cloud = useLocalCloud();
  let bundles: BundledFunctions;
  let pipeline: Pipeline;
  let outcome: SliceOutcome;
  let readers: { xlsx: ReaderFileOutcome; dbf: ReaderFileOutcome };

  beforeAll(async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'sertakan-bundles-'));
    bundles = startBundledFunctions({
      app,
      cloud: cloud(),
      node,
      workDir,
      recordCalls: true,
      traceModules: true,
      environmentOverrides: { consoleApi: CONSOLE_LOCAL_ENV, financeApi: FINANCE_LOCAL_ENV },
    });
    pipeline = await startPipeline(cloud(), { clock: systemClock, bundles, maxBatchingWindowSeconds: 0 });
    outcome = await runBundledSlice(cloud(), bundles);
    readers = await runReaderFiles(cloud(), bundles, workDir);
  }, 300_000);
  afterAll(async () => {
    await pipeline?.stop();
    await bundles?.stop();
    for (const fn of bundles?.functions ?? []) {
      const needs = bundles.calls(fn.key).flatMap((call) => needsOf(call, cloud().names));
      needsByFunction.set(fn.key, [...(needsByFunction.get(fn.key) ?? []), ...needs]);
    }
  });

  it('has one bundle per function of infra/resources.ts, each on nodejs22.x', () => {
    expect(app.functions.map((f) => f.key).sort()).toEqual(Object.keys(functions).sort());
    expect(new Set(app.functions.map((f) => f.runtime))).toEqual(new Set(['nodejs22.x']));
  });

  it('gives each bundle the resources the local cloud gives the sources', () => {
    for (const fn of app.functions) {
      const env = bundles.environment(fn.key);
      for (const [name, value] of Object.entries(cloud().env)) {
        if (name in fn.environment)
          expect({ fn: fn.name, name, value: env[name] }).toEqual({ fn: fn.name, name, value });
      }
    }
  });

  it('ran every function in a container of that Node major', () => {
    const containers = bundles.containers();
    for (const fn of app.functions)
      expect({ fn: fn.name, version: containers[fn.key]?.version.slice(0, 4) }).toEqual({
        fn: fn.name,
        version: major,
      });
  });

  it('turns the files into credits, corrections, a completed allocation with its bill, and alerts', () => {
    expect(outcome.billCsv).toContain(`12345678901;${niks[1]};Budi Santoso;JKK_JKM_JHT;36800`);
    expect(outcome.billCsv.trimEnd().split('\r\n').at(-1)).toBe('TOTAL;3;;;70400');
    expect(outcome.reportKeys).toContain(`reports/reconciliation/${POOL}/${MONTH}.json`);
    expect(outcome.reportKeys).toContain(`reports/alerts/${POOL}/${SCAN_DATE}.csv`);
  });

  it('reads an XLSX and a DBF payroll file, loading each reader chunk when such a file arrives, not at the cold start', () => {
    expect(readers.xlsx.file).toMatchObject({ status: 'ACCEPTED', acceptedRows: 2, acceptedAmount: 30_000 });
    expect(readers.dbf.file).toMatchObject({ status: 'ACCEPTED', acceptedRows: 2, acceptedAmount: 33_600 });
    const fn = app.functions.find((f) => f.key === 'splitPayrollFile');
    if (fn === undefined) throw new Error('no split-payroll-file bundle');
    const files = assetFiles(fn.assetDir);
    const excel = chunksCarrying(fn.assetDir, files, 'exceljs');
    const dbf = chunksCarrying(fn.assetDir, files, 'dbffile');
    expect(excel.length).toBeGreaterThan(0);
    expect(dbf.length).toBeGreaterThan(0);
    expect(excel.concat(dbf)).not.toContain('index.mjs');
    const atImport = bundles.containers().splitPayrollFile?.modulesAtImport ?? [];
    expect(atImport).toContain('index.mjs');
    // Not at the cold start, nor for the CSV files before; each loaded by its own file.
    for (const chunk of [...excel, ...dbf]) expect(atImport).not.toContain(chunk);
    for (const chunk of excel) {
      expect(readers.xlsx.loadedBefore).not.toContain(chunk);
      expect(readers.xlsx.loadedAfter).toContain(chunk);
    }
    for (const chunk of dbf) {
      expect(readers.dbf.loadedBefore).not.toContain(chunk);
      expect(readers.dbf.loadedAfter).toContain(chunk);
    }
  });

  it('answers the console API from the bundle: no token, 401 (signed-in routes: test/e2e/console)', () => {
    expect(outcome.consoleWithoutToken).toBe(401);
  });

  it('answers the finance API from the bundle', () => {
    expect(Object.values(outcome.api).map((a) => a.statusCode)).toEqual(
      Object.values(outcome.api).map(() => 200),
    );
    expect(outcome.api[`/pools/${POOL}/reconciliation?month=${MONTH}`]?.body).toMatchObject({
      month: MONTH,
      credits: { deductions: 100_000, corrections: 5_000, grants: 20_000, total: 125_000 },
      allocated: 70_400,
      closing: 54_600,
      balanced: true,
    });
    // The area of the pool's province is the sum of its one pool; the PATCH changed the record.
    expect(outcome.api[`/areas/${POOL.slice(0, 2)}/month?month=${MONTH}`]?.body).toMatchObject({
      pools: 1,
      allocated: 70_400,
      closing: 54_600,
      balanced: true,
    });
    expect(outcome.api[`PATCH /pools/${POOL}`]?.body).toMatchObject({ pool: POOL, name: 'Batanghari' });
  });
});

describe('least privilege, proven by use', () => {
  let table: GrantRow[];

  beforeAll(() => {
    table = grantTable(app, needsByFunction);
  });

  it('grants every AWS call each function made', () => {
    const missing = table.filter((row) => row.kind === 'missing');
    expect(missing).toEqual([]);
  });

  it('uses every grant, or infra/grant-reasons.ts says why not', () => {
    const unused = table.filter((row) => row.kind === 'unused');
    expect(unused).toEqual([]);
  });

  it('keeps no reason for a grant that is gone or used', () => {
    expect(staleReasons(table)).toEqual([]);
  });

  it('matches the generated table in infra/README.md (SERTAKAN_UPDATE_GRANTS=1 rewrites it)', () => {
    const markdown = grantsMarkdown(table);
    if (process.env.SERTAKAN_UPDATE_GRANTS === '1') writeGrantsSection(markdown);
    expect(readGrantsSection()).toEqual(markdown);
  });
});
