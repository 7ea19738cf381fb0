#!/usr/bin/env node
// `sertakan` as installed by npm (package.json "bin"): runs the TypeScript CLI through tsx's loader in
// this same process, so signals (Ctrl+C on `local up`) and the exit code need no forwarding. The loader
// is resolved from this file, so the command works from any working directory.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../shared/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv);
