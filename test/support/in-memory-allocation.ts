import type { PlanEntry } from '#domain/allocation-policy.ts';
import type { AllocationJob } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { defaultPoolRecord, isInArea } from '#domain/pools.ts';
import type { AllocateJob, AllocationJobQueue } from '#domain/ports/allocation/allocation-job-queue.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type {
  CoverageFence,
  CoverageStore,
  StoredCoverage,
} from '#domain/ports/allocation/coverage-store.ts';
import type { EnrolledWorker, EnrollmentSource } from '#domain/ports/allocation/enrollment-source.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { PoolSettings, PoolSettingsSource } from '#domain/ports/allocation/pool-settings-source.ts';
import type {
  AllocationEntry,
  ChunkCommit,
  RunAbort,
  RunRecord,
} from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger, Earmark, PeriodCredits } from '#domain/ports/credit-ledger.ts';
import type { PoolPage } from '#domain/ports/pool-registry.ts';
import { InjectedCrashError } from './injected-crash.ts';

/** In-memory fakes of the allocation ports, with the same idempotence rules as the DynamoDB adapters. */

export class InMemoryAllocationLog implements AllocationLog {
  readonly runs = new Map<string, RunRecord>();
  readonly entries = new Map<string, AllocationEntry>();
  /** Throws once when this many allocation writes have happened (crash injection). */
  crashAfterWrites?: number;
  private writes = 0;

  async listRuns(pool: PoolCode): Promise<RunRecord[]> {
    // The adapter's sort key `<month>#<seq, 3 digits>`: seq 10 after seq 9.
    const sortKey = (r: RunRecord) => `${r.month}#${String(r.seq).padStart(3, '0')}`;
    return [...this.runs.values()]
      .filter((r) => r.pool === pool)
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      .map((r) => structuredClone(r));
  }
  async createRun(run: RunRecord): Promise<'CREATED' | 'EXISTS'> {
    if (this.runs.has(run.runId)) return 'EXISTS';
    this.runs.set(run.runId, structuredClone(run));
    return 'CREATED';
  }
  async getRun(pool: PoolCode, month: Period, seq: number): Promise<RunRecord | undefined> {
    const run = [...this.runs.values()].find((r) => r.pool === pool && r.month === month && r.seq === seq);
    return run === undefined ? undefined : structuredClone(run);
  }
  /** Applies the commit, then answers CONFLICT as a retried call would (a lost response), once per arm. */
  loseNextCommitAnswer = false;
  async commitChunk(run: RunRecord, fromChunk: number, next: ChunkCommit): Promise<'COMMITTED' | 'CONFLICT'> {
    const current = this.runs.get(run.runId);
    if (!current || current.nextChunk !== fromChunk || current.status !== 'RUNNING') return 'CONFLICT';
    this.runs.set(run.runId, { ...current, ...structuredClone(next) });
    if (this.loseNextCommitAnswer) {
      this.loseNextCommitAnswer = false;
      return 'CONFLICT';
    }
    return 'COMMITTED';
  }
  async markCovered(run: RunRecord, chunk: number): Promise<void> {
    const current = this.runs.get(run.runId);
    if (current?.uncovered?.chunk !== chunk) return;
    const { uncovered: _, ...rest } = current;
    this.runs.set(run.runId, rest);
  }
  async markOutputs(run: RunRecord, at: string): Promise<void> {
    const current = this.runs.get(run.runId);
    if (current && current.outputsAt === undefined) this.runs.set(run.runId, { ...current, outputsAt: at });
  }
  async markStalled(
    run: RunRecord,
    stalled: NonNullable<RunRecord['stalled']>,
  ): Promise<'UPDATED' | 'CONFLICT'> {
    const current = this.runs.get(run.runId);
    if (current?.status !== 'RUNNING') return 'CONFLICT';
    this.runs.set(run.runId, { ...current, stalled });
    return 'UPDATED';
  }
  async abortRun(run: RunRecord, abort: RunAbort): Promise<'UPDATED' | 'CONFLICT'> {
    const current = this.runs.get(run.runId);
    if (current?.status !== 'RUNNING') return 'CONFLICT';
    this.runs.set(run.runId, {
      ...current,
      status: 'ABORTED',
      aborted: abort,
      completedAt: abort.at,
      updatedAt: abort.at,
    });
    return 'UPDATED';
  }
  async writeAllocations(entries: readonly AllocationEntry[], opts: { replacing?: readonly string[] } = {}) {
    const foreign: AllocationEntry[] = [];
    let written = 0;
    for (const e of entries) {
      if (this.crashAfterWrites !== undefined && this.writes >= this.crashAfterWrites) {
        this.crashAfterWrites = undefined;
        throw new InjectedCrashError('injected crash');
      }
      const key = `${e.pool}|${e.month}|${e.nik}`;
      const existing = this.entries.get(key);
      const replaces = existing !== undefined && (opts.replacing ?? []).includes(existing.runId);
      if (existing && existing.runId !== e.runId && !replaces) foreign.push(existing);
      else if (!existing || replaces) {
        this.entries.set(key, e);
        this.writes++;
        written++;
      }
    }
    return { written, foreign };
  }
  async removeAllocations(pool: PoolCode, month: Period, runId: string, niks: readonly string[]) {
    let deleted = 0;
    for (const nik of niks) {
      const key = `${pool}|${month}|${nik}`;
      if (this.entries.get(key)?.runId === runId && this.entries.delete(key)) deleted++;
    }
    return deleted;
  }
  /** One page in NIK order (the adapter's sort key); none for an empty month, as the adapter. */
  async *allocations(pool: PoolCode, month: Period): AsyncIterable<readonly AllocationEntry[]> {
    const page = [...this.entries.values()]
      .filter((e) => e.pool === pool && e.month === month)
      .sort((a, b) => a.nik.localeCompare(b.nik));
    if (page.length > 0) yield page;
  }
}

