import type { PlanEntry, RecurringCredit, WalkCursor } from '#domain/allocation-policy.ts';
import type { CoverageRecord } from '#domain/coverage.ts';
import type { Allocation, IsoDate, Period, PoolCode, Rupiah, Tier } from '#domain/model.ts';

/** Credit totals up to and including a coverage month, by kind, as one run saw them. */
export type CreditTotals = {
  readonly deductions: Rupiah;
  readonly corrections: Rupiah;
  readonly grants: Rupiah;
};

/**
 * One allocation run of a pool for a coverage month. Runs are numbered per pool+month (`seq`);
 * a re-run of a completed month is the next seq. The record is the run's cursor: it moves one chunk at
 * a time with a condition on `nextChunk`, so two overlapping invocations cannot both commit a chunk.
 */
export type RunRecord = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly seq: number;
  readonly runId: string;
  readonly status: 'RUNNING' | 'COMPLETED';
  readonly startedAt: string;
  readonly completedAt?: string;
  readonly planKey: string;
  readonly chunkCount: number;
  readonly nextChunk: number;
  /** Σ credits with period ≤ month when the run started. */
  readonly credits: CreditTotals;
  /** Σ allocations of every earlier run of the pool. */
  readonly allocatedBefore: Rupiah;
  /** Closing balance of the previous run of the pool (0 for the first). */
  readonly previousClosing: Rupiah;
  readonly available: Rupiah;
  readonly horizonMonths: number;
  readonly recurring: RecurringCredit;
  readonly cursor: WalkCursor;
  readonly workersPlanned: number;
  readonly fundedEarlier: number;
  readonly earmarksUnmatched: number;
};

export type AllocationEntry = Allocation & {
  readonly name: string;
  readonly kpj?: string;
  readonly allocatedAt: string;
};

export interface AllocationLog {
  /** Every run of the pool, oldest first. */
  listRuns(pool: PoolCode): Promise<RunRecord[]>;
  /** Conditional create: 'EXISTS' when another invocation created the same pool+month+seq first. */
  createRun(run: RunRecord): Promise<'CREATED' | 'EXISTS'>;
  /** Moves the cursor from `fromChunk`; 'CONFLICT' when another invocation already did. */
  commitChunk(
    run: RunRecord,
    fromChunk: number,
    next: Pick<RunRecord, 'nextChunk' | 'cursor' | 'status'> & {
      completedAt?: string;
    },
  ): Promise<'COMMITTED' | 'CONFLICT'>;
  /**
   * Writes allocations once each (key pool+month+NIK). An existing entry from the same run counts as
   * written (a redone chunk); one from another run is returned in `foreign` and not overwritten.
   */
  writeAllocations(
    entries: readonly AllocationEntry[],
  ): Promise<{ written: number; foreign: AllocationEntry[] }>;
  /** Allocation entries of a pool's month, page by page. */
  allocations(pool: PoolCode, month: Period): AsyncIterable<readonly AllocationEntry[]>;
}

export type StoredCoverage = CoverageRecord & { readonly nik: string; readonly tier: Tier };

export interface CoverageStore {
  list(pool: PoolCode): AsyncIterable<readonly StoredCoverage[]>;
  put(pool: PoolCode, records: readonly StoredCoverage[]): Promise<void>;
}

/** The ordered plan of a run, stored in chunks so every invocation reads only its own slice. */
export interface PlanStore {
  write(
    pool: PoolCode,
    month: Period,
    runId: string,
    chunks: readonly (readonly PlanEntry[])[],
  ): Promise<string>;
  readChunk(planKey: string, index: number): Promise<PlanEntry[]>;
}

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

export interface AllocationJobQueue {
  send(job: { kind: 'ALLOCATE'; pool: PoolCode; month: Period }): Promise<void>;
}

/** Month-end outputs for finance and BPJS: written idempotently (same key, same content). */
export interface ReportSink {
  put(key: string, body: string, contentType: string): Promise<void>;
}
