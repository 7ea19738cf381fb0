import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * A clean `cdk synth` (bundling, cdk-nag and all, exactly as `npm run synth`) into a fresh temporary
 * directory, so what a test runs is what `cdk deploy` would upload. Returns the output directory.
 */
export const synthToTempDir = async (stage = 'dev'): Promise<string> => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'sertakan-synth-'));
  await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', '-c', `stage=${stage}`, '-o', outdir], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return outdir;
};
