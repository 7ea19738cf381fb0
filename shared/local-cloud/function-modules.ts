import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Clock } from '#domain/ports/clock.ts';
import { functions } from '#infra/resources.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';

export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** What every queue-driven function module exports (functions/<name>/handler.ts). */
export type FunctionModule = {
  makeHandler(deps: never): SqsLambda;
  buildDeps(env: NodeJS.ProcessEnv, clients: AwsClients, clock: Clock): unknown;
};

/** The functions infra/resources.ts gives an SQS event source. */
export type QueueDrivenFunction = {
  [K in keyof typeof functions]: (typeof functions)[K] extends { source: object } ? K : never;
}[keyof typeof functions];

export const queueDrivenFunctions = (): QueueDrivenFunction[] =>
  (Object.keys(functions) as (keyof typeof functions)[]).filter(
    (key): key is QueueDrivenFunction => 'source' in functions[key],
  );

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Set by the CLI's esbuild build (bin/build-cli.mjs) to the directory of that build, which holds each
 * handler compiled beside the CLI (same chunks, so one copy of every shared module). Not defined when
 * the TypeScript sources run (tsx, vitest): the handlers are then imported from their sources.
 */
declare const SERTAKAN_COMPILED_FUNCTIONS: string | undefined;
const compiledFunctions =
  typeof SERTAKAN_COMPILED_FUNCTIONS === 'string' ? SERTAKAN_COMPILED_FUNCTIONS : undefined;

const moduleUrl = (entry: string): string =>
  compiledFunctions === undefined
    ? pathToFileURL(join(REPO_ROOT, entry)).href
    : pathToFileURL(join(compiledFunctions, entry.replace(/\.ts$/, '.mjs'))).href;

/**
 * Loads a function's handler module from the `entry` infra/resources.ts gives it, so the local pipeline
 * and the chaos simulation run exactly the modules CDK bundles, with no second list to keep in step.
 */
export const loadFunctionModule = async (name: QueueDrivenFunction): Promise<FunctionModule> => {
  // In this process the handlers share one event loop with the emulators: the X-Ray SDK's async hook
  // (loaded with the tracer) would tax every promise of all of them, so tracing stays off unless asked.
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  return (await import(moduleUrl(functions[name].entry))) as FunctionModule;
};
