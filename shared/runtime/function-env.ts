import { z } from 'zod';
import {
  type EnvBucket,
  type EnvQueue,
  type EnvTable,
  type EnvTopic,
  type FunctionEnvSpec,
  type FunctionKey,
  type FunctionResources,
  functionEnv,
  resourceEnvVars,
} from '#shared/config/function-env.ts';
import { readEnv } from '#shared/runtime/env.ts';

type Spec<K extends FunctionKey> = (typeof functionEnv)[K];
type Listed<R, F extends keyof FunctionResources> = R extends { readonly [P in F]: readonly (infer T)[] }
  ? T
  : never;
type SettingsOf<S> = S extends { readonly settings: infer T extends Record<string, z.ZodType> }
  ? { readonly [P in keyof T]: z.output<T[P]> }
  : Record<never, never>;

/** A function's configuration, by resource key: `cfg.tables.ledger`, `cfg.queues.allocationJobs`, ... */
export type FunctionConfig<K extends FunctionKey> = {
  readonly tables: Readonly<Record<Listed<Spec<K>['resources'], 'tables'> & EnvTable, string>>;
  readonly buckets: Readonly<Record<Listed<Spec<K>['resources'], 'buckets'> & EnvBucket, string>>;
  readonly queues: Readonly<Record<Listed<Spec<K>['resources'], 'sendTo'> & EnvQueue, string>>;
  readonly topics: Readonly<Record<Listed<Spec<K>['resources'], 'publishTo'> & EnvTopic, string>>;
  readonly settings: SettingsOf<Spec<K>>;
};

/** The variable names of a function's resources, as infra/resources.ts's access binds them. */
export const resourceVarsOf = (resources: FunctionResources): string[] => [
  ...(resources.tables ?? []).map((t) => resourceEnvVars.tables[t]),
  ...(resources.buckets ?? []).map((b) => resourceEnvVars.buckets[b]),
  ...(resources.sendTo ?? []).map((q) => resourceEnvVars.queues[q]),
  ...(resources.publishTo ?? []).map((t) => resourceEnvVars.topics[t]),
];

/** A function's env schema: each resource variable a non-empty string, then its settings. */
export const envSchemaOf = (fn: FunctionKey) => {
  const spec: FunctionEnvSpec = functionEnv[fn];
  const shape: Record<string, z.ZodType> = {};
  for (const name of resourceVarsOf(spec.resources).sort()) shape[name] = z.string().min(1);
  return z.object({ ...shape, ...spec.settings });
};

/**
 * Reads a function's environment once (call it when the handler is built, i.e. at cold start) through
 * the schema derived from shared/config/function-env.ts: a missing or malformed variable fails fast,
 * by name. The handler sees resources by key and never writes a variable's name itself.
 */
export const readFunctionEnv = <K extends FunctionKey>(
  fn: K,
  env: NodeJS.ProcessEnv = process.env,
): FunctionConfig<K> => {
  const spec: FunctionEnvSpec = functionEnv[fn];
  const flat = readEnv(envSchemaOf(fn), env) as Record<string, unknown>;
  const pick = <G extends keyof typeof resourceEnvVars>(group: G, keys: readonly string[] = []) =>
    Object.fromEntries(
      keys.map((key) => [key, flat[(resourceEnvVars[group] as Record<string, string>)[key] ?? '']]),
    );
  const settings = Object.fromEntries(Object.keys(spec.settings ?? {}).map((name) => [name, flat[name]]));
  return {
    tables: pick('tables', spec.resources.tables),
    buckets: pick('buckets', spec.resources.buckets),
    queues: pick('queues', spec.resources.sendTo),
    topics: pick('topics', spec.resources.publishTo),
    settings,
  } as FunctionConfig<K>;
};
