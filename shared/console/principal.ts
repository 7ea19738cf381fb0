import { z } from 'zod';

/**
 * Who is calling the console, read from the claims of a verified ID token (Cognito's on AWS, the
 * development issuer's locally; docs/console.md). Three roles, each with a scope:
 * - `treasurer`: one pool code and one agency (OPD) code: uploads and files of that agency only;
 * - `ops` and `finance`: a set of pool code prefixes, `15.04` (one regency) or `15` (the province).
 *
 * Claims (Cognito: the user's group and two custom attributes):
 * - `cognito:groups`: exactly one of `treasurer`, `ops`, `finance` (other groups are ignored);
 * - `custom:pools`: comma-separated Kemendagri code prefixes (`15.04,15.05`);
 * - `custom:agency`: the treasurer's agency code (required for treasurers, refused for the others).
 */

export const ROLES = ['treasurer', 'ops', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export type Principal = {
  readonly role: Role;
  /** Pool code prefixes: a pool is in scope when it equals one or starts with `<prefix>.`. */
  readonly pools: readonly string[];
  /** Treasurers only. */
  readonly agency?: string;
  /** Who signed in (`cognito:username`, else `sub`), recorded with a decision they make. */
  readonly user?: string;
};

/** A token that verified but does not say who may do what (no role, no scope): 403, never a guess. */
export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
}

const prefixSchema = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/);
const agencySchema = z.string().regex(/^[A-Za-z0-9.-]{1,40}$/);
const claimsSchema = z.object({
  'cognito:groups': z.array(z.string()).optional(),
  'custom:pools': z.string().optional(),
  'custom:agency': z.string().optional(),
  token_use: z.string().optional(),
  'cognito:username': z.string().max(128).optional(),
  sub: z.string().max(128).optional(),
});

/** Maps verified claims to a principal; throws ClaimsError (without echoing claim values) if they do not fit. */
export function principalOf(claims: unknown): Principal {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new ClaimsError('token claims are malformed');
  const c = parsed.data;
  if (c.token_use !== undefined && c.token_use !== 'id') throw new ClaimsError('an ID token is required');
  const roles = (c['cognito:groups'] ?? []).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const role = roles[0];
  if (role === undefined || roles.length !== 1)
    throw new ClaimsError('the user must be in exactly one role group');
  const pools = (c['custom:pools'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (pools.length === 0 || !pools.every((p) => prefixSchema.safeParse(p).success)) {
    throw new ClaimsError('custom:pools must list pool code prefixes');
  }
  if (role === 'treasurer') {
    const agency = agencySchema.safeParse(c['custom:agency']);
    if (!agency.success || pools.length !== 1) {
      throw new ClaimsError('a treasurer needs one pool and custom:agency');
    }
    return { role, pools, agency: agency.data, ...userOf(c) };
  }
  if (c['custom:agency'] !== undefined) throw new ClaimsError('only treasurers carry custom:agency');
  return { role, pools, ...userOf(c) };
}

/** `pool` is `prefix` itself or lies under it (`15.04` is under `15`; `15.040` is not under `15.04`). */
export const poolInScope = (p: Principal, pool: string): boolean =>
  p.pools.some((prefix) => pool === prefix || pool.startsWith(`${prefix}.`));

/** Pool in scope and, for a treasurer, their own agency. */
export const agencyInScope = (p: Principal, pool: string, agency: string): boolean =>
  poolInScope(p, pool) && (p.role !== 'treasurer' || p.agency === agency);

const userOf = (c: z.infer<typeof claimsSchema>): { user?: string } => {
  const user = c['cognito:username'] ?? c.sub;
  return user === undefined ? {} : { user };
};

/** How a decision names its maker: the user when the token says, with their role and scope. */
export const actorOf = (p: Principal): string =>
  `${p.user ?? '?'} (${p.role}${p.agency === undefined ? '' : ` ${p.agency}`} ${p.pools.join(',')})`;
