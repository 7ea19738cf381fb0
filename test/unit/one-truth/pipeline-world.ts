/**
 * The pipeline a treasurer, finance and ops touch, on the in-memory fakes: payroll files through the
 * real intake use cases (split-payroll-file, then ingest-deductions for every chunk it queued), monthly
 * runs through allocate-pool (apportioning each month at its end, as writeOutputs does), worker exits,
 * and the finance queries every view is read from. Time is one settable clock for all of them.
 *
 * The steps are data (`Action`), so a property can generate them: a new kind of step (for example a
 * treasurer confirming or withdrawing a held replacement) is one more member of `Action` and one more
 * case in `apply`.
 */
import fc from 'fast-check';
import type { AgencyCode, Period } from '#domain/model.ts';
import { addMonths, jakartaInstant } from '#domain/period.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore } from '#domain/ports/allocation/coverage-store.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { AllocationReader, CreditSummary, DeductionRow, LedgerReader } from '#domain/ports/finance.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import type { ShareReader, ShareStore } from '#domain/ports/shares.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';
import { makeSplitPayrollFile, type SplitOutcome } from '#shared/use-cases/intake/split-payroll-file.ts';
import {
  InMemoryAllocationLog,
  InMemoryCoverageStore,
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { inMemoryShares } from '../finance/fakes.ts';
import { nikOf, nipOf, payrollCsv } from '../intake-use-cases/payroll-fixtures.ts';

export const DEFAULT_POOL = '15.04';
export const FIRST: Period = '2026-01';
export const AGENCIES = ['DINKES', 'DISDIK'] as const;
export const WORKERS = 6;
/** Donors 0-3 belong to DINKES, 4-7 to DISDIK. */
export const donorsOf = (agency: AgencyCode): number[] => (agency === 'DINKES' ? [0, 1, 2, 3] : [4, 5, 6, 7]);

/**
 * One step. `upload`: a payroll file of `agency` for the month to be allocated next (`late` > 0: that
 * many months before it, a month already allocated). `variant` says what the file is relative to the
 * agency's last accepted version of that period: `new` (rows chosen by `pick`), `duplicate` (the same
 * bytes again), `add` (one donor more or a raised row), `remove` (one donor fewer or a lowered row),
 * `rejected` (no readable row).
 */
export type Action =
  | {
      readonly t: 'upload';
      readonly agency: (typeof AGENCIES)[number];
      readonly late: 0 | 1 | 2;
      readonly variant: 'new' | 'duplicate' | 'add' | 'remove' | 'rejected';
      readonly pick: number;
    }
  | { readonly t: 'allocate' }
  | { readonly t: 'exit'; readonly worker: number };

/** Step generator: one more kind of step (e.g. confirm / withdraw a held replacement) is one more arm. */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('upload' as const),
      agency: fc.constantFrom(...AGENCIES),
      late: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const),
      variant: fc.constantFrom(
        'new' as const,
        'duplicate' as const,
        'add' as const,
        'remove' as const,
        'rejected' as const,
      ),
      pick: fc.nat(63),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'allocate' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('exit' as const), worker: fc.nat(5) }) },
);

const AMOUNTS = [16_800, 20_000, 36_800] as const;

/** A LedgerReader over the in-memory ledger: the finance read side of what the credit ledger holds. */
export function ledgerReaderOf(ledger: InMemoryCreditLedger): LedgerReader {
  const chunks = () => [...ledger.chunks.values()];
  const rowsOf = (pool: string, period: Period, agency: AgencyCode, nip?: string): DeductionRow[] =>
    chunks()
      .filter((c) => c.chunk.pool === pool && c.chunk.period === period && c.chunk.agency === agency)
      .flatMap((c) =>
        c.chunk.entries
          .filter((e) => nip === undefined || e.nip === nip)
          .map((e) => ({
            pool,
            period,
            agency,
            nip: e.nip,
            fileId: c.chunk.fileId,
            kind: c.chunk.kind,
            amount: e.amount,
            chunkId: c.chunk.chunkId,
            ...(e.workerNik === undefined || e.workerNik === '' ? {} : { workerNik: e.workerNik }),
            recordedAt: c.recordedAt.toISOString(),
          })),
      );
  return {
    creditSummaries: async (pool, period) =>
      chunks()
        .filter((c) => c.chunk.pool === pool && (period === undefined || c.chunk.period === period))
        .map(
          (c): CreditSummary => ({
            kind: c.chunk.kind,
            period: c.chunk.period,
            agency: c.chunk.agency,
            chunkId: c.chunk.chunkId,
            total: c.chunk.entries.reduce((s, e) => s + e.amount, 0),
            rows: c.chunk.entries.length,
            recordedAt: c.recordedAt.toISOString(),
          }),
        ),
    async *deductionRows(pool, period, agency, nip) {
      yield rowsOf(pool, period, agency, nip);
    },
    donorMemberships: async (nip) => {
      const seen = new Map<string, { pool: string; agency: string; firstPeriod: Period }>();
      for (const c of chunks())
        for (const e of c.chunk.entries) {
          if (e.nip !== nip) continue;
          const k = `${c.chunk.pool}#${c.chunk.agency}`;
          const had = seen.get(k);
          if (had === undefined || c.chunk.period < had.firstPeriod)
            seen.set(k, { pool: c.chunk.pool, agency: c.chunk.agency, firstPeriod: c.chunk.period });
        }
      return [...seen.values()];
    },
    // Every chunk of the in-memory ledger is committed: rows and summary are written together.
    committedChunks: async (_pool, _period, _agency, ids) => new Set(ids),
  };
}