export class InMemoryCoverageStore implements CoverageStore {
  readonly records = new Map<string, StoredCoverage>();
  readonly fences = new Map<string, string>();
  /** One page in NIK order (the adapter's sort key); none for an empty pool, as the adapter. */
  async *list(pool: PoolCode): AsyncIterable<readonly StoredCoverage[]> {
    const page = [...this.records.entries()]
      .filter(([k]) => k.startsWith(`${pool}|`))
      .map(([, v]) => v)
      .sort((a, b) => a.nik.localeCompare(b.nik));
    if (page.length > 0) yield page;
  }
  async put(pool: PoolCode, records: readonly StoredCoverage[], fence: CoverageFence) {
    const mark = `${fence.month}#${String(fence.seq).padStart(3, '0')}`;
    let fenced = 0;
    for (const r of records) {
      const key = `${pool}|${r.nik}`;
      const stored = this.fences.get(key);
      if (stored !== undefined && stored > mark) {
        fenced++;
        continue;
      }
      this.records.set(key, structuredClone(r));
      this.fences.set(key, mark);
    }
    return { fenced };
  }
}

export class InMemoryPlanStore implements PlanStore {
  readonly plans = new Map<string, PlanEntry[][]>();
  async write(_pool: PoolCode, _month: Period, runId: string, chunks: readonly (readonly PlanEntry[])[]) {
    const key = `plans/${runId}/${this.plans.size}`;
    this.plans.set(key, structuredClone(chunks) as PlanEntry[][]);
    return key;
  }
  async readChunk(planKey: string, index: number): Promise<PlanEntry[]> {
    const chunk = this.plans.get(planKey)?.[index];
    if (!chunk) throw new Error(`no chunk ${index} in ${planKey}`);
    return structuredClone(chunk);
  }
}

