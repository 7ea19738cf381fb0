import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { isDomainError } from '#domain/errors.ts';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { dynamoDbFinanceDeps } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { poolAndAreaAccess } from '#shared/adapters/dynamodb-pool-and-area.ts';
import { S3ExportLinks } from '#shared/adapters/s3-export-links.ts';
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
import { type AwsClients, makeAwsClientsFromEnv } from '#shared/runtime/aws-clients.ts';
import { buildOnFirstCall } from '#shared/runtime/cold-start.ts';
import { readEnv } from '#shared/runtime/env.ts';
import { logger } from '#shared/runtime/powertools.ts';
import { type FinanceQueries, makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { DEFAULT_PAGE_SIZE } from '#shared/use-cases/finance/paging.ts';
import {
  allocationsQuerySchema,
  balanceQuerySchema,
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
import { type PoolRouteDeps, routePoolRequest } from './pool-routes.ts';

/**
 * Finance HTTP API (API Gateway HTTP API v2, IAM-authorised): parse, call one finance query, render
 * JSON or CSV. Errors are JSON {code, message}: 4xx for the caller's mistakes, 500 with a generic
 * message for ours (the details go to the log once, without personal data, never to the caller).
 */

export type FinanceApiDeps = { readonly queries: FinanceQueries } & Partial<PoolRouteDeps>;

type Result = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): Result => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  MONTH_IN_FUTURE: 422,
  DATE_IN_FUTURE: 422,
  TOKEN_INVALID: 400,
};

export function errorResponse(err: unknown): Result {
  if (err instanceof FinanceRequestError) return json(err.status, { code: err.code, message: err.message });
  if (isDomainError(err)) {
    if (err.name === 'NotFoundError') return json(404, { code: err.code, message: err.message });
    if (err.name === 'ConflictError') return json(409, { code: err.code, message: err.message });
    if (err.name === 'ValidationError') {
      return json(STATUS_BY_CODE[err.code] ?? 400, { code: err.code, message: err.message });
    }
  }
  logger.error('finance query failed', {
    error: err instanceof Error ? err.name : typeof err,
    code: isDomainError(err) ? err.code : undefined,
  });
  if (isDomainError(err) && err.name === 'TransientError') {
    return json(503, { code: 'UNAVAILABLE', message: 'The service is busy; please retry shortly.' });
  }
  return json(500, { code: 'INTERNAL', message: 'Internal error; the request was logged.' });
}

export const makeHandler =
  (deps: FinanceApiDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<Result> => {
    try {
      const resolved = deps;
      const accept = event.headers?.accept ?? event.headers?.Accept ?? '';
      const wantsCsv = /\btext\/csv\b/i.test(accept);
      // Pools and areas (docs/pools-and-areas.md): JSON only, their own module.
      if (deps.pools !== undefined && deps.areas !== undefined) {
        const pooled = await routePoolRequest(
          { pools: deps.pools, areas: deps.areas },
          {
            method: event.requestContext?.http?.method ?? 'GET',
            path: event.rawPath ?? '/',
            query: event.queryStringParameters ?? {},
            body:
              event.isBase64Encoded && event.body
                ? Buffer.from(event.body, 'base64').toString('utf8')
                : event.body,
          },
        );
        if (pooled !== undefined) return json(200, pooled);
      }
      const answer = await routeRequest(resolved.queries, {
        method: event.requestContext?.http?.method ?? 'GET',
        path: event.rawPath ?? '/',
        query: event.queryStringParameters ?? {},
        csv: wantsCsv,
      });
      if (answer.kind === 'csv') {
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${answer.filename}"`,
            ...(answer.next === undefined ? {} : { 'x-next-token': answer.next }),
          },
          body: answer.body,
        };
      }
      return json(200, answer.body);
    } catch (err) {
      return errorResponse(err);
    }
  };

type Request = { method: string; path: string; query: Record<string, string | undefined>; csv: boolean };
type Answer =
  | { kind: 'json'; body: unknown }
  | { kind: 'csv'; body: string; filename: string; next?: string | undefined };

const csvOf = (table: Table, filename: string, next?: string): Answer => ({
  kind: 'csv',
  body: tableToCsv(table),
  filename,
  ...(next === undefined ? {} : { next }),
});

const ROUTES: readonly {
  re: RegExp;
  name: 'allocations' | 'reconciliation' | 'bill' | 'balance' | 'runs' | 'statement' | 'export';
}[] = [
  { re: /^\/pools\/([^/]+)\/exports\/([^/]+)\/?$/, name: 'export' },
  { re: /^\/pools\/([^/]+)\/allocations\/?$/, name: 'allocations' },
  { re: /^\/pools\/([^/]+)\/reconciliation\/?$/, name: 'reconciliation' },
  { re: /^\/pools\/([^/]+)\/bill\/?$/, name: 'bill' },
  { re: /^\/pools\/([^/]+)\/balance\/?$/, name: 'balance' },
  { re: /^\/pools\/([^/]+)\/runs\/?$/, name: 'runs' },
  { re: /^\/donors\/([^/]+)\/statement\/?$/, name: 'statement' },
];

const decodeSegment = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new FinanceRequestError(400, 'BAD_REQUEST', 'the path is not valid URL encoding');
  }
};

