import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const DIR = path.resolve(import.meta.dirname, 'lambda-node');

/** The Node 22 binary of the npm package `node` (the Lambda runtime's major), in its own folder. */
export const LAMBDA_NODE = path.join(DIR, 'node_modules', 'node', 'bin', 'node');

/**
 * Installs test/support/lambda-node (pinned by its own lock file) if it is not there yet. It lives
 * apart from the root package because the package's bin is named `node`: in the root it would shadow
 * the Node 20 every npm script runs on.
 */
export const ensureLambdaNode = async (): Promise<string> => {
  if (!existsSync(LAMBDA_NODE)) {
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund', '--prefix', DIR], { cwd: DIR });
  }
  return LAMBDA_NODE;
};
