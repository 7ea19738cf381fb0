import type { IsoDate, PoolCode, Tier } from '#domain/model.ts';

/** What allocation needs to know of an enrolled worker (a subset of the worker registry's record). */
export type EnrolledWorker = {
  readonly nik: string;
  readonly name: string;
  readonly kpj?: string;
  readonly tier: Tier;
  readonly enrolledOn: IsoDate;
  readonly exitedOn?: IsoDate;
};

export interface EnrollmentSource {
  listEnrollments(pool: PoolCode): AsyncIterable<readonly EnrolledWorker[]>;
}
