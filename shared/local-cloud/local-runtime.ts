import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { type BundledFunctions, startBundledFunctions } from './bundle-functions.ts';
import { readCloudClock } from './cloud-clock.ts';
import { readDeployedApp } from './deployed-functions.ts';
import { endpointsFile } from './endpoints-file.ts';
import { type DdbBackend, type LocalCloud, startLocalCloud } from './local-cloud.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './pipeline.ts';

/**
 * The whole pipeline on one machine: the local cloud plus every queue-driven function consuming its
 * queue, as `sertakan demo`, `sertakan local up` and the CLI's embedded mode run it.
 */
export type LocalRuntime = {
  readonly cloud: LocalCloud;
  readonly pipeline: Pipeline;
  readonly clock: Clock;
  close(): Promise<void>;
};

export type LocalRuntimeOptions = {
  /** Persist tables and objects here; in memory when absent. */
  readonly dataDir?: string;
  readonly clock?: Clock;
  readonly ddb?: DdbBackend;
  /** 0 makes every consumer take what is there at once (fast local runs); default: the spec's. */
  readonly maxBatchingWindowSeconds?: number;
  readonly onError?: (err: unknown, source: string) => void;
  /** Called after every function invocation (profiling, benchmarks). */
  readonly onInvoke?: PipelineOptions['onInvoke'];
  /**
   * Run the synthesized bundles of a `cdk synth` output directory (what AWS runs) instead of the
   * TypeScript sources, each in its own process on `node` (default: this process's binary).
   */
  readonly bundles?: { readonly cdkOut: string; readonly node?: string };
};

/**
 * Observability defaults for functions running in this process (set before their modules load):
 * no X-Ray, no EMF metric lines on stdout, warnings and errors only. Explicit settings win.
 */
function localObservabilityDefaults(): void {
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // Every function shares this process (and the Powertools singletons): one service name for all.
  process.env.POWERTOOLS_SERVICE_NAME ??= 'sertakan-local';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function startLocalRuntime(opts: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  localObservabilityDefaults();
  // One clock per cloud: a data dir's recorded clock (cloud-clock.ts), unless the caller drives one.
  const clock = opts.clock ?? (opts.dataDir === undefined ? systemClock : readCloudClock(opts.dataDir));
  if (opts.dataDir !== undefined) mkdirSync(opts.dataDir, { recursive: true });
  const cloud = await startLocalCloud({
    stage: 'local',
    ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
    ...(opts.ddb === undefined ? {} : { ddb: opts.ddb }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  let bundles: BundledFunctions | undefined;
  try {
    if (opts.bundles !== undefined) {
      bundles = startBundledFunctions({
        app: readDeployedApp(opts.bundles.cdkOut),
        cloud,
        ...(opts.bundles.node === undefined ? {} : { node: opts.bundles.node }),
        workDir:
          opts.dataDir === undefined
            ? mkdtempSync(join(tmpdir(), 'sertakan-bundles-'))
            : join(opts.dataDir, 'bundle-logs'),
      });
    }
    const pipeline = await startPipeline(cloud, {
      clock,
      ...(bundles === undefined ? {} : { bundles }),
      ...(opts.onInvoke === undefined ? {} : { onInvoke: opts.onInvoke }),
      ...(opts.maxBatchingWindowSeconds === undefined
        ? {}
        : { maxBatchingWindowSeconds: opts.maxBatchingWindowSeconds }),
    });
    return {
      cloud,
      pipeline,
      clock,
      // The cloud's stop ends the pipeline's pollers too, without waiting out their long polls; the
      // bundled functions stop once nothing can invoke them.
      close: async () => {
        await cloud.stop();
        await bundles?.stop();
      },
    };
  } catch (err) {
    await bundles?.stop();
    await cloud.stop();
    throw err;
  }
}

export { endpointsFile };

export function writeEndpointsFile(dataDir: string, cloud: LocalCloud): string {
  const path = endpointsFile(dataDir);
  const body = {
    pid: process.pid,
    region: cloud.region,
    endpoints: cloud.endpoints,
    names: cloud.names,
    env: cloud.env,
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

export function removeEndpointsFile(dataDir: string): void {
  rmSync(endpointsFile(dataDir), { force: true });
}
