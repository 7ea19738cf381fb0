/**
 * Prints how long the local cloud takes to start (emulators + every resource) and to stop.
 * Usage: npx tsx shared/local-cloud/print-start-time.ts [dynalite|dynamodb-local] [runs]
 * A figure for the README, never a test: it cannot fail on a time.
 */
import { performance } from 'node:perf_hooks';
import { type DdbBackend, startLocalCloud } from './local-cloud.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const backend: DdbBackend = process.argv[2] === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
const runs = Number(process.argv[3] ?? 5);

for (let run = 1; run <= runs; run++) {
  const t0 = performance.now();
  const cloud = await startLocalCloud({ ddb: backend, stage: `bench${run}` });
  const started = performance.now();
  await cloud.stop();
  const stopped = performance.now();
  process.stdout.write(
    `${backend} run ${run}: start ${(started - t0).toFixed(0)} ms, stop ${(stopped - started).toFixed(0)} ms\n`,
  );
}