/** The allocation log as finance reads it. */
export function allocationReaderOf(log: InMemoryAllocationLog): AllocationReader {
  const of = (pool: string, month: Period): AllocationEntry[] =>
    [...log.entries.values()]
      .filter((e) => e.pool === pool && e.month === month)
      .sort((a, b) => (a.nik < b.nik ? -1 : 1));
  return {
    listRuns: (pool) => log.listRuns(pool),
    async *allocationsFrom(pool, month, opts = {}) {
      yield of(pool, month).filter((e) => opts.after === undefined || e.nik > opts.after);
    },
    allocationOf: async (pool, month, nik) => of(pool, month).find((e) => e.nik === nik),
  };
}

export type UploadResult = {
  readonly outcome: SplitOutcome;
  readonly period: Period;
  readonly agency: AgencyCode;
  /** Ledger net of the agency's period before and after. */
  readonly before: number;
  readonly after: number;
};

/**
 * Where the ledger, the allocation log, coverage, plans and shares live: the in-memory fakes by
 * default, or the emulators' adapters (test/integration/one-truth). `record` is the oracle's copy of
 * every committed chunk with its recording time: the in-memory ledger itself, or a second copy the
 * emulator run writes beside DynamoDB.
 */
export type Backend = {
  readonly ledger: CreditLedger;
  readonly record: InMemoryCreditLedger;
  readonly reader: LedgerReader;
  readonly log: AllocationLog;
  readonly allocations: AllocationReader;
  readonly coverage: CoverageStore;
  readonly plans: PlanStore;
  readonly shares: ShareStore & ShareReader;
  readonly pools: PoolDirectory;
};

export function inMemoryBackend(): Backend {
  const ledger = new InMemoryCreditLedger();
  const log = new InMemoryAllocationLog();
  return {
    ledger,
    record: ledger,
    reader: ledgerReaderOf(ledger),
    log,
    allocations: allocationReaderOf(log),
    coverage: new InMemoryCoverageStore(),
    plans: new InMemoryPlanStore(),
    shares: inMemoryShares().store,
    pools: { poolExists: async () => true },
  };
}

