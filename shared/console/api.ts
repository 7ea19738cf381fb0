import { z } from 'zod';
import { isDomainError } from '#domain/errors.ts';
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
};

export type Answer =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  | {
      readonly kind: 'file';
      /** Text (CSV) as is; bytes (XLSX) go base64-encoded, as API Gateway expects binary bodies. */
      readonly body: string | Uint8Array;
      readonly filename: string;
      readonly contentType: string;
    };

export type Reply = {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
};

/** The role may not use the route, or the pool/agency is not in the caller's scope. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export const FORBIDDEN_BODY = {
  code: 'FORBIDDEN',
  message: 'Anda tidak berwenang membuka data ini. / You are not allowed to open this.',
} as const;

const jsonReply = (statusCode: number, body: unknown): Reply => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

export function replyOf(answer: Answer): Reply {
  if (answer.kind === 'json') return jsonReply(answer.status ?? 200, answer.body);
  return {
    statusCode: 200,
    headers: {
      'content-type': answer.contentType,
      'content-disposition': `attachment; filename="${answer.filename}"`,
      'cache-control': 'no-store',
    },
    ...(typeof answer.body === 'string'
      ? { body: answer.body }
      : { body: Buffer.from(answer.body).toString('base64'), isBase64Encoded: true }),
  };
}

/**
 * Maps an error to a reply. 401/403 bodies are constants; 4xx from the finance queries keep their
 * message (they name fields and pool codes, never personal data); anything else is a generic 500.
 */
export function errorReply(err: unknown, log: (fields: Record<string, unknown>) => void): Reply {
  if (err instanceof UnauthenticatedError) {
    return jsonReply(401, {
      code: 'UNAUTHENTICATED',
      message: 'Silakan masuk lagi. / Please sign in again.',
    });
  }
  if (err instanceof ForbiddenError || err instanceof ClaimsError) return jsonReply(403, FORBIDDEN_BODY);
  if (err instanceof FinanceRequestError)
    return jsonReply(err.status, { code: err.code, message: err.message });
  if (isDomainError(err) && err.name === 'NotFoundError') {
    return jsonReply(404, { code: err.code, message: 'Data tidak ditemukan. / Not found.' });
  }
  if (isDomainError(err) && err.name === 'ValidationError') {
    return jsonReply(422, { code: err.code, message: err.message });
  }
  log({
    error: err instanceof Error ? err.name : typeof err,
    code: isDomainError(err) ? err.code : undefined,
  });
  return jsonReply(500, {
    code: 'INTERNAL',
    message: 'Kesalahan internal. / Internal error; it was logged.',
  });
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
  throw new FinanceRequestError(400, 'BAD_REQUEST', `invalid request: ${where}`);
}

export const noteSchema = z.strictObject({
  ref: z.string().regex(/^[0-9a-f]{20}$/, 'an alert ref'),
  note: z.string().trim().min(3, 'at least 3 characters').max(500, 'at most 500 characters'),
});
