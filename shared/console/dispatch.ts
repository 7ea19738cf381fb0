import { type HttpErrorLog, type HttpReply, replyOf } from '#shared/runtime/http-handler.ts';
import { type ConsoleRequest, errorReply, requireRole } from './api.ts';
import { ClaimsError, type Principal } from './principal.ts';
import { type ConsoleDeps, ROUTES } from './routes.ts';
import type { VerifyToken } from './tokens.ts';

/**
 * One console request, start to end: verify the bearer token (tokens.ts), find the route, check the
 * role, run it (the route checks the scope), render. Used by the Lambda handler and, locally, by the
 * console server: the same code on both.
 */

export type RawRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly authorization: string | undefined;
  readonly body: string | undefined;
  readonly requestId: string;
};

const notFound = (): HttpReply => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ code: 'ROUTE_UNKNOWN', message: 'Tidak ada halaman ini. / No such resource.' }),
});

/** A segment that is not valid URL encoding stays as is: the route's schema then refuses it (400). */
const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const parseBody = (body: string | undefined): unknown => {
  if (body === undefined || body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return Symbol('invalid JSON'); // fails every body schema with a 400
  }
};

export async function dispatch(
  deps: ConsoleDeps,
  verify: VerifyToken,
  raw: RawRequest,
  log: HttpErrorLog,
): Promise<HttpReply> {
  try {
    const principal: Principal = await verify(raw.authorization);
    const found = ROUTES.map((r) => ({ r, m: r.method === raw.method ? r.path.exec(raw.path) : null })).find(
      (x) => x.m !== null,
    );
    if (found === undefined || found.m === null) return notFound();
    requireRole(principal, found.r.roles);
    const params = found.m.slice(1).map(decodeSegment);
    const req: ConsoleRequest = {
      method: raw.method,
      path: raw.path,
      query: raw.query,
      body: parseBody(raw.body),
      principal,
      requestId: raw.requestId,
    };
    return replyOf(await found.r.run({ req, params, deps }));
  } catch (err) {
    // A verified token whose account has no valid role or scope: refused, and the refusal recorded.
    if (err instanceof ClaimsError && err.who !== undefined) {
      await deps.trail.record({
        kind: 'SIGN_IN_REFUSED',
        actor: { ...err.who, role: 'none', pools: [] },
        via: 'console',
        requestId: raw.requestId,
        detail: { why: err.message },
      });
    }
    return errorReply(err, log);
  }
}
