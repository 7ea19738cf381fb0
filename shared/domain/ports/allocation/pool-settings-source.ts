import type { PoolCode } from '#domain/model.ts';

export type PoolSettings = {
  readonly pool: PoolCode;
  readonly horizonMonths: number;
  readonly runwayAlertMonths: number;
  readonly fileCutoffDay: number;
};

export interface PoolSettingsSource {
  get(pool: PoolCode): Promise<PoolSettings | undefined>;
  list(): Promise<PoolSettings[]>;
}
