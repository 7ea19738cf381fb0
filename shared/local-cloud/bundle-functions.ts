import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join, relative, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { functions } from '#infra/resources.ts';
import { AWS_CALL_LOG_ENV, type AwsCall } from '#shared/runtime/aws-call-log.ts';
import type { DeployedApp, DeployedFunction, FunctionKey } from './deployed-functions.ts';
import { UNRESOLVED } from './deployed-functions.ts';
import type { LambdaContextSpec } from './lambda-context.ts';
import type { LocalCloud } from './local-cloud.ts';

/**
 * The synthesized bundles as the local cloud's functions: each runs in its own child process (one
 * Lambda container: bundle-runner.mjs) on the Node binary given (the Lambda runtime's Node 22, or
 * Node 20), with the environment its template sets, resolved to the local cloud's resources, plus
 * what Lambda itself provides (region, credentials: here the emulators' endpoints and dummies).
 * Nothing of the parent's environment leaks in, as nothing of a build machine reaches Lambda.
 */

export type BundledFunctionsOptions = {
  /**
   * Local values for env vars whose deployed value has no local counterpart (console-api's Cognito
   * issuer and app client: locally the console's development issuer stands in).
   */
  readonly environmentOverrides?: Partial<Record<FunctionKey, Record<string, string>>>;
  readonly app: DeployedApp;
  readonly cloud: LocalCloud;
  /** Node binary the bundles run on; default: this process's. */
  readonly node?: string;
  /** Per-function logs (`<name>.log`) and, with recordCalls, AWS call logs (`<name>.calls.jsonl`). */
  readonly workDir: string;
  readonly recordCalls?: boolean;
  /**
   * Each container reports the files of its asset it has loaded (bundle-runner.mjs --trace-modules):
   * what a cold start reads, and which chunks an invocation loaded later.
   */
  readonly traceModules?: boolean;
};

export type ContainerInfo = {
  readonly importMs: number;
  readonly version: string;
  /** With traceModules: the asset's files the import loaded, relative to the asset directory. */
  readonly modulesAtImport?: readonly string[];
};

export type BundledFunctions = {
  readonly functions: readonly DeployedFunction[];
  /** The environment each function's container gets (template values resolved locally). */
  environment(key: FunctionKey): Readonly<Record<string, string>>;
  /** Invokes the function's bundle with an event, as Lambda would; resolves to what the handler returned. */
  invoke(key: FunctionKey, event: unknown, context?: Partial<LambdaContextSpec>): Promise<unknown>;
  /** Cold-start facts of the container that is running, once it started. */
  containers(): Partial<Record<FunctionKey, ContainerInfo>>;
  /**
   * With traceModules: the asset's files the running container has loaded so far (relative to the
   * asset directory), as of its last answer.
   */
  loadedModules(key: FunctionKey): readonly string[] | undefined;
  /** AWS calls the function made so far (recordCalls only). */
  calls(key: FunctionKey): AwsCall[];
  logFile(key: FunctionKey): string;
  stop(): Promise<void>;
};

const RUNNER = join(import.meta.dirname, 'bundle-runner.mjs');

const runnerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    importMs: z.number(),
    version: z.string(),
    modules: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('failed'), error: z.object({ name: z.string(), message: z.string() }) }),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.object({ name: z.string(), message: z.string(), stack: z.string().optional() }).optional(),
    modules: z.array(z.string()).optional(),
  }),
]);

export class BundleInvocationError extends Error {
  override readonly name = 'BundleInvocationError';
}

type Container = {
  readonly child: ChildProcess;
  readonly ready: Promise<ContainerInfo>;
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
};

