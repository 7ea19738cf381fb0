/**
 * What the daily lapse scan (scan-lapses.ts) needs and what one of its steps reports: kept apart so
 * readers of a step's outcome (the handler, area views) never import the scan itself.
 */
import type { Alert } from '#domain/alerts.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import type { AlertPublisher } from '#domain/ports/alert-publisher.ts';
import type { AlertLog } from '#domain/ports/alerts/alert-log.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';
import type { DigestLog } from '#domain/ports/alerts/digest-log.ts';
import type { ScanJobQueue } from '#domain/ports/alerts/scan-job-queue.ts';
import type { ScanState, ScanStateStore } from '#domain/ports/alerts/scan-state-store.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import type { WorkerRegistry } from '#domain/ports/worker-registry.ts';
import type { ForecastDeps } from './forecast-pool.ts';

export type ScanLapsesDeps = ForecastDeps & {
  readonly coverage: CoveragePages;
  readonly alerts: AlertLog;
  readonly states: ScanStateStore;
  readonly digests: DigestLog;
  readonly publisher: AlertPublisher;
  readonly objects: Pick<ObjectStore, 'put' | 'getText' | 'putStream'>;
  readonly reportsBucket: string;
  readonly jobs: ScanJobQueue;
  /** Names for the few urgent workers in the digest (masked before use); optional. */
  readonly workers?: Pick<WorkerRegistry, 'getEnrollment'>;
  readonly clock: Clock;
  /** Coverage records per invocation. */
  readonly pageSize: number;
  /** PAYMENT_UNCONFIRMED of the pool on the date (shared/use-cases/bpjs-loop/payment-unconfirmed.ts); optional. */
  readonly paymentUnconfirmed?: (
    pool: PoolCode,
    date: IsoDate,
    known?: { readonly runs: Promise<readonly RunRecord[]> },
  ) => Promise<Alert[]>;
};

export type ScanStep = {
  readonly state: ScanState;
  readonly outcome: 'CONTINUING' | 'DONE' | 'ALREADY_DONE';
  /** Alerts first recorded by this step. */
  readonly newAlerts: number;
  readonly published?: string;
};
