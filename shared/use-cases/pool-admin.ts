/**
 * Creating, configuring and listing pools (docs/pools-and-areas.md): what `sertakan pool add|list|show|set`
 * and the finance API's `/pools` routes call. Settings are checked against the code (level, parent);
 * a broken rule is a ValidationError naming the field, an unknown pool a NotFoundError, a second `add`
 * of one code a ConflictError (settings are changed with `set`, never by adding again).
 */
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import {
  defaultPoolRecord,
  type PoolRecord,
  type PoolSettingsInput,
  settingsProblem,
  withSettings,
} from '#domain/pools.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { PoolPage, PoolRegistry } from '#domain/ports/pool-registry.ts';

/** Pools per page of `list` unless asked otherwise. */
export const POOL_PAGE_SIZE = 100;

export function makePoolAdmin(deps: { readonly pools: PoolRegistry; readonly clock: Clock }) {
  const check = (pool: PoolCode, s: PoolSettingsInput): void => {
    const problem = settingsProblem(pool, s);
    if (problem !== undefined) throw new ValidationError(problem, { code: 'POOL_SETTINGS_INVALID' });
  };
  const require = async (pool: PoolCode): Promise<PoolRecord> => {
    const found = await deps.pools.get(pool);
    if (found === undefined)
      throw new NotFoundError(`pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
    return found;
  };
  return {
    /** Registers a new pool with these settings (defaults for the rest). */
    async add(pool: PoolCode, settings: PoolSettingsInput): Promise<PoolRecord> {
      check(pool, settings);
      const now = deps.clock.now();
      const record = withSettings(defaultPoolRecord(pool, 'OPERATOR', now), settings, now);
      const { updatedAt: _, ...created } = record;
      if ((await deps.pools.create(created)) === 'EXISTS')
        throw new ConflictError(`pool ${pool} is already registered: change it with \`pool set\``, {
          code: 'POOL_EXISTS',
        });
      return created;
    },
    /** Changes the given settings of a registered pool; the rest stay. */
    async set(pool: PoolCode, settings: PoolSettingsInput): Promise<PoolRecord> {
      check(pool, settings);
      const updated = withSettings(await require(pool), settings, deps.clock.now());
      await deps.pools.replace(updated);
      return updated;
    },
    show: require,
    /** One page of pools in code order (under `area` when given); `next` continues it. */
    list(q: {
      readonly area?: PoolCode;
      readonly after?: PoolCode;
      readonly limit?: number;
    }): Promise<PoolPage> {
      return deps.pools.page({ ...q, limit: q.limit ?? POOL_PAGE_SIZE });
    },
  };
}

export type PoolAdmin = ReturnType<typeof makePoolAdmin>;
