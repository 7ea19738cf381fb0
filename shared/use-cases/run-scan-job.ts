import type { ScanJob } from '#domain/messages.ts';
import type { ScanStep } from './scan-lapses.ts';

/** The use cases a scan job may ask for, one per job kind, and the step after a pool's scan. */
export type ScanJobDeps = {
  readonly scan: (job: { pool: string; date: string }) => Promise<ScanStep>;
  readonly fanOut: (input: {
    date?: string;
    scheduledTime?: string;
    after?: string;
  }) => Promise<{ pools: number; next?: string; date: string }>;
  /** Records EXPIRED the pool's payroll versions held past their time (docs/intake.md#pending-confirmation). */
  readonly expireHeld: (pool: string) => Promise<readonly string[]>;
};

/** What one job did, for the caller to log and count (codes and counts: no NIK, NIP or name). */
export type ScanJobOutcome =
  | {
      readonly kind: 'FAN_OUT';
      readonly step: { pools: number; next?: string; date: string };
      readonly after?: string;
    }
  | {
      readonly kind: 'SCAN';
      readonly pool: string;
      readonly step: ScanStep;
      readonly expired: readonly string[];
    };

/**
 * runScanJob: one message of the scan-jobs queue to the use case its kind names: the daily fan-out to
 * every registered pool (FAN_OUT), or the next step of one pool's lapse scan (SCAN). Once a pool's scan
 * of the day is DONE, the pool's held payroll versions nobody will touch again end as EXPIRED: once a
 * day per pool, idempotent (an expired version is not held any more). Errors pass through to the
 * queue's error policy.
 */
export const makeRunScanJob =
  (deps: ScanJobDeps) =>
  async (job: ScanJob): Promise<ScanJobOutcome> => {
    if (job.kind === 'FAN_OUT') {
      const step = await deps.fanOut({
        ...(job.date ? { date: job.date } : {}),
        ...(job.scheduledTime ? { scheduledTime: job.scheduledTime } : {}),
        ...(job.after ? { after: job.after } : {}),
      });
      return { kind: 'FAN_OUT', step, ...(job.after ? { after: job.after } : {}) };
    }
    const step = await deps.scan({ pool: job.pool, date: job.date });
    const expired = step.state.phase === 'DONE' ? await deps.expireHeld(job.pool) : [];
    return { kind: 'SCAN', pool: job.pool, step, expired };
  };
