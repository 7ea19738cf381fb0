import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { Role } from '#shared/console/principal.ts';

/**
 * The development sign-in of the local console (never deployed): a key pair generated at start-up,
 * its public half served as a JWKS, and ID tokens shaped like Cognito's (`cognito:groups`,
 * `custom:pools`, `custom:agency`, `token_use: id`) signed with RS256 for the role and scope the
 * developer picks. The console API verifies them with the same code as Cognito's (tokens.ts).
 */

export type DevIssuer = {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { readonly keys: readonly JWK[] };
  /** An ID token for one hour (seconds since the epoch come from `now`). */
  sign(who: {
    role: Role;
    pools: readonly string[];
    agency?: string;
    name?: string;
    email?: string;
    /** The user's fixed subject id (a registered local user); a fresh one otherwise. */
    sub?: string;
  }): Promise<string>;
};

export const DEV_AUDIENCE = 'sertakan-console-local';

export async function makeDevIssuer(issuer: string, now: () => Date = () => new Date()): Promise<DevIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience: DEV_AUDIENCE,
    jwks: { keys: [publicJwk] },
    sign: async (who) => {
      const iat = Math.floor(now().getTime() / 1000);
      return new SignJWT({
        'cognito:groups': [who.role],
        'custom:pools': who.pools.join(','),
        ...(who.agency === undefined ? {} : { 'custom:agency': who.agency }),
        token_use: 'id',
        ...(who.name === undefined ? {} : { name: who.name }),
        ...(who.email === undefined ? {} : { email: who.email }),
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setAudience(DEV_AUDIENCE)
        .setSubject(who.sub ?? randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3600)
        .sign(privateKey);
    },
  };
}
