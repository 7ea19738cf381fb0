import { z } from 'zod';
import { poolCodeSchema, poolSettingsSchema } from '#domain/pools.ts';
import type { HttpRequest } from '#shared/runtime/http-handler.ts';
import type { AreaQueries } from '#shared/use-cases/area-views.ts';
import {
  decodePathSegment,
  FinanceRequestError,
  monthSchema,
  parseRequest,
} from '#shared/use-cases/finance/requests.ts';
import type { PoolAdmin } from '#shared/use-cases/pool-admin.ts';

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
export type PoolRouteDeps = { readonly pools: PoolAdmin; readonly areas: AreaQueries };
type Req = Pick<HttpRequest, 'method' | 'path' | 'query' | 'body'>;

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

export async function routePoolRequest(deps: PoolRouteDeps, req: Req): Promise<unknown | undefined> {
  if (/^\/pools\/?$/.test(req.path)) {
    if (req.method === 'GET') {
      const q = parseRequest(listQuerySchema, req.query);
      return deps.pools.list(q);
    }
    if (req.method === 'POST') {
      const { pool, ...settings } = parseRequest(addBodySchema, bodyOf(req));
      return deps.pools.add(pool, settings);
    }
    throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'GET or POST on /pools');
  }
  const one = /^\/pools\/([^/]+)\/?$/.exec(req.path);
  if (one) {
    const pool = parseRequest(poolCodeSchema, decodePathSegment(one[1] ?? ''));
    if (req.method === 'GET') return deps.pools.show(pool);
    if (req.method === 'PATCH') return deps.pools.set(pool, parseRequest(poolSettingsSchema, bodyOf(req)));
    throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'GET or PATCH on /pools/{code}');
  }
  const area = /^\/areas\/([^/]+)\/(month|alerts)\/?$/.exec(req.path);
  if (area) {
    if (req.method !== 'GET') throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET on /areas');
    const code = parseRequest(poolCodeSchema, decodePathSegment(area[1] ?? ''));
    if (area[2] === 'month') {
      const q = parseRequest(z.strictObject({ month: monthSchema }), req.query);
      return deps.areas.month({ area: code, month: q.month });
    }
    return deps.areas.alerts({ area: code, date: parseRequest(dateSchema, req.query).date });
  }
  return undefined;
}
