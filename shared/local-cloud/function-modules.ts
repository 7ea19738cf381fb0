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
 * Loads a function's handler module from the `entry` infra/resources.ts gives it, so the local pipeline
 * and the chaos simulation run exactly the modules CDK bundles, with no second list to keep in step.
 */
export const loadFunctionModule = async (name: QueueDrivenFunction): Promise<FunctionModule> => {
  // In this process the handlers share one event loop with the emulators: the X-Ray SDK's async hook
  // (loaded with the tracer) would tax every promise of all of them, so tracing stays off unless asked.
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  return (await import(pathToFileURL(join(REPO_ROOT, functions[name].entry)).href)) as FunctionModule;
};
