import type { RecurringCredit, WalkCursor } from '#domain/allocation-policy.ts';
import type { Allocation, Period, PoolCode, Rupiah } from '#domain/model.ts';

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

/**
 * Whether pool P's month is done (runs oldest first): its latest run that was not aborted is COMPLETED
 * with its month-end outputs (bill, reconciliation). A re-run of a done month makes it not done again
 * until the re-run's own coverage and outputs are written: an earlier run's outputs are not the answer
 * of a later run (docs/allocation-liveness.md).
 */
export const isMonthDone = (runsOfMonth: readonly RunRecord[]): boolean => {
  const last = runsOfMonth.filter((r) => r.status !== 'ABORTED').at(-1);
  return last?.status === 'COMPLETED' && last.outputsAt !== undefined;
};

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
  /** ISO time the run began planning, before it read the ledger (late-earmarks.ts relies on that). */
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
  /**
   * The last committed chunk while its coverage is still to be written (docs/allocation-liveness.md,
   * "Coverage = bill"): coverage follows the commit, and whoever next touches the run writes it first.
   */
  readonly uncovered?: UncoveredChunk;
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
  /**
   * Earlier payroll periods whose late earmarks this run honoured (their file arrived after the period's
   * run: docs/design.md#earmarks-travel-with-the-money), with how many; absent when none.
   */
  readonly lateEarmarks?: readonly LateEarmarks[];
};

export type LateEarmarks = { readonly period: Period; readonly earmarks: number };

export type AllocationEntry = Allocation & {
  readonly name: string;
  readonly kpj?: string;
  readonly allocatedAt: string;
};

export type RunAbort = { readonly at: string; readonly by: string; readonly reason: string };

/**
 * A committed chunk whose coverage is not yet known written: its index and the walk cursor it started
 * from, so its decisions can be derived again, identically (the walk is a pure function of plan, cursor
 * and context).
 */
export type UncoveredChunk = { readonly chunk: number; readonly cursor: WalkCursor };

/**
 * A RUNNING run is idle after this long without a commit (ms): longer than the allocation function's
 * 900 s timeout, so a live step is never taken for a dead one. The sweeper resumes an idle run; an
 * operator may abort only a stalled run (below).
 */
export const ALLOCATION_IDLE_MS = 20 * 60_000;

/**
 * Whether a RUNNING run is stalled, as the sweeper judges it: marked stalled by a walker (it met another
 * run's allocation), or idle for longer than `idleMs` at `now` (no commit: its walker died and its
 * messages were lost). A run that is merely moving is never stalled.
 */
export function isStalledRun(
  run: Pick<RunRecord, 'status' | 'stalled' | 'updatedAt' | 'startedAt'>,
  now: Date,
  idleMs: number = ALLOCATION_IDLE_MS,
): boolean {
  if (run.status !== 'RUNNING') return false;
  if (run.stalled !== undefined) return true;
  return now.getTime() - Date.parse(run.updatedAt ?? run.startedAt) > idleMs;
}

/** What a chunk commit writes on the run record. */
export type ChunkCommit = Pick<RunRecord, 'nextChunk' | 'cursor' | 'status'> & {
  readonly completedAt?: string;
  readonly updatedAt: string;
  /** Unique per invocation: tells an applied-but-unanswered commit from another walker's. */
  readonly commitToken: string;
  /** The chunk this commit closes, whose coverage is written next (cleared by `markCovered`). */
  readonly uncovered: UncoveredChunk;
};
