import { mkdtempSync } from 'node:fs';
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
  FINANCE_LOCAL_ENV,
  MONTH,
  niks,
  POOL,
  runBundledSlice,
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

describe.each(runtimes)('synthesized bundles on $label', ({ node, major }) => {
  const cloud = useLocalCloud();
  let bundles: BundledFunctions;
  let pipeline: Pipeline;
  let outcome: SliceOutcome;

  beforeAll(async () => {
    bundles = startBundledFunctions({
      app,
      cloud: cloud(),
      node,
      workDir: mkdtempSync(path.join(tmpdir(), 'sertakan-bundles-')),
      recordCalls: true,
      environmentOverrides: { consoleApi: CONSOLE_LOCAL_ENV, financeApi: FINANCE_LOCAL_ENV },
    });
    pipeline = await startPipeline(cloud(), { clock: systemClock, bundles, maxBatchingWindowSeconds: 0 });
    outcome = await runBundledSlice(cloud(), bundles);
  }, 240_000);
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
