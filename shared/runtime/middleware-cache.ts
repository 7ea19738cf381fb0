/**
 * `cacheMiddleware` resolves a command class's middleware chain on its first send and keeps it, so a
 * middleware added later (a benchmark's meter, a test's counter) would never run. This makes the
 * client forget its resolved chains whenever its stack changes.
 */
export function cacheUntilStackChanges<C extends { readonly middlewareStack: object }>(client: C): C {
  const stack = client.middlewareStack as Record<string, unknown>;
  for (const name of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag']) {
    const change = stack[name];
    if (typeof change !== 'function') continue;
    stack[name] = (...args: unknown[]) => {
      (client as { handlers?: unknown }).handlers = undefined;
      return change.apply(stack, args);
    };
  }
  return client;
}
