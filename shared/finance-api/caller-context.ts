import { type Actor, poolInScope } from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';
import type { AuditAction } from '#domain/ports/audit-trail.ts';

/**
 * The caller of one finance API request, and how to record what they did (docs/access.md). Every
 * route family (queries, pools and areas, the BPJS loop) takes this one context.
 */
export type CallerContext = {
  readonly caller: Actor;
  readonly record: (action: Omit<AuditAction, 'actor' | 'via' | 'requestId'>) => Promise<unknown>;
};

/** The pool is in the caller's scope, or AccessDeniedError (the constant 403: it says nothing more). */
export const requirePool = (c: CallerContext, pool: string): void => {
  if (!poolInScope(c.caller, pool)) throw new AccessDeniedError('pool out of scope');
};
