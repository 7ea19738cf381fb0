import type { KindCounts } from '#domain/alerts.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';

export type DigestRecord = {
  readonly pool: PoolCode;
  readonly date: IsoDate;
  readonly messageId: string;
  readonly csvKey: string;
  readonly counts: KindCounts;
  readonly sentAt: string;
};

/** One digest per pool per day: recorded right after it is published (conditional put). */
export interface DigestLog {
  get(pool: PoolCode, date: IsoDate): Promise<DigestRecord | undefined>;
  record(digest: DigestRecord): Promise<'RECORDED' | 'EXISTS'>;
}