export function pipelineWorld(backend: Backend = inMemoryBackend(), POOL = DEFAULT_POOL) {
  let now = jakartaInstant('2025-12-20', 8);
  const clock = { now: () => new Date(now) };
  const tick = (ms = 3_600_000) => {
    now = new Date(now.getTime() + ms);
  };
  const intake = makeIntakeFakes();
  const { ledger, record, reader, log, allocations, pools } = backend;
  const split = makeSplitPayrollFile({ ...intake, clock, reportsBucket: REPORTS_BUCKET });
  const ingest = makeIngestDeductions({ ledger, pools, clock });
  const workers = new InMemoryWorkers();
  const poolSettings = new InMemoryPools();
  poolSettings.add(POOL);
  for (let i = 0; i < WORKERS; i++)
    workers.add(POOL, { nik: nikOf(i), name: `Pekerja ${i}`, tier: 'JKK_JKM', enrolledOn: '2025-12-01' });
  const apportion = makeApportionMonth({
    ledger: reader,
    credits: ledger,
    allocations,
    store: backend.shares,
    clock,
  });
  const allocate = makeAllocatePool({
    ledger,
    log,
    coverage: backend.coverage,
    plans: backend.plans,
    workers,
    pools: poolSettings,
    jobs: new InMemoryJobs(),
    clock,
    rates: defaultRateTable,
    chunkSize: 4,
    writeOutputs: async (run) => void (await apportion({ pool: run.pool, month: run.month })),
  });
  const queries = makeFinanceQueries({
    allocations,
    ledger: reader,
    credits: ledger,
    pools,
    clock,
    shares: backend.shares,
  });
  /** The bytes last uploaded per agency+period (any status) and the rows of the last accepted one. */
  const lastBytes = new Map<string, string>();
  const lastRows = new Map<string, Map<number, number>>();
  let next: Period = FIRST;
  let queued = 0;

  const agencyNet = (period: Period, agency: AgencyCode) =>
    [...record.chunks.values()]
      .filter((c) => c.chunk.period === period && c.chunk.agency === agency)
      .reduce((s, c) => s + c.chunk.entries.reduce((t, e) => t + e.amount, 0), 0);

  async function upload(a: Extract<Action, { t: 'upload' }>): Promise<UploadResult | undefined> {
    const period = addMonths(next, -a.late);
    if (period < FIRST) return undefined;
    const key = `${period}#${a.agency}`;
    const donors = donorsOf(a.agency);
    const prev = lastRows.get(key);
    let rows: Map<number, number>;
    let text: string | undefined;
    if (a.variant === 'duplicate' && lastBytes.has(key)) text = lastBytes.get(key);
    else if (a.variant === 'rejected') {
      text = payrollCsv(period, [{ nip: nipOf(donors[0] ?? 0), amount: 'dua puluh ribu' }]);
    } else {
      rows = new Map(prev ?? []);
      const d = donors[a.pick % donors.length] ?? 0;
      const amount = AMOUNTS[a.pick % AMOUNTS.length] ?? 16_800;
      if (prev === undefined || a.variant === 'new') {
        rows = new Map(donors.filter((_, i) => (a.pick >> i) & 1 || i === 0).map((n) => [n, amount]));
      } else if (a.variant === 'add') {
        rows.set(d, (rows.get(d) ?? 0) + 20_000);
      } else if (rows.size > 1 && rows.has(d)) rows.delete(d);
      else rows.set([...rows.keys()][0] ?? d, 16_800);
      text = payrollCsv(
        period,
        [...rows].sort(([x], [y]) => x - y).map(([n, amt]) => ({ nip: nipOf(n), amount: amt })),
      );
    }
    if (text === undefined) return undefined;
    const before = agencyNet(period, a.agency);
    tick();
    await intake.objects.put(
      INTAKE_BUCKET,
      `incoming/payroll/${POOL}/${period}/${a.agency}.csv`,
      text,
      'text/csv',
    );
    const outcome = await split({
      bucket: INTAKE_BUCKET,
      key: `incoming/payroll/${POOL}/${period}/${a.agency}.csv`,
    });
    for (const chunk of intake.queue.sent.slice(queued)) await ingest(chunk);
    queued = intake.queue.sent.length;
    lastBytes.set(key, text);
    if (outcome.status === 'ACCEPTED' || outcome.status === 'PARTIALLY_REJECTED') {
      const accepted = new Map<number, number>();
      for (const line of text.split('\r\n').slice(1)) {
        const [nip, , , amount] = line.split(';');
        const n = donors.find((i) => nipOf(i) === nip);
        if (n !== undefined && /^\d+$/.test(amount ?? '')) accepted.set(n, Number(amount));
      }
      lastRows.set(key, accepted);
    }
    return { outcome, period, agency: a.agency, before, after: agencyNet(period, a.agency) };
  }

  async function allocateNext(): Promise<void> {
    const at = jakartaInstant(`${next}-10`, 6);
    now = at.getTime() > now.getTime() ? at : new Date(now.getTime() + 3_600_000);
    let step: AllocateStep;
    do step = await allocate({ pool: POOL, month: next });
    while (step.state === 'CONTINUING');
    next = addMonths(next, 1);
    tick();
  }

  async function apply(a: Action): Promise<UploadResult | undefined> {
    switch (a.t) {
      case 'upload':
        return upload(a);
      case 'allocate':
        await allocateNext();
        return undefined;
      case 'exit': {
        const nik = nikOf(a.worker % WORKERS);
        const w = workers.workers.get(nik);
        tick();
        if (w !== undefined && w.exitedOn === undefined)
          workers.add(POOL, { ...w, exitedOn: new Date(now).toISOString().slice(0, 10) });
        return undefined;
      }
    }
  }

  return { pool: POOL, apply, queries, record, log, intake, clock, next: () => next, agencyNet };
}

export type PipelineWorld = ReturnType<typeof pipelineWorld>;
