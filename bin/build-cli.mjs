#!/usr/bin/env node
// The CLI as compiled JavaScript (docs/cli-startup.md): esbuild bundles shared/cli/main.ts and every
// function handler the local pipeline loads into dist/cli/<build>/, one chunk per command, with
// node_modules left external but for the AWS SDK. `npm ci` builds it (package.json "prepare"); bin/sertakan.mjs rebuilds
// it when a source file is newer than the build, so an edited checkout never runs stale code.
// Plain JavaScript on purpose: it runs before any TypeScript loader is there.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist', 'cli');
const CURRENT = join(DIST, 'current.json');
/** Builds kept beside the current one: a long-running `local up` may still load chunks of its own. */
const KEEP_BUILDS = 3;

/** The handlers the local pipeline imports (shared/local-cloud/function-modules.ts), as esbuild entries. */
const handlerEntries = () =>
  readdirSync(join(ROOT, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'functions', d.name, 'handler.ts')))
    .map((d) => `functions/${d.name}/handler.ts`);

/**
 * Each source file keeps its own `import.meta.url` / `dirname` / `filename`: code that finds files
 * next to itself (the console's sources, the bundle runner, createRequire) finds them where they are,
 * not next to the chunk it was bundled into.
 */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * node_modules stay external (Node loads them as before) except the AWS SDK and what it imports:
 * hundreds of small modules that Node takes most of a second to load one by one, and that bundle
 * cleanly (the Lambda bundles carry them the same way).
 */
const SDK = /^(@aws-sdk|@smithy|@aws-crypto)\//;
const insideSdk = (importer) => /[\\/]node_modules[\\/](@aws-sdk|@smithy|@aws-crypto)[\\/]/.test(importer);
const sdkBundled = {
  name: 'sdk-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:') || SDK.test(args.path) || insideSdk(args.importer)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** The build bin/sertakan.mjs should run, or undefined when there is none or a source is newer. */
export function freshBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
  if (current.root !== ROOT || !existsSync(join(DIST, current.dir, 'shared', 'cli', 'main.mjs')))
    return undefined;
  for (const input of current.inputs) {
    try {
      if (statSync(join(ROOT, input)).mtimeMs > current.builtAt) return undefined;
    } catch {
      return undefined; // a source was removed or renamed
    }
  }
  return pathToFileURL(join(DIST, current.dir, 'shared', 'cli', 'main.mjs')).href;
}

/** Builds into a new directory and then points current.json at it (atomic for concurrent callers). */
export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const dir = `${builtAt}-${process.pid}`;
  const outdir = join(DIST, dir);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['shared/cli/main.ts', ...handlerEntries()],
    outbase: ROOT,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ESM sources of the SDK (tree-shaken); its CommonJS parts reach Node built-ins through require.
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __sertakanCreateRequire } from 'node:module'; const require = __sertakanCreateRequire(import.meta.url);",
    },
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    // Where function-modules.ts finds the compiled handlers instead of their TypeScript sources.
    define: { SERTAKAN_COMPILED_FUNCTIONS: JSON.stringify(outdir) },
    plugins: [ownImportMeta, sdkBundled],
  });
  const inputs = [
    'package.json',
    ...Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/')),
  ];
  mkdirSync(DIST, { recursive: true });
  const temp = `${CURRENT}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify({ root: ROOT, dir, builtAt, inputs }, null, 1)}\n`);
  renameSync(temp, CURRENT);
  // Older builds beyond the newest few go.
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
  for (const old of builds.slice(KEEP_BUILDS)) rmSync(join(DIST, old), { recursive: true, force: true });
  return pathToFileURL(join(outdir, 'shared', 'cli', 'main.mjs')).href;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const url = await buildCli();
  process.stderr.write(
    `sertakan: CLI built in ${Date.now() - started} ms: ${relative(ROOT, fileURLToPath(url))}\n`,
  );
}