/** Maps one request to one finance query and its JSON or CSV rendering. */
export async function routeRequest(queries: FinanceQueries, req: Request): Promise<Answer> {
  if (req.method !== 'GET') throw new FinanceRequestError(400, 'METHOD_NOT_ALLOWED', 'only GET is supported');
  const route = ROUTES.map((r) => ({ name: r.name, m: r.re.exec(req.path) })).find((r) => r.m !== null);
  if (route === undefined || route.m === null)
    throw new FinanceRequestError(404, 'ROUTE_UNKNOWN', 'no such resource');
  const segment = decodeSegment(route.m[1] ?? '');
  if (route.name === 'statement') {
    const nip = parseRequest(nipSchema, segment);
    const q = parseRequest(statementQuerySchema, req.query);
    const statement = maskStatement(await queries.statement(nip), privacyOf(q.unmasked, true));
    return req.csv ? csvOf(statementTable(statement), 'statement.csv') : { kind: 'json', body: statement };
  }
  const pool = parseRequest(poolSchema, segment);
  switch (route.name) {
    case 'allocations': {
      const q = parseRequest(allocationsQuerySchema, req.query);
      const limit = pageLimit(q.limit, DEFAULT_PAGE_SIZE);
      const privacy = privacyOf(q.unmasked, q.nik !== undefined);
      const paging = { limit, ...(q.next === undefined ? {} : { next: q.next }) };
      if (q.agency !== undefined && q.month !== undefined) {
        const share = maskAgencyShare(
          await queries.allocationsByAgency({ pool, month: q.month, agency: q.agency }),
          privacy,
        );
        return req.csv
          ? csvOf(agencyShareTable(share), `agency-${q.agency}.csv`)
          : { kind: 'json', body: share };
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
      if (req.csv) return csvOf(allocationsTable(page.items, privacy), 'allocations.csv', page.next);
      return { kind: 'json', body: { items: page.items.map((e) => maskEntry(e, privacy)), next: page.next } };
    }
    case 'reconciliation': {
      const q = parseRequest(monthQuerySchema.pick({ month: true }), req.query);
      const r = await queries.reconciliation({ pool, month: q.month });
      return req.csv
        ? csvOf(reconciliationTable(r), `reconciliation-${q.month}.csv`)
        : { kind: 'json', body: r };
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
      if (req.csv) {
        const rows = billRows(b.page.items, privacy);
        // The total line closes the last page only, so concatenated pages form one bill.
        if (b.page.next === undefined) rows.push(billTotalRow(b));
        return csvOf({ header: BILL_HEADER, rows }, `bill-${q.month}.csv`, b.page.next);
      }
      const { page, ...header } = b;
      return {
        kind: 'json',
        body: { ...header, items: page.items.map((e) => maskEntry(e, privacy)), next: page.next },
      };
    }
    case 'balance': {
      const q = parseRequest(balanceQuerySchema, req.query);
      const b = await queries.balance({ pool, ...(q.asOf === undefined ? {} : { asOf: q.asOf }) });
      return req.csv ? csvOf(balanceTable(b), 'balance.csv') : { kind: 'json', body: b };
    }
    case 'export': {
      const kind = parseRequest(exportKindSchema, decodeSegment(route.m[2] ?? ''));
      const q = parseRequest(monthQuerySchema.pick({ month: true }), req.query);
      return { kind: 'json', body: await queries.exportLink({ pool, month: q.month, kind }) };
    }
    case 'runs': {
      const q = parseRequest(runsQuerySchema, req.query);
      const page = await queries.runsPage({
        pool,
        limit: pageLimit(q.limit, DEFAULT_PAGE_SIZE),
        ...(q.month === undefined ? {} : { month: q.month }),
        ...(q.next === undefined ? {} : { next: q.next }),
      });
      return req.csv
        ? csvOf(runStatusTable(page.items), 'runs.csv', page.next)
        : { kind: 'json', body: { items: page.items, next: page.next } };
    }
  }
}

const envSchema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1),
  REGISTRY_TABLE_NAME: z.string().min(1),
  REPORTS_BUCKET_NAME: z.string().min(1),
});

/** Adapters on the tables the env names; the local cloud passes its own env, clients and clock. */
export const buildDeps = (
  env: NodeJS.ProcessEnv = process.env,
  clients: Pick<AwsClients, 'ddb' | 's3'> = makeAwsClientsFromEnv(env),
  clock: Clock = systemClock,
): FinanceApiDeps => {
  const cfg = readEnv(envSchema, env);
  return {
    queries: makeFinanceQueries({
      ...dynamoDbFinanceDeps({
        ddb: clients.ddb,
        ledgerTable: cfg.LEDGER_TABLE_NAME,
        registryTable: cfg.REGISTRY_TABLE_NAME,
        clock,
      }),
      exports: new S3ExportLinks({ s3: clients.s3, bucket: cfg.REPORTS_BUCKET_NAME, clock }),
    }),
    ...poolAndAreaAccess({
      ddb: clients.ddb,
      ledgerTable: cfg.LEDGER_TABLE_NAME,
      registryTable: cfg.REGISTRY_TABLE_NAME,
      clock,
    }),
  };
};

/** What Lambda calls: the real handler, built on the first invocation. */
export const handler = buildOnFirstCall(() => makeHandler(buildDeps()));
