import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Clock } from '#domain/ports/clock.ts';
import { type FunctionSpec, functions } from '#infra/resources.ts';
import type { BundledFunctions } from './bundle-functions.ts';
import {
  loadFunctionModule,
  type QueueDrivenFunction,
  queueDrivenFunctions,
  type SqsLambda,
} from './function-modules.ts';
import type { LocalCloud } from './local-cloud.ts';
import type { SqsPoller } from './sqs-poller.ts';

/**
 * Runs SERTAKAN's queue-driven functions on the local cloud exactly as their event source mappings do
 * on AWS: the same handler modules (functions/<name>/handler.ts), built with adapters pointed at the
 * emulators, fed real SQS events with the batch settings of infra/resources.ts.
 *
 * Every function module exports `makeHandler(deps)` and `buildDeps(env, clients, clock)`; the module's
 * own `handler` export (what Lambda calls) builds the same deps from process.env.
 */

/**
 * Invocations of one function at once, locally. Six keep the handlers' thread and the emulators' threads
 * busy together (a 2-month demo: 20.0-20.8 s with 3, 17.7-18.0 s with 6, 20.3-21.6 s with 10, whose idle
 * long polls cost more than they overlap; docs/figures.md).
 */
const LOCAL_MAX_CONCURRENCY = 6;

export type PipelineOptions = {
  readonly clock: Clock;
  /** Start only these functions (default: all queue-driven ones). */
  readonly only?: readonly QueueDrivenFunction[];
  /** Override a consumer's batching window, e.g. 0 for a fast local run (default: the spec's). */
  readonly maxBatchingWindowSeconds?: number;
  /** Called after every invocation (benchmarks count Lambda invocations and their duration). */
  readonly onInvoke?: (fn: QueueDrivenFunction, ms: number, records: number) => void;
  /**
   * Run the synthesized bundles (what CDK deploys) instead of the TypeScript sources: every
   * queue-driven function of infra/resources.ts, each in its own container (bundle-functions.ts).
   */
  readonly bundles?: BundledFunctions;
};

export type Pipeline = { readonly pollers: readonly SqsPoller[]; stop(): Promise<void> };

export type { QueueDrivenFunction };

/** A bundle's container behind an event source mapping: the poller's context travels with the event. */
const bundleLambda =
  (bundles: BundledFunctions, name: QueueDrivenFunction): SqsLambda =>
  async (event, context) =>
    (await bundles.invoke(name, event, {
      functionName: context.functionName,
      timeoutSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000),
    })) as SQSBatchResponse | undefined;

export async function startPipeline(cloud: LocalCloud, opts: PipelineOptions): Promise<Pipeline> {
  const { bundles } = opts;
  const names = opts.only ?? queueDrivenFunctions();
  const env = { ...process.env, ...cloud.env };
  const pollers: SqsPoller[] = [];
  const sourceLambda = async (name: QueueDrivenFunction): Promise<SqsLambda> => {
    const mod = await loadFunctionModule(name);
    return mod.makeHandler(mod.buildDeps(env, cloud.clients, opts.clock) as never);
  };
  const timed = async (name: QueueDrivenFunction, lambda: SqsLambda, event: SQSEvent, context: Context) => {
    if (!opts.onInvoke) return lambda(event, context);
    const started = performance.now();
    try {
      return await lambda(event, context);
    } finally {
      opts.onInvoke(name, performance.now() - started, event.Records.length);
    }
  };
  for (const name of names) {
    const spec: FunctionSpec = functions[name];
    if (!spec.source) continue;
    const lambda = bundles === undefined ? await sourceLambda(name) : bundleLambda(bundles, name);
    pollers.push(
      cloud.consume(spec.source.queue, (event, context) => timed(name, lambda, event, context), {
        // AWS runs many invocations at once; locally a few in parallel overlap the emulators' I/O
        // without flooding one process with idle long polls.
        concurrency: Math.min(LOCAL_MAX_CONCURRENCY, spec.source.maxConcurrency ?? LOCAL_MAX_CONCURRENCY),
        ...(opts.maxBatchingWindowSeconds === undefined
          ? {}
          : { maxBatchingWindowSeconds: opts.maxBatchingWindowSeconds }),
      }),
    );
  }
  return {
    pollers,
    stop: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    },
  };
}
