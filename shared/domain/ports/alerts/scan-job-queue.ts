import type { IsoDate, PoolCode } from '#domain/model.ts';

export type PoolScanJob = { readonly kind: 'SCAN'; readonly pool: PoolCode; readonly date: IsoDate };

export interface ScanJobQueue {
  send(job: PoolScanJob): Promise<void>;
}
