#!/usr/bin/env node
// `sertakan` as installed by npm (package.json "bin") and run by `npm run sertakan` / `npm start`: runs
// the CLI compiled to JavaScript by bin/build-cli.mjs (built by `npm ci`, rebuilt here first when a
// source file is newer than the build), in this same process, so signals (Ctrl+C on `local up`) and the
// exit code need no forwarding. Paths are resolved from this file: it works from any directory. If the
// build cannot be made (esbuild missing), the TypeScript sources run through tsx's loader as before.
import { buildCli, freshBuild } from './build-cli.mjs';

const compiled = async () => {
  try {
    return freshBuild() ?? (await buildCli());
  } catch {
    return undefined;
  }
};

let url = await compiled();
if (url === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  url = new URL('../shared/cli/main.ts', import.meta.url).href;
}
const { main } = await import(url);
process.exitCode = await main(process.argv);
