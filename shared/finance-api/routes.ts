import { hasGrant, statementInScope } from '#domain/access.ts';
import { AccessDeniedError, NotFoundError } from '#domain/errors.ts';
import type { AuditTrail } from '#domain/ports/audit-trail.ts';
import {
  agencyShareTable,
  allocationsTable,
  BILL_HEADER,
  balanceTable,
  billRows,
  billTotalRow,
  maskAgencyShare,
  maskEntry,
  maskStatement,
  reconciliationTable,
  runStatusTable,
  statementTable,
  type Table,
  tableToCsv,
} from '#shared/csv/export.ts';
import type { HttpAnswer, HttpRequest } from '#shared/runtime/http-handler.ts';
import type { FinanceQueries } from '#shared/use-cases/finance/index.ts';
import { DEFAULT_PAGE_SIZE } from '#shared/use-cases/finance/paging.ts';
import {
  allocationsQuerySchema,
  balanceQuerySchema,
  decodePathSegment,
  exportKindSchema,
  FinanceRequestError,
  monthQuerySchema,
  nipSchema,
  pageLimit,
  parseRequest,
  poolSchema,
  privacyOf,
  runsQuerySchema,
  statementQuerySchema,
} from '#shared/use-cases/finance/requests.ts';
import { type BpjsRouteDeps, routeBpjsRequest } from './bpjs-routes.ts';
import { type CallerContext, requirePool } from './caller-context.ts';
import { callerActor, type FinanceCaller } from './callers.ts';
import { type PoolRouteDeps, routePoolRequest } from './pool-routes.ts';

/**
 * The finance HTTP API's routes (IAM-authorised on AWS; docs/finance-queries.md): each parses its path
 * and query with the schemas of requests.ts, calls one finance query and renders JSON, or CSV when the
 * caller's `Accept` names text/csv (finance teams open it in Excel). Personal data is masked unless the
 * answer is about one person and `unmasked=true` was asked. Errors are thrown as domain errors and
 * mapped to statuses in one place (shared/runtime/http-handler.ts).
 *   GET /pools/{pool}/allocations?month|nik|agency|run&limit&next&unmasked
 *   GET /pools/{pool}/reconciliation?month        GET /pools/{pool}/bill?month&limit&next&unmasked
 *   GET /pools/{pool}/balance?asOf                 GET /pools/{pool}/runs?month&limit&next
 *   GET /pools/{pool}/exports/{bill|allocations|shares}?month   (a presigned link, not the body)
 *   GET /donors/{nip}/statement?unmasked
 * and the pool and area routes of pool-routes.ts when their ports are given.
 */

export type FinanceApiDeps = {
  readonly queries: FinanceQueries;
  /** Who may call, and what each may see (callers.ts). */
  readonly callers: readonly FinanceCaller[];
  readonly trail: AuditTrail;
  /** Bill approval, payments and the three-way reconciliation (bpjs-routes.ts), when wired. */
  readonly bpjs?: BpjsRouteDeps;
} & Partial<PoolRouteDeps>;

/** Unmasked personal data only with the `unmasked` grant; each such read is recorded by the caller. */
const requireUnmasked = (c: CallerContext): void => {
  if (!hasGrant(c.caller, 'unmasked')) throw new AccessDeniedError('unmasked data needs the grant');
};

const json = (body: unknown): HttpAnswer => ({ kind: 'json', body });

const csvOf = (table: Table, filename: string, next?: string): HttpAnswer => ({
  kind: 'file',
  body: tableToCsv(table),
  filename,
  contentType: 'text/csv; charset=utf-8',
  ...(next === undefined ? {} : { headers: { 'x-next-token': next } }),
});

type RouteName = 'allocations' | 'reconciliation' | 'bill' | 'balance' | 'runs' | 'statement' | 'export';
const ROUTES: readonly { re: RegExp; name: RouteName }[] = [
  { re: /^\/pools\/([^/]+)\/exports\/([^/]+)\/?$/, name: 'export' },
  { re: /^\/pools\/([^/]+)\/allocations\/?$/, name: 'allocations' },
  { re: /^\/pools\/([^/]+)\/reconciliation\/?$/, name: 'reconciliation' },
  { re: /^\/pools\/([^/]+)\/bill\/?$/, name: 'bill' },
  { re: /^\/pools\/([^/]+)\/balance\/?$/, name: 'balance' },
  { re: /^\/pools\/([^/]+)\/runs\/?$/, name: 'runs' },
  { re: /^\/donors\/([^/]+)\/statement\/?$/, name: 'statement' },
];

/** One request of the finance API, answered (pool and area routes first, when wired). */
export async function serveFinance(deps: FinanceApiDeps, req: HttpRequest): Promise<HttpAnswer> {
  const caller = callerActor(deps.callers, req.callerArn);
  const c: CallerContext = {
    caller,
    record: (action) =>
      deps.trail.record({ ...action, actor: caller, via: 'finance-api', requestId: req.requestId }),
  };
  if (deps.pools !== undefined && deps.areas !== undefined) {
    const pooled = await routePoolRequest(
      {
        pools: deps.pools,
        areas: deps.areas,
        ...(deps.changes === undefined ? {} : { changes: deps.changes }),
      },
      req,
      c,
    );
    if (pooled !== undefined) return json(pooled);
  }
  if (deps.bpjs !== undefined) {
    const answer = await routeBpjsRequest(deps.bpjs, req, c);
    if (answer !== undefined) return json(answer);
  }
  return routeRequest(deps.queries, req, c);
}