export const startBundledFunctions = (opts: BundledFunctionsOptions): BundledFunctions => {
  const { app, cloud } = opts;
  mkdirSync(opts.workDir, { recursive: true });
  const resolver = app.resolver(cloud.names, cloud.region);
  const byKey = new Map(app.functions.map((f) => [f.key, f]));
  const containers = new Map<FunctionKey, Container>();
  const infos: Partial<Record<FunctionKey, ContainerInfo>> = {};
  const logs = new Map<FunctionKey, WriteStream>();
  const modules = new Map<FunctionKey, readonly string[]>();
  let nextId = 1;

  const deployed = (key: FunctionKey): DeployedFunction => {
    const fn = byKey.get(key);
    if (fn === undefined) throw new Error(`the synthesized app has no function ${key}: synth again`);
    return fn;
  };
  const logFile = (key: FunctionKey) => join(opts.workDir, `${deployed(key).name}.log`);
  const callFile = (key: FunctionKey) => join(opts.workDir, `${deployed(key).name}.calls.jsonl`);

  const environment = (key: FunctionKey): Record<string, string> => {
    const fn = deployed(key);
    const fromTemplate = Object.fromEntries(
      Object.entries(fn.environment).map(([name, value]) => [
        name,
        opts.environmentOverrides?.[key]?.[name] ?? resolver.resolve(value),
      ]),
    );
    const unresolved = Object.entries(fromTemplate).filter(([, v]) => v.startsWith(UNRESOLVED));
    if (unresolved.length > 0) {
      throw new Error(`${fn.name}: no local value for ${unresolved.map(([n, v]) => `${n}=${v}`).join(', ')}`);
    }
    // What the Lambda service provides, with the emulators' endpoints and dummy credentials.
    const awsFromCloud = Object.fromEntries(Object.entries(cloud.env).filter(([n]) => n.startsWith('AWS_')));
    const spec = functions[key];
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: fn.assetDir,
      _HANDLER: `index.${fn.exportName}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      ...awsFromCloud,
      ...fromTemplate,
      ...(opts.recordCalls ? { [AWS_CALL_LOG_ENV]: callFile(key) } : {}),
    };
  };

  const start = (key: FunctionKey): Container => {
    const fn = deployed(key);
    let log = logs.get(key);
    if (log === undefined) {
      log = createWriteStream(logFile(key), { flags: 'a' });
      logs.set(key, log);
    }
    const child = fork(
      RUNNER,
      [fn.entryFile, fn.exportName, ...(opts.traceModules ? ['--trace-modules'] : [])],
      {
        // Absolute: the container's working directory is the bundle's, not ours.
        execPath: opts.node === undefined ? process.execPath : resolvePath(opts.node),
        // Only the runner's own flags: none of the parent's (tsx loaders, inspector) reach the bundle.
        execArgv: [],
        env: environment(key),
        cwd: fn.assetDir,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const pending: Container['pending'] = new Map();
    const ready = new Promise<ContainerInfo>((resolve, reject) => {
      child.on('message', (raw) => {
        const message = runnerMessageSchema.parse(raw);
        const loaded =
          'modules' in message ? message.modules?.map((m) => relative(fn.assetDir, m)) : undefined;
        if (loaded !== undefined) modules.set(key, loaded);
        if (message.type === 'ready') {
          const info = {
            importMs: message.importMs,
            version: message.version,
            ...(loaded === undefined ? {} : { modulesAtImport: loaded }),
          };
          infos[key] = info;
          resolve(info);
        } else if (message.type === 'failed') {
          reject(new BundleInvocationError(`${fn.name} failed to load: ${message.error.message}`));
        } else {
          const waiter = pending.get(message.id);
          pending.delete(message.id);
          if (message.ok) waiter?.resolve(message.result ?? undefined);
          else {
            const e = message.error;
            waiter?.reject(
              Object.assign(new BundleInvocationError(`${e?.name}: ${e?.message}`), { cause: e }),
            );
          }
        }
      });
      const fail = (err: BundleInvocationError) => {
        containers.delete(key);
        reject(err);
        for (const waiter of pending.values()) waiter.reject(err);
        pending.clear();
      };
      child.on('exit', (code, signal) =>
        fail(
          new BundleInvocationError(`${fn.name} container exited (${signal ?? code}): see ${logFile(key)}`),
        ),
      );
      // A Node binary that cannot start: every invocation fails with the reason, nothing crashes.
      child.on('error', (err) => fail(new BundleInvocationError(`${fn.name} container: ${err.message}`)));
    });
    // A container that dies is replaced on the next invocation, as Lambda starts a new one.
    ready.catch(() => {});
    const container = { child, ready, pending };
    containers.set(key, container);
    return container;
  };

  const invoke = async (key: FunctionKey, event: unknown, context: Partial<LambdaContextSpec> = {}) => {
    const container = containers.get(key) ?? start(key);
    await container.ready;
    const spec = functions[key];
    const id = nextId++;
    return new Promise<unknown>((resolve, reject) => {
      container.pending.set(id, { resolve, reject });
      container.child.send({
        type: 'invoke',
        id,
        event,
        context: {
          functionName: deployed(key).name,
          timeoutSeconds: spec.timeoutSeconds,
          memoryMb: spec.memoryMb,
          region: cloud.region,
          ...context,
        },
      });
    });
  };

  const calls = (key: FunctionKey): AwsCall[] => {
    const file = callFile(key);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AwsCall);
  };

  return {
    functions: app.functions,
    environment,
    invoke,
    containers: () => ({ ...infos }),
    loadedModules: (key) => modules.get(key),
    calls,
    logFile,
    stop: async () => {
      await Promise.all(
        [...containers.values()].map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.disconnect();
            }),
        ),
      );
      await Promise.all(
        [...logs.values()].map((log) => new Promise<void>((resolve) => log.end(() => resolve()))),
      );
    },
  };
};
