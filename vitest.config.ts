import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// Local-cloud tests talk to emulators on 127.0.0.1 only. These settings keep the AWS SDK from ever
// looking for real credentials or probing the EC2 metadata address.
const localAwsEnv = {
  AWS_REGION: 'ap-southeast-3',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

// The long scenarios (a simulated year or months of the whole pipeline, the chaos seeds, the console
// in Chromium, the synthesized bundles on Node 22) are the project `long`: `npm run test:long`, which
// CI runs after `npm test`. Every assertion is kept; they only leave the command a developer waits on.
const LONG = [
  'test/e2e/chaos/**/*.test.ts',
  'test/e2e/console/**/*.test.ts',
  'test/e2e/bundles/**/*.test.ts',
  'test/e2e/demo/**/*.test.ts',
  'test/integration/pools/village-pool-cli.test.ts',
];

export default defineConfig({
  test: {
    env: localAwsEnv,
    // Files run in parallel (each integration file starts its own emulators); most of a file's time is
    // spent waiting on them, so one worker more than there are cores keeps the cores busy.
    maxWorkers: Number(process.env.SERTAKAN_TEST_WORKERS ?? Math.max(2, availableParallelism() + 1)),
    // The default output, then the names of any tests that could not run here and why.
    reporters: ['default', './test/support/not-run-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LONG],
          // One Java DynamoDB Local for the whole run when SERTAKAN_DDB=dynamodb-local.
          globalSetup: [
            'test/support/dynamodb-local-global-setup.ts',
            'test/support/console-build-global-setup.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'infra', isolate: false, include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LONG],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'long',
          include: LONG,
          globalSetup: [
            'test/support/dynamodb-local-global-setup.ts',
            'test/support/console-build-global-setup.ts',
          ],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