/** Maps one request to one finance query and its JSON or CSV rendering. */
export async function routeRequest(
  queries: FinanceQueries,
  req: HttpRequest,
  c: CallerContext,
): Promise<HttpAnswer> {
  if (req.method !== 'GET') throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET is supported');
  const route = ROUTES.map((r) => ({ name: r.name, m: r.re.exec(req.path) })).find((r) => r.m !== null);
  if (route === undefined || route.m === null) {
    throw new NotFoundError('no such resource', { code: 'ROUTE_UNKNOWN' });
  }
  const csv = /\btext\/csv\b/i.test(req.headers.accept ?? '');
  const segment = decodePathSegment(route.m[1] ?? '');
  if (route.name === 'statement') {
    const nip = parseRequest(nipSchema, segment);
    const q = parseRequest(statementQuerySchema, req.query);
    const privacy = privacyOf(q.unmasked, true);
    if (privacy.unmasked) requireUnmasked(c);
    // A NIP never seen and one only outside the caller's pools get the same 403 (docs/access.md).
    const found = await queries.statement(nip).catch((err: unknown) => {
      throw err instanceof NotFoundError ? new AccessDeniedError('statement') : err;
    });
    const statement = statementInScope(c.caller, maskStatement(found, privacy));
    if (statement === undefined) throw new AccessDeniedError('statement');
    if (privacy.unmasked) await c.record({ kind: 'UNMASKED_READ', ref: 'statement' });
    return csv ? csvOf(statementTable(statement), 'statement.csv') : json(statement);
  }
  const pool = parseRequest(poolSchema, segment);
  requirePool(c, pool);
  switch (route.name) {
    case 'allocations': {
      const q = parseRequest(allocationsQuerySchema, req.query);
      const limit = pageLimit(q.limit, DEFAULT_PAGE_SIZE);
      const privacy = privacyOf(q.unmasked, q.nik !== undefined);
      if (privacy.unmasked) {
        requireUnmasked(c);
        await c.record({
          kind: 'UNMASKED_READ',
          pool,
          ...(q.month === undefined ? {} : { month: q.month }),
          ref: 'allocations-by-nik',
        });
      }
      const paging = { limit, ...(q.next === undefined ? {} : { next: q.next }) };
      if (q.agency !== undefined && q.month !== undefined) {
        const share = maskAgencyShare(
          await queries.allocationsByAgency({ pool, month: q.month, agency: q.agency }),
          privacy,
        );
        return csv ? csvOf(agencyShareTable(share), `agency-${q.agency}.csv`) : json(share);
      }
      const page =
        q.nik !== undefined
          ? await queries.allocationsByNik({
              pool,
              nik: q.nik,
              ...(q.month === undefined ? {} : { month: q.month }),
            })
          : q.run !== undefined
            ? await queries.allocationsByRun({ pool, runId: q.run, ...paging })
            : await queries.allocationsByMonth({ pool, month: q.month ?? '', ...paging });
      if (csv) return csvOf(allocationsTable(page.items, privacy), 'allocations.csv', page.next);
      return json({ items: page.items.map((e) => maskEntry(e, privacy)), next: page.next });
    }
    case 'reconciliation': {
      const q = parseRequest(monthQuerySchema.pick({ month: true }), req.query);
      const r = await queries.reconciliation({ pool, month: q.month });
      return csv ? csvOf(reconciliationTable(r), `reconciliation-${q.month}.csv`) : json(r);
    }
    case 'bill': {
      const q = parseRequest(monthQuerySchema, req.query);
      const privacy = privacyOf(q.unmasked, false);
      const b = await queries.bill({
        pool,
        month: q.month,
        limit: pageLimit(q.limit, DEFAULT_PAGE_SIZE),
        ...(q.next === undefined ? {} : { next: q.next }),
      });
      if (csv) {
        const rows = billRows(b.page.items, privacy);
        // The total line closes the last page only, so concatenated pages form one bill.
        if (b.page.next === undefined) rows.push(billTotalRow(b));
        return csvOf({ header: BILL_HEADER, rows }, `bill-${q.month}.csv`, b.page.next);
      }
      const { page, ...header } = b;
      return json({ ...header, items: page.items.map((e) => maskEntry(e, privacy)), next: page.next });
    }
    case 'balance': {
      const q = parseRequest(balanceQuerySchema, req.query);
      const b = await queries.balance({ pool, ...(q.asOf === undefined ? {} : { asOf: q.asOf }) });
      return csv ? csvOf(balanceTable(b), 'balance.csv') : json(b);
    }
    case 'export': {
      const kind = parseRequest(exportKindSchema, decodePathSegment(route.m[2] ?? ''));
      const q = parseRequest(monthQuerySchema.pick({ month: true }), req.query);
      // The month's files carry full NIK, NIP, names and KPJ (the BPJS bill must): only a caller with
      // the `unmasked` grant gets a link, and each link handed out is recorded. Masked, the same data
      // is the paged CSV of /bill and /allocations (docs/access.md).
      requireUnmasked(c);
      const link = await queries.exportLink({ pool, month: q.month, kind });
      await c.record({ kind: 'UNMASKED_EXPORT', pool, month: q.month, ref: kind });
      return json(link);
    }
    case 'runs': {
      const q = parseRequest(runsQuerySchema, req.query);
      const page = await queries.runsPage({
        pool,
        limit: pageLimit(q.limit, DEFAULT_PAGE_SIZE),
        ...(q.month === undefined ? {} : { month: q.month }),
        ...(q.next === undefined ? {} : { next: q.next }),
      });
      return csv
        ? csvOf(runStatusTable(page.items), 'runs.csv', page.next)
        : json({ items: page.items, next: page.next });
    }
  }
}
