import { z } from 'zod';
import type { Actor } from '#domain/access.ts';

export { agencyInScope, poolInScope } from '#domain/access.ts';

/**
 * Who is calling the console, read from the claims of a verified ID token (Cognito's on AWS, the
 * development issuer's locally; docs/access.md). Three roles, each with a scope:
 * - `treasurer`: exactly one pool code and one agency (OPD) code: that pool and agency only;
 * - `ops` and `finance`: a set of pool code prefixes, `15.04` (one regency) or `15` (the province).
 *
 * Only claims an administrator writes are read for role and scope:
 * - `cognito:groups`: exactly one of `treasurer`, `ops`, `finance` (AdminAddUserToGroup; other groups
 *   are ignored);
 * - `custom:pools`, `custom:agency`: attributes the console's app client may read but never write
 *   (infra/constructs/console-site.ts), so a user's UpdateUserAttributes cannot change them.
 * `sub`, `email` and `name` name the person in the audit trail; they grant nothing.
 */

export const ROLES = ['treasurer', 'ops', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export type Principal = Actor & { readonly role: Role };

/**
 * A token that verified but does not say who may do what (no role, no scope): 403, never a guess.
 * `who` carries the token's subject for the audit trail's "sign-in refused" record.
 */
export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
  constructor(
    message: string,
    readonly who?: { readonly id: string; readonly email?: string; readonly name?: string },
  ) {
    super(message);
  }
}

const poolCodeSchema = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/);
const agencySchema = z.string().regex(/^[A-Za-z0-9.-]{1,40}$/);
const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  email: z.string().max(254).optional(),
  name: z.string().max(200).optional(),
  'cognito:groups': z.array(z.string()).optional(),
  'custom:pools': z.string().optional(),
  'custom:agency': z.string().optional(),
  token_use: z.string().optional(),
});

/**
 * Maps verified claims to a principal; throws ClaimsError (without echoing claim values) if they do not
 * fit: no `sub`, not exactly one role group, no pools, a treasurer without exactly one pool and an
 * agency, an agency on a non-treasurer.
 */
export function principalOf(claims: unknown): Principal {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new ClaimsError('token claims are malformed');
  const c = parsed.data;
  const who = {
    id: c.sub,
    ...(c.email === undefined ? {} : { email: c.email }),
    ...(c.name === undefined ? {} : { name: c.name }),
  };
  if (c.token_use !== undefined && c.token_use !== 'id')
    throw new ClaimsError('an ID token is required', who);
  const roles = (c['cognito:groups'] ?? []).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const role = roles[0];
  if (role === undefined || roles.length !== 1)
    throw new ClaimsError('the user must be in exactly one role group', who);
  const pools = (c['custom:pools'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (pools.length === 0 || !pools.every((p) => poolCodeSchema.safeParse(p).success)) {
    throw new ClaimsError('custom:pools must list pool code prefixes', who);
  }
  if (role === 'treasurer') {
    const agency = agencySchema.safeParse(c['custom:agency']);
    if (!agency.success || pools.length !== 1) {
      throw new ClaimsError('a treasurer needs exactly one pool and custom:agency', who);
    }
    return { ...who, role, pools, agency: agency.data };
  }
  if (c['custom:agency'] !== undefined) throw new ClaimsError('only treasurers carry custom:agency', who);
  return { ...who, role, pools };
}

/** How a decision names its maker on the file record: the person, with their role and scope. */
export const actorOf = (p: Principal): string =>
  `${p.name ?? p.email ?? p.id} (${p.role}${p.agency === undefined ? '' : ` ${p.agency}`} ${p.pools.join(',')})`;
