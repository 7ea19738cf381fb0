import type { z } from 'zod';

/** A deployment fault: the function cannot run without this configuration, so it must not start. */
export class EnvConfigError extends Error {
  override readonly name = 'EnvConfigError';
}

/**
 * Reads the environment once through `schema` (call it at module scope, i.e. at cold start). A missing
 * or malformed variable fails fast with its name, instead of surfacing later as an `undefined` table.
 */
export const readEnv = <S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(root)';
    return env[name] === undefined || env[name] === '' ? `${name} is missing` : `${name}: ${issue.message}`;
  });
  throw new EnvConfigError(`invalid environment: ${problems.join('; ')}`);
};
