import { columnMappingInputSchema } from '#domain/column-mapping.ts';
import { NotFoundError } from '#domain/errors.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import { templateCsv } from '#shared/intake/templates.ts';
import type { HttpAnswer } from '#shared/runtime/http-handler.ts';
import { agencySchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import type { PendingAction } from '#shared/use-cases/intake/decide-pending.ts';
import { payrollKey } from '#shared/use-cases/intake/intake-key.ts';
import { ForbiddenError, parseInput, requireAgencyScope, requirePoolScope } from './api.ts';
import {
  CONTENT_TYPES,
  decisionSchema,
  fileSummary,
  rejectionRows,
  rejectionXlsx,
  uploadSchema,
} from './intake-files.ts';
import { actorOf } from './principal.ts';
import {
  decisionAnswerSchema,
  fileDetailSchema,
  fileListSchema,
  uploadSchema as uploadAnswerSchema,
} from './responses.ts';
import { audit, type Ctx, csvFile, json, month, type Route, reply, xlsxFile } from './route-kit.ts';

/**
 * The treasurer's routes (docs/console.md): the template, presigned uploads, saved column mappings,
 * an agency's files and one file's outcome, and the decisions on a payroll version that takes money away.
 */

/** The pool, agency and store of a column-mapping route, the caller's scope checked first. */
function columnsRoute(ctx: Ctx): { p: string; agency: string; store: ColumnMappings } {
  const p = parseInput(poolSchema, ctx.params[0]);
  const agency = parseInput(agencySchema, ctx.params[1]);
  if (ctx.req.principal.role === 'treasurer') requireAgencyScope(ctx.req.principal, p, agency);
  else requirePoolScope(ctx.req.principal, p);
  const store = ctx.deps.columnMappings;
  if (store === undefined) throw new NotFoundError('column mappings are not configured');
  return { p, agency, store };
}

/** A decision on a payroll file, by a caller whose scope holds the file's agency. */
async function decideOnFile(ctx: Ctx, action: PendingAction): Promise<HttpAnswer> {
  const file = await ctx.deps.files.getFile(ctx.params[0] ?? '');
  // Unknown and someone else's look the same to the caller: nothing says the id exists.
  if (file === undefined || file.kind !== 'PAYROLL') throw new ForbiddenError('file');
  requireAgencyScope(ctx.req.principal, file.pool, file.agency);
  const decide = ctx.deps.decide;
  if (decide === undefined)
    throw new NotFoundError('decisions are not available here', { code: 'NOT_WIRED' });
  const body = parseInput(decisionSchema, ctx.req.body ?? {});
  const result = await decide({
    fileId: file.fileId,
    action,
    by: actorOf(ctx.req.principal),
    ...(body.reason === undefined ? {} : { reason: body.reason }),
  });
  // The person is named in the audit trail too, not only on the file's record (docs/access.md).
  await audit(ctx, {
    kind: action === 'CONFIRM' ? 'REPLACEMENT_CONFIRMED' : 'REPLACEMENT_WITHDRAWN',
    pool: file.pool,
    agency: file.agency,
    month: file.period,
    ref: file.fileId,
    detail: { outcome: result.kind, ...(body.reason === undefined ? {} : { reason: body.reason }) },
  });
  return reply(
    decisionAnswerSchema,
    result.kind === 'DECIDED'
      ? { kind: result.kind, decision: result.decision, file: fileSummary(result.file) }
      : { kind: result.kind, requestFileId: result.requestFileId },
    202,
  );
}

export const INTAKE_ROUTES: readonly Route[] = [
  {
    name: 'template',
    method: 'GET',
    path: /^\/api\/template$/,
    roles: ['treasurer'],
    run: async () => csvFile(templateCsv('payroll'), 'template-potongan.csv'),
  },
  {
    name: 'upload',
    method: 'POST',
    path: /^\/api\/pools\/([^/]+)\/agencies\/([^/]+)\/uploads$/,
    roles: ['treasurer'],
    run: async (ctx) => {
      const p = parseInput(poolSchema, ctx.params[0]);
      const agency = parseInput(agencySchema, ctx.params[1]);
      requireAgencyScope(ctx.req.principal, p, agency);
      const body = parseInput(uploadSchema, ctx.req.body);
      // The intake key says pool, period, agency and how the file is meant: the pipeline takes it
      // from there (docs/intake.md#payroll-key-folders).
      const key = payrollKey(p, body.period, agency, body.format, {
        mode: body.mode === 'koreksi' ? 'CORRECTION' : 'REPLACE',
        late: body.late ?? false,
      });
      const contentType = CONTENT_TYPES[body.format];
      await audit(ctx, { kind: 'UPLOAD_PRESIGNED', pool: p, agency, month: body.period, ref: key });
      return reply(
        uploadAnswerSchema,
        {
          key,
          url: await ctx.deps.presignPut(key, contentType, body.size),
          headers: { 'content-type': contentType },
        },
        201,
      );
    },
  },
  {
    // How the agency's payroll system names the payroll columns (docs/intake.md): the treasurer of
    // that agency, or ops for a pool in scope, reads and saves it; later files of the agency use it.
    name: 'agency-columns',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/agencies\/([^/]+)\/columns$/,
    roles: ['treasurer', 'ops'],
    run: async (ctx) => {
      const { p, agency, store } = columnsRoute(ctx);
      return json((await store.get(p, agency)) ?? null);
    },
  },
  {
    name: 'agency-columns-save',
    method: 'POST',
    path: /^\/api\/pools\/([^/]+)\/agencies\/([^/]+)\/columns$/,
    roles: ['treasurer', 'ops'],
    run: async (ctx) => {
      const { p, agency, store } = columnsRoute(ctx);
      const body = parseInput(columnMappingInputSchema, ctx.req.body);
      const mapping = {
        pool: p,
        agency,
        ...body,
        // The console's principal carries role and scope (no personal identity): recorded as such.
        updatedBy: `console:${ctx.req.principal.role}:${ctx.req.principal.agency ?? ctx.req.principal.pools.join('+')}`,
        updatedAt: ctx.deps.clock.now().toISOString(),
      };
      await store.put(mapping);
      return json(mapping);
    },
  },
  {
    name: 'files',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/agencies\/([^/]+)\/files$/,
    roles: ['treasurer'],
    run: async (ctx) => {
      const p = parseInput(poolSchema, ctx.params[0]);
      const agency = parseInput(agencySchema, ctx.params[1]);
      requireAgencyScope(ctx.req.principal, p, agency);
      const files = await ctx.deps.files.listFiles(p, month(ctx));
      return reply(fileListSchema, {
        items: files
          .filter((f) => f.agency === agency)
          .reverse()
          .map(fileSummary),
      });
    },
  },
  {
    name: 'file',
    method: 'GET',
    path: /^\/api\/files\/([0-9a-f]{24})$/,
    roles: ['treasurer'],
    run: async (ctx) => {
      const file = await ctx.deps.files.getFile(ctx.params[0] ?? '');
      // Unknown and someone else's look the same to the caller: nothing says the id exists.
      if (file === undefined) throw new ForbiddenError('file');
      requireAgencyScope(ctx.req.principal, file.pool, file.agency);
      const name = `penolakan-${file.agency}-${file.period}`;
      if (ctx.req.query.format === 'csv')
        return csvFile(await ctx.deps.reportText(file.reportKey), `${name}.csv`);
      if (ctx.req.query.format === 'xlsx')
        return xlsxFile(await rejectionXlsx(await ctx.deps.reportText(file.reportKey)), `${name}.xlsx`);
      return reply(fileDetailSchema, {
        ...fileSummary(file),
        rejections: await rejectionRows(ctx.deps.reportText, file),
      });
    },
  },
  {
    // Confirm a payroll version that takes money away: the treasurer of the agency (docs/intake.md).
    name: 'confirmFile',
    method: 'POST',
    path: /^\/api\/files\/([0-9a-f]{24})\/confirm$/,
    roles: ['treasurer'],
    run: (ctx) => decideOnFile(ctx, 'CONFIRM'),
  },
  {
    // Withdraw a pending version, or a file sent by mistake (treasurer of the agency, or finance).
    name: 'withdrawFile',
    method: 'POST',
    path: /^\/api\/files\/([0-9a-f]{24})\/withdraw$/,
    roles: ['treasurer', 'finance'],
    run: (ctx) => decideOnFile(ctx, 'WITHDRAW'),
  },
];
