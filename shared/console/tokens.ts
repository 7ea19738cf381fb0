import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { type Principal, principalOf } from './principal.ts';

/**
 * The one token path of the console (docs/console.md): every request's `Authorization: Bearer <ID
 * token>` is verified with `jose` against a JWKS (Cognito's user pool keys on AWS, the development
 * issuer's keys locally), then its claims become a Principal. On AWS the HTTP API's JWT authorizer
 * checks the same token first; the function checks again, so a route wired without the authorizer is
 * still closed.
 */

export type TokenConfig = {
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json` on AWS. */
  readonly jwksUrl: string;
  /** Expected `iss`: the user pool URL on AWS, the dev issuer URL locally. */
  readonly issuer: string;
  /** Expected `aud`: the Cognito app client id (ID tokens carry it as `aud`). */
  readonly audience: string;
};

/** Why a token was refused: told to the person (sign in again), never which check failed beyond that. */
export type UnauthenticatedReason = 'MISSING' | 'EXPIRED' | 'INVALID';

/** No token, or one that fails verification: 401, saying whether it was missing, expired or invalid. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor(
    message: string,
    readonly reason: UnauthenticatedReason = 'INVALID',
  ) {
    super(message);
  }
}

export type VerifyToken = (authorization: string | undefined) => Promise<Principal>;

/** Builds the verifier; the JWKS is fetched on first use and cached by `jose` (refetched on an unknown kid). */
export function makeTokenVerifier(
  cfg: TokenConfig,
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(cfg.jwksUrl)),
): VerifyToken {
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (authorization === undefined || authorization === '')
      throw new UnauthenticatedError('missing bearer token', 'MISSING');
    if (match?.[1] === undefined) throw new UnauthenticatedError('malformed bearer token');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms: ['RS256'],
        clockTolerance: 5,
      }));
    } catch (err) {
      const name = err instanceof Error ? err.name : 'unknown';
      // jose names an expired token JWTExpired; only then is "your session ended" the truth.
      throw new UnauthenticatedError(
        `token rejected: ${name}`,
        name === 'JWTExpired' ? 'EXPIRED' : 'INVALID',
      );
    }
    return principalOf(payload);
  };
}
