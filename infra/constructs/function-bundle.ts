import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const BUILD_SCRIPT = path.join(import.meta.dirname, 'build-function.mjs');

/** The file Lambda loads: `index.mjs`, handler `index.handler`. */
export const ENTRY_NAME = 'index';

/**
 * esbuild (build-function.mjs) into the directory CDK stages as the asset: the entry `index.mjs`, the
 * chunks it imports or loads later in `chunks/`, their source maps.
 */
class SplitBundling implements ILocalBundling {
  // Part of CDK's cache key for the asset (its JSON), so each function's build is its own.
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    execFileSync(process.execPath, [BUILD_SCRIPT, this.entry, outputDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return true;
  }
}

/**
 * A function's code: its entry (a path from the repository root) bundled with code splitting into
 * one asset directory (docs/cli-startup.md, "What a cold start loads"). Hashed by output, as
 * NodejsFunction does, so an unchanged build keeps its asset.
 */
export const functionCode = (entry: string): Code =>
  Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new SplitBundling(entry),
      // Never used: the local build succeeds or throws. CDK requires an image for Docker bundling.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
    },
  });
