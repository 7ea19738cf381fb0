import path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync } from 'esbuild';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

// ESM output needs `require` for the few CJS dependencies esbuild keeps as require() calls. Every
// output file (entry and chunks) is a module of its own, so each gets the banner.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __sertakanCreateRequire } from 'node:module'; const require = __sertakanCreateRequire(import.meta.url);";

const NODE_HTTP_SHIM = path.join(import.meta.dirname, 'node-http.cjs');

/** The file Lambda loads: `index.mjs`, handler `index.handler`. */
export const ENTRY_NAME = 'index';

/** Chunks sit beside the entry in this folder of the asset (the bundle bench and test read them). */
export const CHUNK_DIR = 'chunks';

/**
 * How a function's asset is built (docs/cli-startup.md, "What a cold start loads"): the options the
 * CDK's NodejsFunction used (ESM for Node 22, minified, source maps, the SDK bundled in, the require
 * banner), plus code splitting. A module imported only by `import()` (exceljs, jszip, dbffile, the
 * tracer) goes to a chunk of its own beside the entry, so the entry file holds, and a cold start
 * reads, only what the handler loads at import; the chunk is read when the code path that imports it
 * runs.
 */
export const functionBuildOptions = (entry: string, outdir: string): BuildOptions => ({
  entryPoints: { [ENTRY_NAME]: path.resolve(REPO_ROOT, entry) },
  absWorkingDir: REPO_ROOT,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.mjs' },
  chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  // Maps for Lambda's `--enable-source-maps` (stack traces name the TypeScript lines), without the
  // sources themselves: Node reads and parses the entry's map at every cold start, and the sources
  // were two thirds of it.
  sourcemap: true,
  sourcesContent: false,
  // `import ... from 'node:http'` costs a cold start undici's load on Node 22 (node-http.cjs).
  alias: { http: NODE_HTTP_SHIM, 'node:http': NODE_HTTP_SHIM },
  // Bundle the pinned SDK v3 too, so AWS runs exactly the client versions the tests ran.
  external: [],
  logLevel: 'warning',
});

/** esbuild in this process, into the directory CDK stages as the asset. */
class SplitBundling implements ILocalBundling {
  // Part of CDK's cache key for the asset (its JSON), so each function's build is its own.
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync(functionBuildOptions(this.entry, outputDir));
    return true;
  }
}

/**
 * A function's code: its entry (a path from the repository root) bundled with code splitting into
 * one asset directory (`index.mjs`, `chunks/*.mjs`, their maps). Hashed by output, as NodejsFunction
 * does, so an unchanged build keeps its asset.
 */
export const functionCode = (entry: string): Code =>
  Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new SplitBundling(entry),
      // Never used: the local build always succeeds or throws. CDK requires an image for Docker.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
    },
  });
