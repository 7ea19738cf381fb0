/**
 * A Lambda entry point built on its first invocation (the cold start): the environment is read and the
 * adapters are made once, then reused while the container is warm. Importing a handler module for its
 * factories (tests, the local pipeline) therefore reads no environment at all.
 */
export function buildOnFirstCall<Args extends unknown[], R>(
  build: () => (...args: Args) => R,
): (...args: Args) => R {
  let live: ((...args: Args) => R) | undefined;
  return (...args: Args): R => {
    live ??= build();
    return live(...args);
  };
}
