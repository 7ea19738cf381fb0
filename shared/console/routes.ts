import { statementInScope } from '#domain/access.ts';
import { NotFoundError } from '#domain/errors.ts';
import { BILL_HEADER, billRows, billTotalRow, maskStatement, tableToCsv } from '#shared/csv/export.ts';
import type { CsvValue } from '#shared/csv/write-csv.ts';
import { MAX_PAGE_SIZE } from '#shared/use-cases/finance/paging.ts';
import { balanceQuerySchema, nipSchema } from '#shared/use-cases/finance/requests.ts';
import { alertPage } from './alert-page.ts';
import { ForbiddenError, noteSchema, parseInput } from './api.ts';
import { AREA_ROUTES } from './area-routes.ts';
import { AUDIT_ROUTES } from './audit-routes.ts';
import { INTAKE_ROUTES } from './intake-routes.ts';
import { REPORT_ROUTES } from './report-routes.ts';
import {
  alertPageSchema,
  balanceSchema,
  handledAnswerSchema,
  meSchema,
  overviewSchema,
  reconciliationSchema,
  runsSchema,
  statementSchema,
} from './responses.ts';
import { audit, csvFile, month, pool, type Route, reply } from './route-kit.ts';

export type { ConsoleDeps, Route } from './route-kit.ts';

/**
 * The console's routes (docs/console.md): each names the roles that may call it and checks the pool
 * or agency against the caller's scope before it reads anything. Finance answers come from the finance
 * use cases unchanged; what the console adds (alerts with notes, files with their rejection rows,
 * presigned uploads) lives beside this file.
 */

const BASE_ROUTES: readonly Route[] = [
  {
    name: 'me',
    method: 'GET',
    path: /^\/api\/me$/,
    roles: ['treasurer', 'ops', 'finance'],
    run: async ({ req }) => reply(meSchema, req.principal),
  },
  ...INTAKE_ROUTES,
  {
    name: 'alerts',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/alerts$/,
    roles: ['ops'],
    run: async (ctx) => {
      const p = pool(ctx);
      return reply(
        alertPageSchema,
        alertPage(p, await ctx.deps.alerts.list(p), ctx.req.query, ctx.deps.clock.now()),
      );
    },
  },
  {
    name: 'markHandled',
    method: 'POST',
    path: /^\/api\/pools\/([^/]+)\/alerts\/handled$/,
    roles: ['ops'],
    run: async (ctx) => {
      const p = pool(ctx);
      const body = parseInput(noteSchema, ctx.req.body);
      const who = ctx.req.principal;
      const note = {
        at: ctx.deps.clock.now().toISOString(),
        note: body.note,
        role: who.role,
        by: who.id,
        ...((who.name ?? who.email) ? { byName: who.name ?? who.email ?? '' } : {}),
      };
      if (!(await ctx.deps.alerts.markHandled(p, body.ref, note))) {
        throw new NotFoundError('no such alert in this pool', { code: 'ALERT_UNKNOWN' });
      }
      await audit(ctx, { kind: 'ALERT_HANDLED', pool: p, ref: body.ref });
      return reply(handledAnswerSchema, { ref: body.ref, handled: note }, 201);
    },
  },
  {
    name: 'runs',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/runs$/,
    roles: ['ops', 'finance'],
    run: async (ctx) => reply(runsSchema, { items: await ctx.deps.finance.runs({ pool: pool(ctx) }) }),
  },
  {
    name: 'overview',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/overview$/,
    roles: ['finance'],
    run: async (ctx) => {
      const p = pool(ctx);
      const [balance, runs] = await Promise.all([
        ctx.deps.finance.balance({ pool: p }),
        ctx.deps.finance.runs({ pool: p }),
      ]);
      const months = [...new Set(runs.filter((r) => r.state === 'DONE').map((r) => r.month))].sort();
      const reconciliations = await ctx.deps.finance.reconciliations({ pool: p, months });
      return reply(overviewSchema, { pool: p, balance, months: reconciliations });
    },
  },
  {
    name: 'reconciliation',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/reconciliation$/,
    roles: ['finance'],
    run: async (ctx) =>
      reply(
        reconciliationSchema,
        await ctx.deps.finance.reconciliation({ pool: pool(ctx), month: month(ctx) }),
      ),
  },
  {
    name: 'bill',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/bill$/,
    roles: ['finance'],
    run: async (ctx) => {
      const p = pool(ctx);
      const m = month(ctx);
      const rows: CsvValue[][] = [];
      let next: string | undefined;
      for (;;) {
        const b = await ctx.deps.finance.bill({
          pool: p,
          month: m,
          limit: MAX_PAGE_SIZE,
          ...(next === undefined ? {} : { next }),
        });
        rows.push(...billRows(b.page.items, { unmasked: false }));
        next = b.page.next;
        if (next === undefined) {
          rows.push(billTotalRow(b));
          break;
        }
      }
      return csvFile(tableToCsv({ header: BILL_HEADER, rows }), `tagihan-bpjs-${p}-${m}.csv`);
    },
  },
  {
    name: 'balance',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/balance$/,
    roles: ['finance'],
    run: async (ctx) => {
      const p = pool(ctx);
      const q = parseInput(balanceQuerySchema, ctx.req.query);
      return reply(
        balanceSchema,
        await ctx.deps.finance.balance({ pool: p, ...(q.asOf === undefined ? {} : { asOf: q.asOf }) }),
      );
    },
  },
  {
    name: 'statement',
    method: 'GET',
    path: /^\/api\/donors\/([^/]+)\/statement$/,
    roles: ['finance'],
    run: async (ctx) => {
      const nip = parseInput(nipSchema, ctx.params[0]);
      // A NIP the ledger never saw and one only outside the caller's pools get the same 403: the
      // answer must not say whether a donor exists (docs/access.md).
      const found = await ctx.deps.finance.statement(nip).catch((err: unknown) => {
        if (err instanceof NotFoundError) throw new ForbiddenError('statement');
        throw err;
      });
      // Only the pools the caller may see; totals recomputed from those lines alone.
      const s = statementInScope(ctx.req.principal, maskStatement(found, { unmasked: false }));
      if (s === undefined) throw new ForbiddenError('statement');
      return reply(statementSchema, { nip: s.nip, lines: s.lines, totals: s.totals });
    },
  },
];

/** Every console route: the base ones above, the report pages (report-routes.ts), pools and areas (area-routes.ts), the trail and changes (audit-routes.ts). */
export const ROUTES: readonly Route[] = [...BASE_ROUTES, ...REPORT_ROUTES, ...AREA_ROUTES, ...AUDIT_ROUTES];
