import { z } from 'zod';
import {
  type HttpErrorLog,
  type HttpReply,
  errorReply as httpErrorReply,
  jsonReply,
} from '#shared/runtime/http-handler.ts';
import { FinanceRequestError } from '#shared/use-cases/finance/requests.ts';
import { agencyInScope, ClaimsError, type Principal, poolInScope, type Role } from './principal.ts';
import { UnauthenticatedError } from './tokens.ts';

/**
 * The console API's request, answer and error shapes, and the scope guards every route calls before it
 * reads anything. Error bodies are `{code, message}` with fixed messages: a 403 or 404 never echoes a
 * NIP, NIK, name, or which other agency or pool holds what (docs/console.md, "Scope").
 */

export type ConsoleRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Parsed JSON body (POST), else undefined. */
  readonly body: unknown;
  readonly principal: Principal;
  /** API Gateway's request id: where the audit trail says an action came from. */
  readonly requestId: string;
};

/** The role may not use the route, or the pool/agency is not in the caller's scope. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export const FORBIDDEN_BODY = {
  code: 'FORBIDDEN',
  message: 'Anda tidak berwenang membuka data ini. / You are not allowed to open this.',
} as const;

/** 401 bodies: the person is told why they must sign in again (nothing about the token's contents). */
export const UNAUTHENTICATED_BODIES = {
  MISSING: { code: 'UNAUTHENTICATED', message: 'Silakan masuk. / Please sign in.' },
  EXPIRED: {
    code: 'TOKEN_EXPIRED',
    message: 'Sesi Anda sudah berakhir; silakan masuk lagi. / Your session has ended; please sign in again.',
  },
  INVALID: {
    code: 'TOKEN_INVALID',
    message:
      'Tanda masuk Anda tidak sah (rusak atau dari sumber lain); silakan masuk lagi. / Your sign-in token is not valid; please sign in again.',
  },
} as const;

/**
 * 403 for a signed-in person whose account has no valid role or scope (no group, two groups, no pools,
 * a treasurer without exactly one pool and an agency): what is wrong and who can fix it.
 */
export const ACCOUNT_BODY = {
  code: 'ACCOUNT_NOT_SET_UP',
  message:
    'Akun Anda belum diberi peran dan wilayah yang sah; hubungi administrator SERTAKAN. / Your account has no valid role and scope yet; ask the SERTAKAN administrator.',
} as const;

/**
 * Maps an error to a reply: 401 and 403 with constant bodies here, everything else by the one mapping of
 * every HTTP function (shared/runtime/http-handler.ts), with a fixed 404 message (never which pool or
 * agency holds what).
 */
export function errorReply(err: unknown, log: HttpErrorLog): HttpReply {
  if (err instanceof UnauthenticatedError) return jsonReply(401, UNAUTHENTICATED_BODIES[err.reason]);
  if (err instanceof ClaimsError) return jsonReply(403, ACCOUNT_BODY);
  if (err instanceof ForbiddenError) return jsonReply(403, FORBIDDEN_BODY);
  return httpErrorReply(err, { log, notFoundMessage: 'Data tidak ditemukan. / Not found.' });
}

export function requireRole(p: Principal, roles: readonly Role[]): void {
  if (!roles.includes(p.role)) throw new ForbiddenError('role');
}

export function requirePoolScope(p: Principal, pool: string): void {
  if (!poolInScope(p, pool)) throw new ForbiddenError('pool');
}

export function requireAgencyScope(p: Principal, pool: string, agency: string | undefined): void {
  if (agency === undefined || !agencyInScope(p, pool, agency)) throw new ForbiddenError('agency');
}

/** Parses with zod or throws a 400 naming the fields, never their values. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new FinanceRequestError('BAD_REQUEST', `invalid request: ${where}`);
}

export const noteSchema = z.strictObject({
  ref: z.string().regex(/^[0-9a-f]{20}$/, 'an alert ref'),
  note: z.string().trim().min(3, 'at least 3 characters').max(500, 'at most 500 characters'),
});
