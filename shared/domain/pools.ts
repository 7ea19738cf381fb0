/**
 * Pools as first-class records (docs/pools-and-areas.md): a pool is one Kemendagri area at any level
 * (province `15`, regency `15.04`, district `15.04.01`, village `15.04.01.2001`), funded by payroll,
 * grants or both. Any intake file for a pool registers it with the defaults; an operator may create and
 * configure one explicitly (`sertakan pool add|set`, `POST /pools`). Pure: no AWS, no clock.
 */
import { z } from 'zod';
import { validatePoolCode } from './identifiers.ts';
import type { PoolCode, Tier } from './model.ts';
import { TIERS } from './model.ts';

export const POOL_LEVELS = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'] as const;
export type PoolLevel = (typeof POOL_LEVELS)[number];

/** What registered a pool: the first intake file of a kind, or an operator. */
export const POOL_ORIGINS = ['PAYROLL', 'WORKERS', 'GRANTS', 'OPERATOR'] as const;
export type PoolOrigin = (typeof POOL_ORIGINS)[number];

/** Defaults for a pool registered without explicit settings (horizon in months, cutoff day of month). */
export const POOL_DEFAULTS = { horizonMonths: 12, runwayAlertMonths: 2, fileCutoffDay: 5 } as const;

/** A pool's record: identity, place in the area tree, and the policy settings the engine reads. */
export type PoolRecord = {
  readonly pool: PoolCode;
  readonly level: PoolLevel;
  /** The area this pool sits under (a proper prefix of its code); absent for a province. */
  readonly parent?: PoolCode;
  readonly name?: string;
  /** Months ahead the pool must be able to carry every active worker before admitting one more. */
  readonly horizonMonths: number;
  /** RUNWAY_LOW below this many months. */
  readonly runwayAlertMonths: number;
  /** Day of the month (1-28, Asia/Jakarta) by which payroll files are expected (FILE_MISSING after). */
  readonly fileCutoffDay: number;
  /** Package a worker gets when the workers file leaves `paket` blank (absent: the column is required). */
  readonly tierDefault?: Tier;
  readonly registeredBy: PoolOrigin;
  /** ISO instant of registration. */
  readonly createdAt: string;
  readonly updatedAt?: string;
};

/** The level a valid pool code names, from its number of digit groups (2, 2.2, 2.2.2, 2.2.2.4). */
export function levelOf(pool: PoolCode): PoolLevel {
  const groups = pool.split('.').length;
  return POOL_LEVELS[Math.min(groups, 4) - 1] ?? 'PROVINCE';
}

/** The code one level up (`15.04.01.2001` -> `15.04.01`), undefined for a province. */
export function parentOf(pool: PoolCode): PoolCode | undefined {
  const i = pool.lastIndexOf('.');
  return i < 0 ? undefined : pool.slice(0, i);
}

/** The province a pool belongs to: its first two digits. */
export const provinceOf = (pool: PoolCode): PoolCode => pool.slice(0, 2);

/**
 * Whether `pool` lies in `area` (itself or below). Digit groups have fixed widths, so a string prefix
 * followed by the end or a dot is exact: `15.04` holds `15.04.01.2001`, never `15.040`.
 */
export const isInArea = (pool: PoolCode, area: PoolCode): boolean =>
  pool === area || pool.startsWith(`${area}.`);

/** The record a first intake file (or an operator with no settings) creates. */
export function defaultPoolRecord(pool: PoolCode, origin: PoolOrigin, at: Date): PoolRecord {
  const parent = parentOf(pool);
  return {
    pool,
    level: levelOf(pool),
    ...(parent === undefined ? {} : { parent }),
    ...POOL_DEFAULTS,
    registeredBy: origin,
    createdAt: at.toISOString(),
  };
}

/** A Kemendagri code at any level, checked as pools are (province list, no zero groups). */
export const poolCodeSchema = z.string().transform((text, ctx) => {
  const r = validatePoolCode(text);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: 'a Kemendagri area code such as 15, 15.04 or 15.04.01.2001' });
  return z.NEVER;
});

/** Settings an operator may give or change; every field optional (absent: keep / default). */
export const poolSettingsSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  level: z.enum(POOL_LEVELS).optional(),
  parent: poolCodeSchema.optional(),
  horizonMonths: z.number().int().min(1).max(120).optional(),
  runwayAlertMonths: z.number().int().min(0).max(60).optional(),
  fileCutoffDay: z.number().int().min(1).max(28).optional(),
  tierDefault: z.enum(TIERS).optional(),
});
export type PoolSettingsInput = z.infer<typeof poolSettingsSchema>;

/**
 * Checks settings against the pool's code: a stated level must be the code's level, a parent must be a
 * proper ancestor (a village `15.04.01.2001` may sit under `15.04.01`, `15.04` or `15`). Returns the
 * first broken rule as text, or undefined when the settings fit.
 */
export function settingsProblem(pool: PoolCode, s: PoolSettingsInput): string | undefined {
  if (s.level !== undefined && s.level !== levelOf(pool))
    return `level ${s.level} does not match ${pool}, which is a ${levelOf(pool)} code`;
  if (s.parent !== undefined && !(s.parent !== pool && isInArea(pool, s.parent)))
    return `parent ${s.parent} is not an area above ${pool}`;
  return undefined;
}

/** The record after applying operator settings (level is always the code's own). */
export function withSettings(record: PoolRecord, s: PoolSettingsInput, at: Date): PoolRecord {
  const { level: _level, ...rest } = s;
  return { ...record, ...rest, updatedAt: at.toISOString() };
}
