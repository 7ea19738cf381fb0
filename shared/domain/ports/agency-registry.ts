import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';

/** Pool settings created with the pool on its first intake; the allocation engine reads them. */
export type PoolSettings = {
  readonly pool: PoolCode;
  readonly horizonMonths: number;
  readonly runwayAlertMonths: number;
  readonly fileCutoffDay: number;
  readonly createdAt: string;
  /** The earliest payroll period applied to the pool (docs/intake.md#periods); absent before the first. */
  readonly firstPeriod?: Period;
};

export const DEFAULT_POOL_SETTINGS = { horizonMonths: 12, runwayAlertMonths: 2, fileCutoffDay: 5 } as const;

export type AgencyClaim = {
  /** The pool the agency belongs to (maybe not the one asked for). */
  readonly pool: PoolCode;
  /** The file that registered the agency. */
  readonly firstFileId: string;
  /** True when this call registered it. */
  readonly registered: boolean;
};

/**
 * Pools and the agencies (payroll units) that belong to them. An agency belongs to exactly one pool:
 * the first file from it decides which (docs/design.md#pools-and-agencies).
 */
export interface AgencyRegistry {
  /** Creates the pool with default settings if it does not exist yet; never overwrites. */
  ensurePool(pool: PoolCode, createdAt: Date): Promise<void>;
  getPool(pool: PoolCode): Promise<PoolSettings | undefined>;
  /** Lowers the pool's firstPeriod to `period` if it has none or a later one (idempotent). */
  notePeriod(pool: PoolCode, period: Period): Promise<void>;
  /** Registers `agency` to `pool` unless it already is registered (to any pool); returns the owner. */
  claimAgency(agency: AgencyCode, pool: PoolCode, fileId: string, at: Date): Promise<AgencyClaim>;
}
