import { z } from 'zod';
import { addPoolMonth, emptyAreaMonth, type PoolMonthSummary } from '#domain/areas.ts';
import { NotFoundError } from '#domain/errors.ts';
import { periodOf, previousPeriod } from '#domain/period.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { parseInput, requirePoolScope } from './api.ts';
import { areaMonthSchema, poolListSchema } from './responses.ts';
import { type AreaDeps, type Ctx, type Route, reply } from './route-kit.ts';

/**
 * The pools a person may pick, and an area's month (docs/console.md#areas): the sums of the pools'
 * month summaries under a province or regency code (each summary is the pool's reconciliation, to the
 * rupiah), with every pool's own line so the page can drill down to one.
 */

/** Pools listed at most: a province has a few hundred village pools, not thousands. */
export const POOLS_LISTED = 2000;
/** Pools whose pending corrections are read at once. */
const PENDING_READS_AT_ONCE = 8;
/** How far back an area's month is looked for when none is asked. */
const LOOK_BACK_MONTHS = 12;

const poolsQuerySchema = z.strictObject({ area: poolSchema.optional() });
const areaQuerySchema = z.strictObject({ month: monthSchema.optional() });

const areaDeps = (ctx: Ctx): AreaDeps => {
  const a = ctx.deps.areas;
  if (a === undefined) throw new NotFoundError('areas are not wired here', { code: 'NOT_WIRED' });
  return a;
};

async function poolMonths(deps: AreaDeps, area: string, month: string): Promise<PoolMonthSummary[]> {
  const out: PoolMonthSummary[] = [];
  for await (const page of deps.summaries.months(area, month)) out.push(...page);
  return out.sort((a, b) => a.pool.localeCompare(b.pool));
}

export const AREA_ROUTES: readonly Route[] = [
  {
    // The registered pools in the caller's scope (under `area` when given), in code order: the picker.
    name: 'pools',
    method: 'GET',
    path: /^\/api\/pools$/,
    roles: ['ops', 'finance'],
    run: async (ctx) => {
      const q = parseInput(poolsQuerySchema, ctx.req.query);
      if (q.area !== undefined) requirePoolScope(ctx.req.principal, q.area);
      const deps = areaDeps(ctx);
      const items: { pool: string; name?: string; level: string }[] = [];
      for (const prefix of q.area === undefined ? ctx.req.principal.pools : [q.area]) {
        let after: string | undefined;
        do {
          const page = await deps.pools.page({
            area: prefix,
            limit: 500,
            ...(after === undefined ? {} : { after }),
          });
          for (const p of page.pools)
            items.push({ pool: p.pool, level: p.level, ...(p.name === undefined ? {} : { name: p.name }) });
          after = page.next;
        } while (after !== undefined && items.length < POOLS_LISTED);
      }
      const unique = [...new Map(items.map((p) => [p.pool, p])).values()].sort((a, b) =>
        a.pool.localeCompare(b.pool),
      );
      return reply(poolListSchema, { items: unique.slice(0, POOLS_LISTED), total: unique.length });
    },
  },
  {
    // An area's month: the sum over every pool under the code, and each pool's line, exact to the
    // rupiah (the sums of the pools' own reconciliations). Without a month: the newest of the last 12.
    name: 'areaMonth',
    method: 'GET',
    path: /^\/api\/areas\/([^/]+)\/month$/,
    roles: ['finance'],
    run: async (ctx) => {
      const area = parseInput(poolSchema, ctx.params[0]);
      requirePoolScope(ctx.req.principal, area);
      const q = parseInput(areaQuerySchema, ctx.req.query);
      const deps = areaDeps(ctx);
      let month = q.month ?? periodOf(ctx.deps.clock.now());
      let pools = await poolMonths(deps, area, month);
      for (let i = 0; q.month === undefined && pools.length === 0 && i < LOOK_BACK_MONTHS; i++) {
        month = previousPeriod(month);
        pools = await poolMonths(deps, area, month);
      }
      if (pools.length === 0)
        throw new NotFoundError('no pool under the area has a run that month', { code: 'AREA_MONTH_EMPTY' });
      // Corrections recorded since each pool's last run are not in the run's summary: read per pool,
      // as its balance shows them (docs/one-truth.md), a few pools at a time.
      const pending: number[] = [];
      for (let i = 0; i < pools.length; i += PENDING_READS_AT_ONCE)
        pending.push(
          ...(await Promise.all(
            pools
              .slice(i, i + PENDING_READS_AT_ONCE)
              .map(async (p) => (await ctx.deps.finance.balance({ pool: p.pool })).pendingCorrections),
          )),
        );
      const total = pools.reduce(addPoolMonth, emptyAreaMonth(area, month));
      return reply(areaMonthSchema, {
        area,
        month,
        total: { ...total, pendingCorrections: pending.reduce((a, b) => a + b, 0) },
        pools: pools.map((p, i) => ({ ...p, pendingCorrections: pending[i] ?? 0 })),
      });
    },
  },
];
