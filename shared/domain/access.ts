import type { DonorStatement } from './finance-answers.ts';
import type { PoolCode } from './model.ts';

/**
 * Who may do what (docs/access.md): every caller of an API or the CLI is an Actor with a role and a
 * scope, granted by an administrator and never by the caller.
 *
 * - `treasurer`: exactly one pool and one agency (OPD): that pool and agency, nothing under or above it;
 * - `ops`, `finance`: a set of pool code prefixes (`15.04` one regency, `15` the province): a pool is in
 *   scope when it equals a prefix or lies under it (`15.04.01.2001` is under `15.04`; `15.040` is not);
 * - `operator`: a person at the CLI with AWS credentials (or the local cloud's owner): every pool;
 * - `machine`: a program calling the finance API with IAM credentials, scoped by the caller table;
 * - `none`: someone whose token verified but whose account has no valid role or scope (recorded when
 *   refused, never allowed anything).
 */

export const ACTOR_ROLES = ['treasurer', 'ops', 'finance', 'operator', 'machine', 'none'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Extra rights beyond reading masked data in scope (docs/access.md, "Grants"). */
export const GRANTS = ['unmasked'] as const;
export type Grant = (typeof GRANTS)[number];

export type Actor = {
  /** Stable id: the Cognito `sub`, the IAM caller ARN, or the operator's id given with `--by`. */
  readonly id: string;
  /** What an auditor reads: the person's name or e-mail, a machine caller's name. */
  readonly name?: string;
  readonly email?: string;
  readonly role: ActorRole;
  /** Pool codes (treasurer: exactly one, exact) or pool code prefixes (everyone else). */
  readonly pools: readonly string[];
  /** Treasurers only. */
  readonly agency?: string;
  readonly grants?: readonly Grant[];
};

/** Every pool (`*`): an operator at the CLI works on the whole deployment. */
export const ALL_POOLS = '*';

const under = (pool: PoolCode, prefix: string): boolean =>
  prefix === ALL_POOLS || pool === prefix || pool.startsWith(`${prefix}.`);

/**
 * Whether `pool` is in the actor's scope: a treasurer's own pool exactly; for the other roles, a pool
 * equal to or under one of their prefixes.
 */
export const poolInScope = (a: Pick<Actor, 'role' | 'pools'>, pool: PoolCode): boolean =>
  a.role === 'treasurer' ? a.pools.length === 1 && a.pools[0] === pool : a.pools.some((p) => under(pool, p));

/** Pool in scope and, for a treasurer, their own agency exactly. */
export const agencyInScope = (
  a: Pick<Actor, 'role' | 'pools' | 'agency'>,
  pool: PoolCode,
  agency: string,
): boolean => poolInScope(a, pool) && (a.role !== 'treasurer' || a.agency === agency);

export const hasGrant = (a: Pick<Actor, 'grants'>, g: Grant): boolean => (a.grants ?? []).includes(g);

/** The actor as one line for the CLI and the trail's table: `Siti (finance 15.04)`. */
export const actorLabel = (a: Actor): string =>
  `${a.name ?? a.email ?? a.id} (${a.role} ${a.pools.join(',')}${a.agency === undefined ? '' : `/${a.agency}`})`;

/** Σ of decimal strings with two places (worker-months), exactly, in hundredths. */
const sumHundredths = (xs: readonly string[]): string =>
  (xs.reduce((s, x) => s + Math.round(Number(x) * 100), 0) / 100).toFixed(2);

/**
 * A donor statement cut to the actor's pools: only the lines of pools in scope, totals recomputed from
 * those lines alone; undefined when no line is in scope (the caller then gets the same 403 as for a
 * NIP never seen).
 */
export function statementInScope(
  a: Pick<Actor, 'role' | 'pools'>,
  s: DonorStatement,
): DonorStatement | undefined {
  const lines = s.lines.filter((l) => poolInScope(a, l.pool));
  if (lines.length === 0) return undefined;
  return {
    ...s,
    lines,
    totals: {
      net: lines.reduce((t, l) => t + l.net, 0),
      rupiah: lines.reduce((t, l) => t + l.rupiah, 0),
      workerMonths: sumHundredths(lines.map((l) => l.workerMonths)),
    },
  };
}
