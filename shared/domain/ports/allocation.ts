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
 * RUNNING: chunks still to commit. COMPLETED: every chunk committed. ABORTED: closed by an operator with a
 * recorded reason before its last chunk (a stalled run); the allocations of the chunks it committed stand.
 */
export const RUN_STATUSES = ['RUNNING', 'COMPLETED', 'ABORTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Whether a run's allocations are final: COMPLETED or ABORTED (an aborted run's committed chunks were
 * really allocated and paid for). Every sum of money over runs counts exactly these runs; RUNNING runs
 * are still moving.
 */
export const isClosed = (run: Pick<RunRecord, 'status'>): boolean => run.status !== 'RUNNING';

/** Whether pool P's month is done: a COMPLETED run with its month-end outputs (bill, reconciliation). */
export const isMonthDone = (runsOfMonth: readonly RunRecord[]): boolean =>
  runsOfMonth.some((r) => r.status === 'COMPLETED' && r.outputsAt !== undefined);

/**
 * One status for a month from its runs (oldest first): RUNNING while any run moves, otherwise the status
 * of the last run (an aborted run followed by a completed re-run is COMPLETED); NONE without runs.
 */
export function monthStatus(runsOfMonth: readonly RunRecord[]): RunStatus | 'NONE' {
  const last = runsOfMonth.at(-1);
  if (last === undefined) return 'NONE';
  return runsOfMonth.some((r) => r.status === 'RUNNING') ? 'RUNNING' : last.status;
}

/**
 * One allocation run of a pool for a coverage month. Runs are numbered per pool+month (`seq`);
 * a re-run of a completed month is the next seq. The record is the run's cursor: it moves one chunk at
 * a time with a condition on `nextChunk`, so two overlapping invocations cannot both commit a chunk.
 *
 * Liveness fields (docs/allocation-liveness.md): `cause` names what asked for the run (so a duplicate
 * request is a no-op), `updatedAt` is the time of the last commit (the sweeper resumes a RUNNING run idle
 * too long), `commitToken` is the token of the invocation whose commit was applied last (an invocation
 * whose retried commit fails its condition reads it to learn that its own write was applied), and
 * `outputsAt` records that the month-end outputs (BPJS bill, reconciliation) were written.
 */
export type RunRecord = {
  readonly pool: PoolCode;
  readonly month: Period;
  readonly seq: number;
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  /** ISO time the run closed: its last chunk committed (COMPLETED) or an operator aborted it (ABORTED). */
  readonly completedAt?: string;
  /** What asked for the run: `schedule:<ISO time>`, `operator:<id>`, `sweep:<ISO time>`, or absent. */
  readonly cause?: string;
  /** ISO time of the run's creation or last chunk commit. */
  readonly updatedAt?: string;
  readonly commitToken?: string;
  /** ISO time the month-end outputs were written (absent: not yet). */
  readonly outputsAt?: string;
  /** Set when the run cannot continue on its own (e.g. a foreign allocation): the cause for ops. */
  readonly stalled?: { readonly at: string; readonly reason: string };
  /** Set when an operator aborted the run: when, who (operator id, never personal data) and why. */
  readonly aborted?: RunAbort;
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

export type RunAbort = { readonly at: string; readonly by: string; readonly reason: string };

/** What a chunk commit writes on the run record. */
export type ChunkCommit = Pick<RunRecord, 'nextChunk' | 'cursor' | 'status'> & {
  readonly completedAt?: string;
  readonly updatedAt: string;
  /** Unique per invocation: tells an applied-but-unanswered commit from another walker's. */
  readonly commitToken: string;
};

export interface AllocationLog {
  /** Every run of the pool, oldest first (consistent read: the run records are cursors). */
  listRuns(pool: PoolCode): Promise<RunRecord[]>;
  /** One run, consistent read; undefined when it does not exist. */
  getRun(pool: PoolCode, month: Period, seq: number): Promise<RunRecord | undefined>;
  /** Conditional create: 'EXISTS' when another invocation created the same pool+month+seq first. */
  createRun(run: RunRecord): Promise<'CREATED' | 'EXISTS'>;
  /**
   * Moves the cursor from `fromChunk` (condition: status RUNNING and nextChunk = fromChunk);
   * 'CONFLICT' when the condition failed (another invocation moved it, or ours did and its answer was lost).
   */
  commitChunk(run: RunRecord, fromChunk: number, next: ChunkCommit): Promise<'COMMITTED' | 'CONFLICT'>;
  /** Records that the month-end outputs of a COMPLETED run were written (idempotent). */
  markOutputs(run: RunRecord, at: string): Promise<void>;
  /** Marks a RUNNING run stalled, with the cause for ops; 'CONFLICT' when it is no longer RUNNING. */
  markStalled(run: RunRecord, stalled: NonNullable<RunRecord['stalled']>): Promise<'UPDATED' | 'CONFLICT'>;
  /**
   * Closes a RUNNING run as ABORTED with the operator's reason (completedAt = abort.at); 'CONFLICT' when
   * it is no longer RUNNING (it completed or was aborted meanwhile).
   */
  abortRun(run: RunRecord, abort: RunAbort): Promise<'UPDATED' | 'CONFLICT'>;
  /**
   * Writes allocations once each (key pool+month+NIK). An existing entry from the same run counts as
   * written (a redone chunk); one from another run is returned in `foreign` and not overwritten, unless
   * its run is listed in `replacing` (an aborted run's uncommitted chunk: see allocate-pool's walkNext).
   */
  writeAllocations(
    entries: readonly AllocationEntry[],
    opts?: { readonly replacing?: readonly string[] },
  ): Promise<{ written: number; foreign: AllocationEntry[] }>;
  /**
   * Deletes the month's entries of these NIKs that belong to run `runId` (and leaves any other run's):
   * the uncommitted chunk of an aborted run. Returns how many were deleted.
   */
  removeAllocations(pool: PoolCode, month: Period, runId: string, niks: readonly string[]): Promise<number>;
  /** Allocation entries of a pool's month, page by page. */
  allocations(pool: PoolCode, month: Period): AsyncIterable<readonly AllocationEntry[]>;
}

export type StoredCoverage = CoverageRecord & { readonly nik: string; readonly tier: Tier };

/**
 * A write fence for coverage: month and run sequence of the run that writes. A record carrying a fence
 * is only ever replaced by a write with an equal or later fence, so a slow walker of an older run can
 * never overwrite what a later run (a re-run, or the next month) already wrote.
 */
export type CoverageFence = { readonly month: Period; readonly seq: number };

export interface CoverageStore {
  list(pool: PoolCode): AsyncIterable<readonly StoredCoverage[]>;
  /** Writes each record unless the stored one has a later fence; returns how many were refused. */
  put(pool: PoolCode, records: readonly StoredCoverage[], fence: CoverageFence): Promise<{ fenced: number }>;
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

/** A request to move pool P's allocation of month M forward; `cause` as on RunRecord. */
export type AllocateJob = {
  readonly kind: 'ALLOCATE';
  readonly pool: PoolCode;
  readonly month: Period;
  readonly cause?: string;
};

export interface AllocationJobQueue {
  send(job: AllocateJob): Promise<void>;
}

/** Month-end outputs for finance and BPJS: written idempotently (same key, same content). */
export interface ReportSink {
  put(key: string, body: string, contentType: string): Promise<void>;
}