export class InMemoryWorkers implements EnrollmentSource {
  readonly workers = new Map<string, EnrolledWorker & { pool: PoolCode }>();
  add(pool: PoolCode, w: EnrolledWorker): void {
    this.workers.set(w.nik, { ...w, pool });
  }
  async *listEnrollments(pool: PoolCode): AsyncIterable<readonly EnrolledWorker[]> {
    yield [...this.workers.values()].filter((w) => w.pool === pool);
  }
}

export class InMemoryPools implements PoolSettingsSource {
  readonly pools = new Map<PoolCode, PoolSettings>();
  add(pool: PoolCode, over: Partial<PoolSettings> = {}): void {
    this.pools.set(pool, { pool, horizonMonths: 12, runwayAlertMonths: 2, fileCutoffDay: 5, ...over });
  }
  async get(pool: PoolCode) {
    return this.pools.get(pool);
  }
  async list() {
    return [...this.pools.values()];
  }
  /** The directory page by page in code order, as DynamoDbPoolRegistry.page. */
  async page(opts: { after?: PoolCode; limit: number; area?: PoolCode }): Promise<PoolPage> {
    const codes = [...this.pools.keys()]
      .filter(
        (p) =>
          (opts.area === undefined || isInArea(p, opts.area)) && (opts.after === undefined || p > opts.after),
      )
      .sort();
    const taken = codes.slice(0, opts.limit);
    const last = taken.at(-1);
    return {
      pools: taken.map((p) => defaultPoolRecord(p, 'PAYROLL', new Date(0))),
      ...(codes.length > opts.limit && last !== undefined ? { next: last } : {}),
    };
  }
}

export class InMemoryJobs implements AllocationJobQueue {
  readonly sent: AllocateJob[] = [];
  async send(job: AllocateJob): Promise<void> {
    this.sent.push(job);
  }
  /** Every job of a batch; FAN_OUT continuations land in `fanOuts`. */
  readonly fanOuts: AllocationJob[] = [];
  async sendAll(jobs: readonly AllocationJob[]): Promise<void> {
    for (const j of jobs)
      if (j.kind === 'ALLOCATE') this.sent.push(j);
      else this.fanOuts.push(j);
  }
}

/** Credits as the allocation reads them: per pool and period, plus earmarks. */
export class InMemoryCredits implements Pick<CreditLedger, 'creditsByPeriod' | 'earmarks'> {
  readonly credits = new Map<string, PeriodCredits>();
  /** Earmarks by pool and period; `recordedAt` defaults to the epoch (recorded before any run). */
  readonly marks: (Omit<Earmark, 'recordedAt'> & { pool: PoolCode; period: Period; recordedAt?: string })[] =
    [];
  add(pool: PoolCode, period: Period, over: Partial<Omit<PeriodCredits, 'period'>>): void {
    const key = `${pool}|${period}`;
    const c = this.credits.get(key) ?? { period, deductions: 0, corrections: 0, grants: 0, deductionRows: 0 };
    this.credits.set(key, {
      period,
      deductions: c.deductions + (over.deductions ?? 0),
      corrections: c.corrections + (over.corrections ?? 0),
      grants: c.grants + (over.grants ?? 0),
      deductionRows: c.deductionRows + (over.deductionRows ?? (over.deductions ? 1 : 0)),
    });
  }
  async creditsByPeriod(pool: PoolCode): Promise<PeriodCredits[]> {
    return [...this.credits.entries()]
      .filter(([k]) => k.startsWith(`${pool}|`))
      .map(([, v]) => v)
      .sort((a, b) => a.period.localeCompare(b.period));
  }
  async earmarks(pool: PoolCode, period: Period): Promise<Earmark[]> {
    return this.marks
      .filter((m) => m.pool === pool && m.period === period)
      .map(({ nik, nip, agency, recordedAt }) => ({
        nik,
        nip,
        agency,
        recordedAt: recordedAt ?? new Date(0).toISOString(),
      }));
  }
}
