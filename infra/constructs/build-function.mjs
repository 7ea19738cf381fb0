// Builds one function's asset: `node infra/constructs/build-function.mjs <entry> <outdir>`, run by
// function-bundle.ts when CDK stages the asset. Plain JavaScript, so it needs no TypeScript loader;
// a process of its own, because esbuild plugins need its asynchronous API. How and why:
// docs/cli-startup.md ("What a cold start loads").
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const NODE_HTTP_SHIM = path.join(import.meta.dirname, 'node-http.cjs');
const ZOD_LOCALES = path.join(import.meta.dirname, 'zod-locales.mjs');

// ESM output needs `require` for the few CJS dependencies esbuild keeps as require() calls. Every
// output file (entry and chunks) is a module of its own, so each gets the banner.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __sertakanCreateRequire } from 'node:module'; const require = __sertakanCreateRequire(import.meta.url);";

/** zod's own import of all its locales, answered with English alone (zod-locales.mjs). */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: ZOD_LOCALES }
        : undefined,
    );
  },
};

/** The `type` of the package.json nearest to a file ("commonjs" when none says otherwise). */
const packageTypeOf = (file) => {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
  }
  return 'commonjs';
};

const isCommonJs = (file) =>
  file.endsWith('.cjs') ||
  (file.endsWith('.js') &&
    packageTypeOf(file) !== 'module' &&
    !/^\s*(?:import|export)\b/m.test(readFileSync(file, 'utf8')));

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * `await import('dbffile')` of a CommonJS package, as Node answers it: `default` is module.exports
 * and each of its own keys a named export. In a chunk of its own, esbuild would export only
 * `default` (so `DBFFile` was undefined in the bundle while the tests under tsx passed). The names
 * are read by loading the package here, once per build.
 */
const dynamicCommonJsAsNode = {
  name: 'dynamic-commonjs-as-node',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const resolved = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir });
      if (resolved.errors.length > 0 || resolved.external || !isCommonJs(resolved.path)) return undefined;
      return { path: resolved.path, namespace: 'commonjs-as-node' };
    });
    b.onLoad({ filter: /.*/, namespace: 'commonjs-as-node' }, (args) => {
      const names = Object.keys(createRequire(args.path)(args.path)).filter(
        (name) => name !== 'default' && IDENTIFIER.test(name),
      );
      const named = names.length === 0 ? '' : `export const { ${names.join(', ')} } = m;`;
      return {
        contents: `const m = require(${JSON.stringify(args.path)}); export default m; ${named}`,
        resolveDir: path.dirname(args.path),
        loader: 'js',
      };
    });
  },
};

/**
 * The options the CDK's NodejsFunction used (ESM for Node 22, minified, source maps, the SDK bundled
 * in, the require banner), plus code splitting: a module imported only by `import()` (exceljs, jszip,
 * dbffile, the tracer) goes to a chunk beside the entry, read when the code path that imports it runs.
 */
export const functionBuildOptions = (entry, outdir) => ({
  entryPoints: { index: path.resolve(REPO_ROOT, entry) },
  absWorkingDir: REPO_ROOT,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  // Maps for Lambda's `--enable-source-maps` (stack traces name the TypeScript lines), without the
  // sources themselves: Node reads and parses the entry's map at every cold start, and the sources
  // were two thirds of it.
  sourcemap: true,
  sourcesContent: false,
  // `import ... from 'node:http'` costs a cold start undici's load on Node 22 (node-http.cjs).
  alias: { http: NODE_HTTP_SHIM, 'node:http': NODE_HTTP_SHIM },
  plugins: [zodEnglishOnly, dynamicCommonJsAsNode],
  // Bundle the pinned SDK v3 too, so AWS runs exactly the client versions the tests ran.
  external: [],
  logLevel: 'warning',
});

if (process.argv[1] === import.meta.filename) {
  const [entry, outdir] = process.argv.slice(2);
  if (entry === undefined || outdir === undefined) {
    console.error('usage: node infra/constructs/build-function.mjs <entry> <outdir>');
    process.exit(2);
  }
  await build(functionBuildOptions(entry, outdir));
}
