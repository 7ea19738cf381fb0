import type * as z from 'zod/mini';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { AlertDesk } from '#domain/ports/alert-desk.ts';
import type { AreaSummaries } from '#domain/ports/area-summaries.ts';
import type { AuditAction, AuditTrail } from '#domain/ports/audit-trail.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { LedgerReader } from '#domain/ports/finance.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';
import type { WorkerRegistry } from '#domain/ports/worker-registry.ts';
import type { HttpAnswer } from '#shared/runtime/http-handler.ts';
import type { FinanceQueries } from '#shared/use-cases/finance/index.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import type { PoolForecast } from '#shared/use-cases/forecast-pool.ts';
import type { FourEyes } from '#shared/use-cases/four-eyes.ts';
import type { DecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { type ConsoleRequest, parseInput, requirePoolScope } from './api.ts';
import type { Role } from './principal.ts';
import type { Answer } from './responses.ts';

/**
 * What every console route is made of (docs/console.md): the ports it reads, its context, and the
 * small helpers that parse and scope-check a pool or month before anything is read.
 */

/** What the pool picker and the area page read (docs/console.md#areas). */
export type AreaDeps = {
  readonly pools: Pick<PoolRegistry, 'page'>;
  readonly summaries: Pick<AreaSummaries, 'months'>;
};

export type ConsoleDeps = {
  readonly finance: FinanceQueries;
  readonly alerts: AlertDesk;
  readonly files: Pick<FileRegistry, 'getFile' | 'listFiles'>;
  /** The ledger's committed summaries and deduction rows (a treasurer's donors, a month's agencies). */
  readonly ledger: Pick<LedgerReader, 'creditSummaries' | 'deductionRows'>;
  /** The 12-month projection of a pool from a Jakarta date (shared/use-cases/forecast-pool.ts). */
  readonly forecast: (q: { pool: PoolCode; date: IsoDate }) => Promise<PoolForecast>;
  /** Text of a report in the reports bucket (rejection reports). */
  readonly reportText: (key: string) => Promise<string>;
  /**
   * A presigned S3 PUT URL for the intake bucket key, valid for minutes, that signs the content type
   * and the exact content length (bytes): S3 refuses any other body size or type.
   */
  readonly presignPut: (key: string, contentType: string, contentLength: number) => Promise<string>;
  /** The audit trail: every action through the console is recorded here (docs/access.md). */
  readonly trail: AuditTrail;
  /** Four-eyes requests: the console lists them (pending for ops and finance in scope). */
  readonly changes: Pick<FourEyes, 'pending'>;
  /** Agencies' saved payroll column mappings (docs/intake.md); absent: the routes answer 404. */
  readonly columnMappings?: ColumnMappings;
  /** Confirm or withdraw a pending payroll version, or ask to withdraw an applied one (decide-pending.ts). */
  readonly decide?: DecidePending;
  /** Workers enrolled in a pool: ops' search by NIK or KPJ (absent: the search answers 404). */
  readonly workers?: Pick<WorkerRegistry, 'getEnrollment' | 'listEnrollments'>;
  /** The pool directory and the area summaries: the pool picker and the area page (absent: 404). */
  readonly areas?: AreaDeps;
  readonly clock: Clock;
};

export type Ctx = {
  readonly req: ConsoleRequest;
  readonly params: readonly string[];
  readonly deps: ConsoleDeps;
};
export type Route = {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly roles: readonly Role[];
  readonly run: (ctx: Ctx) => Promise<HttpAnswer>;
};

export const json = (body: unknown, status?: number): HttpAnswer => ({
  kind: 'json',
  body,
  ...(status === undefined ? {} : { status }),
});

/** A JSON answer typed by its shared schema (responses.ts), the one the browser parses it with. */
export const reply = <S extends z.ZodMiniType>(_schema: S, body: Answer<S>, status?: number): HttpAnswer =>
  json(body, status);

export const csvFile = (body: string, filename: string): HttpAnswer => ({
  kind: 'file',
  body,
  filename,
  contentType: 'text/csv; charset=utf-8',
});

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const xlsxFile = (body: Uint8Array, filename: string): HttpAnswer => ({
  kind: 'file',
  body,
  filename,
  contentType: XLSX_TYPE,
});

/** The route's first path parameter as a pool code, refused (403) unless in the caller's scope. */
export const pool = (ctx: Ctx): string => {
  const p = parseInput(poolSchema, ctx.params[0]);
  requirePoolScope(ctx.req.principal, p);
  return p;
};

/** Records an action of the caller of this request (who, from where) in the audit trail. */
export const audit = (ctx: Ctx, action: Omit<AuditAction, 'actor' | 'via' | 'requestId'>) =>
  ctx.deps.trail.record({
    ...action,
    actor: ctx.req.principal,
    via: 'console',
    requestId: ctx.req.requestId,
  });

/** `?month=YYYY-MM`, default the current Jakarta month. */
export const month = (ctx: Ctx): string =>
  parseInput(monthSchema, ctx.req.query.month ?? periodOf(ctx.deps.clock.now()));
