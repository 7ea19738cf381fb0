import { z } from 'zod';
import { poolInScope } from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';
import { type PoolSettingsInput, poolCodeSchema, poolSettingsSchema } from '#domain/pools.ts';
import type { HttpRequest } from '#shared/runtime/http-handler.ts';
import type { AreaQueries } from '#shared/use-cases/area-views.ts';
import {
  decodePathSegment,
  FinanceRequestError,
  monthSchema,
  parseRequest,
} from '#shared/use-cases/finance/requests.ts';
import { type FourEyes, GUARDED_SETTINGS } from '#shared/use-cases/four-eyes.ts';
import type { PoolAdmin } from '#shared/use-cases/pool-admin.ts';
import { type CallerContext, requirePool } from './caller-context.ts';

/**
 * The finance API's pool and area routes (docs/pools-and-areas.md), beside the finance queries of
 * routes.ts:
 *   GET   /pools?area=15.04&after=<code>&limit=100   registered pools in code order, a page at a time
 *   GET   /pools/{code}                              one pool's record
 *   POST  /pools            {pool, name?, parent?, horizonMonths?, fileCutoffDay?, runwayAlertMonths?, tierDefault?}
 *   PATCH /pools/{code}     {the settings to change}
 *   GET   /areas/{code}/month?month=YYYY-MM          sums over every pool under the area code
 *   GET   /areas/{code}/alerts?date=YYYY-MM-DD       the day's alert counts under the area code
 * Returns undefined for any other path, so the caller's routes take it.
 */
export type PoolRouteDeps = {
  readonly pools: PoolAdmin;
  readonly areas: AreaQueries;
  /** Four eyes: a PATCH of a guarded setting becomes a change request (shared/use-cases/four-eyes.ts). */
  readonly changes?: FourEyes;
};
type Req = Pick<HttpRequest, 'method' | 'path' | 'query' | 'body' | 'requestId'>;

/** The settings given, as the trail's detail (codes and numbers only). */
export const settingsDetail = (s: PoolSettingsInput): Record<string, string | number> =>
  Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Record<string, string | number>;

const listQuerySchema = z.strictObject({
  area: poolCodeSchema.optional(),
  after: poolCodeSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(1000))
    .optional(),
});
const addBodySchema = poolSettingsSchema.extend({ pool: poolCodeSchema });
const dateSchema = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD') });

function bodyOf(req: Req): unknown {
  try {
    return JSON.parse(req.body ?? '');
  } catch {
    throw new FinanceRequestError('BAD_REQUEST', 'the body must be a JSON object');
  }
}

export async function routePoolRequest(
  deps: PoolRouteDeps,
  req: Req,
  c: CallerContext,
): Promise<unknown | undefined> {
  if (/^\/pools\/?$/.test(req.path)) {
    if (req.method === 'GET') {
      const q = parseRequest(listQuerySchema, req.query);
      // Only the pools in the caller's scope; `next` still continues the whole list.
      const page = await deps.pools.list(q);
      return { ...page, pools: page.pools.filter((p) => poolInScope(c.caller, p.pool)) };
    }
    if (req.method === 'POST') {
      const { pool, ...settings } = parseRequest(addBodySchema, bodyOf(req));
      requirePool(c, pool);
      const created = await deps.pools.add(pool, settings);
      await c.record({ kind: 'POOL_ADDED', pool, detail: settingsDetail(settings) });
      return created;
    }
    throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'GET or POST on /pools');
  }
  const one = /^\/pools\/([^/]+)\/?$/.exec(req.path);
  if (one) {
    const pool = parseRequest(poolCodeSchema, decodePathSegment(one[1] ?? ''));
    requirePool(c, pool);
    if (req.method === 'GET') return deps.pools.show(pool);
    if (req.method === 'PATCH') {
      const settings = parseRequest(poolSettingsSchema, bodyOf(req));
      if (GUARDED_SETTINGS.some((k) => settings[k] !== undefined)) {
        if (deps.changes === undefined) throw new AccessDeniedError('four eyes not wired');
        await deps.pools.show(pool);
        const request = await deps.changes.request(
          { actor: c.caller, via: 'finance-api', requestId: req.requestId },
          { kind: 'POOL_SETTINGS', pool, settings, reason: `PATCH /pools/${pool}` },
        );
        return { status: 'PENDING_APPROVAL', request };
      }
      const updated = await deps.pools.set(pool, settings);
      await c.record({ kind: 'POOL_CHANGED', pool, detail: settingsDetail(settings) });
      return updated;
    }
    throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'GET or PATCH on /pools/{code}');
  }
  const area = /^\/areas\/([^/]+)\/(month|alerts)\/?$/.exec(req.path);
  if (area) {
    if (req.method !== 'GET') throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET on /areas');
    const code = parseRequest(poolCodeSchema, decodePathSegment(area[1] ?? ''));
    requirePool(c, code);
    if (area[2] === 'month') {
      const q = parseRequest(z.strictObject({ month: monthSchema }), req.query);
      return deps.areas.month({ area: code, month: q.month });
    }
    return deps.areas.alerts({ area: code, date: parseRequest(dateSchema, req.query).date });
  }
  return undefined;
}
