import { z } from 'zod';
import { poolInScope } from '#domain/access.ts';
import { jakartaDateOf } from '#domain/period.ts';
import { AUDIT_KINDS } from '#domain/ports/audit-trail.ts';
import { poolSchema } from '#shared/use-cases/finance/requests.ts';
import { parseInput, requirePoolScope } from './api.ts';
import { json, type Route } from './route-kit.ts';

/**
 * Pending four-eyes requests, and "Jejak audit" (docs/access.md): finance, as auditor, reads the audit trail of their pools, filtered by
 * person, pool, kind and dates. Records of pools outside the caller's scope are never shown; records
 * with no pool (a refused sign-in, a user added) are shown to every finance user.
 */

/** At most this many records per answer, newest last; narrow the dates or filters for more. */
export const AUDIT_ROWS_SHOWN = 1000;

const auditQuerySchema = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  person: z.string().min(1).max(254).optional(),
  pool: poolSchema.optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
});

export const AUDIT_ROUTES: readonly Route[] = [
  {
    // Four-eyes requests waiting for a second person, in the caller's pools: the requester sees their
    // own waiting, an approver sees what to approve (with `sertakan change approve <id>`).
    name: 'changes',
    method: 'GET',
    path: /^\/api\/changes$/,
    roles: ['ops', 'finance'],
    run: async (ctx) => json({ items: await ctx.deps.changes.pending(ctx.req.principal) }),
  },
  {
    name: 'audit',
    method: 'GET',
    path: /^\/api\/audit$/,
    roles: ['finance'],
    run: async (ctx) => {
      const q = parseInput(auditQuerySchema, ctx.req.query);
      if (q.pool !== undefined) requirePoolScope(ctx.req.principal, q.pool);
      const today = jakartaDateOf(ctx.deps.clock.now());
      const to = q.to ?? today;
      const from = q.from ?? `${to.slice(0, 7)}-01`;
      const records = (
        await ctx.deps.trail.list({
          from,
          to,
          ...(q.person === undefined ? {} : { actor: q.person }),
          ...(q.pool === undefined ? {} : { pool: q.pool }),
          ...(q.kind === undefined ? {} : { kind: q.kind }),
        })
      ).filter((r) => r.pool === undefined || poolInScope(ctx.req.principal, r.pool));
      return json({
        from,
        to,
        total: records.length,
        items: records.slice(-AUDIT_ROWS_SHOWN),
      });
    },
  },
];
