import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buckets, type FunctionSpec, functions, queues, tables, topics } from '#infra/resources.ts';
import { type FunctionKey, functionEnv, resourceEnvVars } from '#shared/config/function-env.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';
import { EnvConfigError } from '#shared/runtime/env.ts';
import { envSchemaOf, resourceVarsOf } from '#shared/runtime/function-env.ts';
import { logicalIdOf, resourceById, synthesise } from '#test/infra/synth-fixture.ts';

/**
 * One list of variable names (shared/config/function-env.ts): what the stacks set on each function and
 * what its handler reads must be the same names, so a handler can never read a variable the deployment
 * does not set, nor the deployment set one no handler reads.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const keys = Object.keys(functions) as FunctionKey[];
const { processing, processingTemplate } = synthesise('dev');

/**
 * Variables of the platform and its libraries, not of a function's configuration: Powertools', Node's,
 * and the stage's name, a label for whoever reads the function's settings in the AWS console.
 */
const platform = (name: string): boolean =>
  name.startsWith('POWERTOOLS_') ||
  name.startsWith('AWS_') ||
  name === 'NODE_OPTIONS' ||
  name === 'SERTAKAN_STAGE';

/** A well-formed value for each setting the stacks fill from stage config. */
const placeholders: Record<string, string> = {
  CONSOLE_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
  FINANCE_CALLERS: '[]',
};

const deployedEnv = (key: FunctionKey): Record<string, string> => {
  const props = resourceById(processingTemplate, logicalIdOf(processing.functions[key].fn)).Properties ?? {};
  const vars = (props.Environment as { Variables: Record<string, unknown> }).Variables;
  return Object.fromEntries(
    Object.keys(vars)
      .filter((name) => !platform(name))
      .map((name) => [name, placeholders[name] ?? `x-${name}`]),
  );
};

const accessVars = (spec: FunctionSpec): string[] => [
  ...Object.keys(spec.access.tables ?? {}).map((t) => tables[t as keyof typeof tables].envVar),
  ...Object.keys(spec.access.buckets ?? {}).map((b) => buckets[b as keyof typeof buckets].envVar),
  ...(spec.access.sendTo ?? []).map((q) => queues[q].envVar),
  ...(spec.access.publishTo ?? []).map((t) => topics[t].envVar),
];

describe('function env variables, named once', () => {
  it('lists every deployed function and no other', () => {
    expect(Object.keys(functionEnv).sort()).toEqual([...keys].sort());
  });

  it('takes every resource variable name in resources.ts from the one list', () => {
    const listed = new Set(Object.values(resourceEnvVars).flatMap((group) => Object.values(group)));
    const specs = [tables, queues, buckets, topics].flatMap((group) => Object.values(group));

    expect(specs.map((s) => s.envVar).sort()).toEqual([...listed].sort());
  });

  it.each(keys)('%s: the resources its handler reads are the ones its access grants', (key) => {
    const spec: FunctionSpec = functions[key];

    expect(resourceVarsOf(functionEnv[key].resources).sort()).toEqual(accessVars(spec).sort());
  });

  it.each(keys)(
    '%s: the handler reads every variable the stack sets, and the stack sets every one it requires',
    (key) => {
      const shape = envSchemaOf(key).shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const required = Object.keys(shape).filter((name) => !shape[name]?.safeParse(undefined).success);
      const set = Object.keys(deployedEnv(key));

      expect(set.filter((name) => !(name in shape))).toEqual([]);
      expect(required.filter((name) => !set.includes(name))).toEqual([]);
    },
  );

  it.each(keys)(
    '%s: builds from exactly the env the stack sets, and not without one of them',
    async (key) => {
      const mod = (await import(path.join(ROOT, functions[key].entry))) as {
        buildDeps(env: NodeJS.ProcessEnv, clients: AwsClients): unknown;
      };
      const env = deployedEnv(key);
      const clients = { ddb: {}, s3: {}, sqs: {}, sns: {} } as unknown as AwsClients;

      expect(mod.buildDeps(env, clients)).toBeTypeOf('object');
      for (const name of Object.keys(env)) {
        const { [name]: _, ...without } = env;
        const shape = envSchemaOf(key).shape as Record<
          string,
          { safeParse(v: unknown): { success: boolean } }
        >;
        if (shape[name]?.safeParse(undefined).success) continue;
        expect(() => mod.buildDeps(without, clients), name).toThrow(EnvConfigError);
      }
    },
  );

  it.each(keys)('%s: its handler source names no resource variable itself', (key) => {
    const source = readFileSync(path.join(ROOT, functions[key].entry), 'utf8');
    // Settings are read as `cfg.settings.<NAME>`, typed from the list; a resource only by its key.
    const names = Object.values(resourceEnvVars).flatMap((group) => Object.values(group));

    expect(names.filter((name) => new RegExp(`['"\`.]${name}\\b`).test(source))).toEqual([]);
    expect(source).not.toMatch(/process\.env\.|process\.env\[/);
  });
});
