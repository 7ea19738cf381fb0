import type { PoolCode } from '#domain/model.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';

/** Coverage pages remembered for one invocation, so the ALERT pass reuses what the COUNT pass read. */
export function pageMemo(coverage: CoveragePages) {
  const held = new Map<string, ReturnType<CoveragePages['page']>>();
  const keyOf = (pool: PoolCode, token: string | undefined, limit: number) =>
    `${pool}|${limit}|${token ?? ''}`;
  return {
    page(pool: PoolCode, token: string | undefined, limit: number): ReturnType<CoveragePages['page']> {
      const key = keyOf(pool, token, limit);
      const page = held.get(key) ?? coverage.page(pool, token, limit);
      held.set(key, page);
      return page;
    },
    /** Pages read from the store in this invocation. */
    reads: (): number => held.size,
    holds: (pool: PoolCode, token: string | undefined, limit: number): boolean =>
      held.has(keyOf(pool, token, limit)),
  };
}
