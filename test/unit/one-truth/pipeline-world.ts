/**
 * The pipeline a treasurer, finance and ops touch, on the in-memory fakes: payroll files through the
 * real intake use cases (split-payroll-file, then ingest-deductions for every chunk it queued), monthly
 * runs through allocate-pool (apportioning each month at its end, as writeOutputs does), worker exits,
 * and the finance queries every view is read from. Time is one settable clock for all of them.
 *
 * A replacement that removes or lowers a donor row is held (PENDING_CONFIRMATION) until a person
 * decides: `confirm` and `withdraw` go through the real decide use case, and the file it hands back is
 * delivered to the splitter as the payroll-files queue would. Beside the fakes the world keeps its own
 * model of each agency month (the rows the applied files mean, a koreksi merged into them) and the sum
 * of the deltas the outcomes said they applied, for the oracle to hold the ledger to.
 *
 * The steps are data (`Action`), so a property can generate them: a new kind of step is one more
 * member of `Action`, one more arm of `actionArb` and one more case in `apply`.
 */
import fc from 'fast-check';
import { ConflictError } from '#domain/errors.ts';
import type { AgencyCode, Period } from '#domain/model.ts';
import { addMonths, jakartaInstant } from '#domain/period.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { CoverageStore } from '#domain/ports/allocation/coverage-store.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { PendingChange } from '#domain/ports/file-registry.ts';
import type { AllocationReader, CreditSummary, DeductionRow, LedgerReader } from '#domain/ports/finance.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import type { ShareReader, ShareStore } from '#domain/ports/shares.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import { makeAreaQueries, makeWritePoolMonthSummary } from '#shared/use-cases/area-views.ts';
import { makeApportionMonth } from '#shared/use-cases/finance/apportion.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { makeIngestDeductions } from '#shared/use-cases/ingest-deductions.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { payrollKey } from '#shared/use-cases/intake/intake-key.ts';
import { makeSplitPayrollFile, type SplitOutcome } from '#shared/use-cases/intake/split-payroll-file.ts';
import {
  InMemoryAllocationLog,
  InMemoryCoverageStore,
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';
import { InMemoryAreaSummaries } from '#test/support/in-memory-area-summaries.ts';
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
 * bytes again, at the key they were sent to), `add` (one donor more or a raised row), `remove` (one
 * donor fewer or a lowered row: held for confirmation), `rejected` (no readable row), `koreksi` (a
 * correction-only file under `koreksi/`: one or two listed donors, a 0 removes one).
 * `confirm` / `withdraw`: a person decides on one of the versions still held (`pick` chooses which).
 */
export type Action =
  | {
      readonly t: 'upload';
      readonly agency: (typeof AGENCIES)[number];
      readonly late: 0 | 1 | 2;
      readonly variant: 'new' | 'duplicate' | 'add' | 'remove' | 'rejected' | 'koreksi';
      readonly pick: number;
    }
  | { readonly t: 'confirm' | 'withdraw'; readonly pick: number }
  | { readonly t: 'allocate' }
  | { readonly t: 'exit'; readonly worker: number };

/** Step generator: one more kind of step is one more arm. */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 8,
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
        'koreksi' as const,
      ),
      pick: fc.nat(63),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('confirm' as const), pick: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const), pick: fc.nat(7) }) },
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

/** An agency month as the model holds it: NIP -> rupiah. */
export type MonthRows = ReadonlyMap<string, number>;

/**
 * What one intake step did, for the oracle: an upload, or a decision on a held version followed by the
 * splitter's outcome of the file handed back (no outcome when the decision was refused).
 */
export type UploadResult = {
  readonly step: 'upload' | 'confirm' | 'withdraw';
  readonly outcome?: SplitOutcome;
  /** A refused decision: the ConflictError's code. */
  readonly refused?: string;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly mode: 'REPLACE' | 'CORRECTION';
  /** Ledger net of the agency's period before and after. */
  readonly before: number;
  readonly after: number;
  /** The head's active version before and after. */
  readonly headBefore?: string;
  readonly headAfter?: string;
  /** The model's month before the step. */
  readonly modelBefore: MonthRows;
  /** The month the file means (a koreksi merged into the model's month); undefined: no readable row. */
  readonly meant?: MonthRows;
  /** A koreksi: the rupiah of the rows it lists. */
  readonly listed?: number;
  /** An upload of bytes already uploaded at the same key. */
  readonly again?: boolean;
  /** confirm / withdraw: the difference the person was shown, and whether it was still in time. */
  readonly shown?: PendingChange;
  readonly inTime?: boolean;
};

/** A version the model knows to be held, waiting for a person. */
type Held = {
  readonly fileId: string;
  readonly period: Period;
  readonly agency: AgencyCode;
  readonly mode: 'REPLACE' | 'CORRECTION';
  readonly meant: MonthRows;
  /** A koreksi: the rupiah of the rows it lists. */
  readonly listed?: number;
  readonly pending: PendingChange;
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
    writeOutputs: async (run) => {
      await apportion({ pool: run.pool, month: run.month });
      await writePoolMonth(run);
    },
  });
  const queries = makeFinanceQueries({
    allocations,
    ledger: reader,
    credits: ledger,
    pools,
    clock,
    shares: backend.shares,
  });
  // The area views as the finance API wires them: month summaries written at each run's end, pending
  // corrections read per pool at query time.
  const summaries = new InMemoryAreaSummaries();
  const writePoolMonth = makeWritePoolMonthSummary({ log, summaries, clock });
  const areas = makeAreaQueries({
    summaries,
    pendingCorrections: async (pool) => (await queries.balance({ pool })).pendingCorrections,
  });
  const requeued: Omit<ObjectRef, 'bucket'>[] = [];
  const decide = makeDecidePending({
    files: intake.files,
    objects: intake.objects,
    intakeBucket: INTAKE_BUCKET,
    clock,
    requeue: { requeue: async (ref) => void requeued.push(ref) },
  });
  /** The key and bytes last uploaded per agency+period (any status). */
  const lastUpload = new Map<string, { key: string; text: string }>();
  const uploaded = new Set<string>();
  /** The model: each agency month as the applied files mean it, and Σ of the deltas outcomes applied. */
  const model = new Map<string, Map<string, number>>();
  const applied = new Map<string, number>();
  /** Versions held for a person, in the order they were held. */
  let held: Held[] = [];
  let next: Period = FIRST;
  let queued = 0;
  let sequencer = 0;

  const agencyNet = (period: Period, agency: AgencyCode) =>
    [...record.chunks.values()]
      .filter((c) => c.chunk.period === period && c.chunk.agency === agency)
      .reduce((s, c) => s + c.chunk.entries.reduce((t, e) => t + e.amount, 0), 0);
  const monthOf = (period: Period, agency: AgencyCode) => model.get(`${period}#${agency}`) ?? new Map();
  const headOf = async (period: Period, agency: AgencyCode) =>
    (await intake.files.getHead(POOL, period, agency))?.activeFileId;

  /** Every chunk the splitter queued reaches the ledger (the deductions queue and its consumer). */
  async function drain(): Promise<void> {
    for (const chunk of intake.queue.sent.slice(queued)) await ingest(chunk);
    queued = intake.queue.sent.length;
  }

  /** The model follows an outcome: an applied version becomes the month, a held one waits. */
  function follow(
    outcome: SplitOutcome,
    period: Period,
    agency: AgencyCode,
    meant: MonthRows | undefined,
    h?: Held,
    listed?: number,
  ) {
    const k = `${period}#${agency}`;
    const ofMonth = (x: Held) => x.period === period && x.agency === agency;
    if (outcome.status === 'ACCEPTED' || outcome.status === 'PARTIALLY_REJECTED') {
      model.set(k, new Map(h?.meant ?? meant ?? []));
      applied.set(k, (applied.get(k) ?? 0) + (outcome.delta ?? 0));
      // Applying a version expires every other proposal of the month.
      held = held.filter((x) => !ofMonth(x));
    } else if (
      outcome.status === 'PENDING_CONFIRMATION' &&
      outcome.pending !== undefined &&
      meant !== undefined
    ) {
      // A newer proposal expires the older ones; the same one again stays as it was.
      if (!held.some((x) => x.fileId === outcome.fileId))
        held = [
          ...held.filter((x) => !ofMonth(x)),
          {
            fileId: outcome.fileId,
            period,
            agency,
            mode: outcome.mode === 'CORRECTION' ? 'CORRECTION' : 'REPLACE',
            meant,
            ...(listed === undefined ? {} : { listed }),
            pending: outcome.pending,
          },
        ];
    } else if (outcome.status === 'EXPIRED' || outcome.status === 'WITHDRAWN')
      held = held.filter((x) => x.fileId !== outcome.fileId);
    else if (
      h === undefined &&
      ((outcome.status === 'REJECTED' && outcome.rejectReason === undefined) ||
        (outcome.status === 'DUPLICATE' && outcome.duplicateOf !== outcome.fileId))
    )
      // A later upload of the month that changes nothing (every row rejected, or the active content
      // again under a new upload) still expires the proposals waiting: it is what the treasurer now means.
      held = held.filter((x) => !ofMonth(x));
  }

  async function upload(a: Extract<Action, { t: 'upload' }>): Promise<UploadResult | undefined> {
    const period = addMonths(next, -a.late);
    if (period < FIRST) return undefined;
    const month = `${period}#${a.agency}`;
    const donors = donorsOf(a.agency);
    const active = monthOf(period, a.agency);
    const plainKey = `incoming/payroll/${POOL}/${period}/${a.agency}.csv`;
    const csv = (rows: Map<number, number>) =>
      payrollCsv(
        period,
        [...rows].sort(([x], [y]) => x - y).map(([n, amt]) => ({ nip: nipOf(n), amount: amt })),
      );
    let key = plainKey;
    let text: string | undefined;
    let mode: 'REPLACE' | 'CORRECTION' = 'REPLACE';
    const d = donors[a.pick % donors.length] ?? 0;
    const amount = AMOUNTS[a.pick % AMOUNTS.length] ?? 16_800;
    const byNip = new Map([...active].map(([nip, amt]) => [donors.find((i) => nipOf(i) === nip) ?? 0, amt]));
    if (a.variant === 'duplicate') {
      const last = lastUpload.get(month);
      if (last === undefined) return undefined;
      key = last.key;
      text = last.text;
      if (key !== plainKey) mode = 'CORRECTION';
    } else if (a.variant === 'rejected') {
      text = payrollCsv(period, [{ nip: nipOf(donors[0] ?? 0), amount: 'dua puluh ribu' }]);
    } else if (a.variant === 'koreksi') {
      mode = 'CORRECTION';
      key = payrollKey(POOL, period, a.agency, 'csv', { mode: 'CORRECTION' });
      const listed = new Map([[d, (a.pick >> 2) & 1 ? 0 : amount]]);
      const other = donors[(a.pick >> 3) % donors.length] ?? d;
      if (a.pick & 32 && other !== d) listed.set(other, AMOUNTS[(a.pick >> 1) % AMOUNTS.length] ?? 20_000);
      text = csv(listed);
    } else {
      let rows = new Map(byNip);
      if (active.size === 0 || a.variant === 'new') {
        rows = new Map(donors.filter((_, i) => (a.pick >> i) & 1 || i === 0).map((n) => [n, amount]));
      } else if (a.variant === 'add') {
        rows.set(d, (rows.get(d) ?? 0) + 20_000);
      } else if (rows.size > 1 && rows.has(d)) rows.delete(d);
      else rows.set([...rows.keys()][0] ?? d, 16_800);
      text = csv(rows);
    }
    // What the file means for the month, read from its own rows (the model's parse, not the product's).
    const listedRows = new Map<string, number>();
    for (const line of text.split('\r\n').slice(1)) {
      const [nip, , , amt] = line.split(';');
      if (nip && /^\d+$/.test(amt ?? '')) listedRows.set(nip, Number(amt));
    }
    let meant: Map<string, number> | undefined;
    if (listedRows.size > 0 && mode === 'CORRECTION') {
      meant = new Map(active);
      for (const [nip, amt] of listedRows)
        if (amt === 0) meant.delete(nip);
        else meant.set(nip, amt);
    } else if (listedRows.size > 0) meant = listedRows;
    const before = agencyNet(period, a.agency);
    const headBefore = await headOf(period, a.agency);
    tick();
    const again = uploaded.has(`${key}\n${text}`);
    uploaded.add(`${key}\n${text}`);
    await intake.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    sequencer += 1;
    const upload = String(sequencer).padStart(18, '0');
    const outcome = await split({ bucket: INTAKE_BUCKET, key, upload });
    await drain();
    lastUpload.set(month, { key, text });
    const listed = mode === 'CORRECTION' ? [...listedRows.values()].reduce((s, x) => s + x, 0) : undefined;
    follow(outcome, period, a.agency, meant, undefined, listed);
    const headAfter = await headOf(period, a.agency);
    return {
      step: 'upload',
      outcome,
      period,
      agency: a.agency,
      mode,
      before,
      after: agencyNet(period, a.agency),
      ...(headBefore === undefined ? {} : { headBefore }),
      ...(headAfter === undefined ? {} : { headAfter }),
      modelBefore: active,
      ...(meant === undefined ? {} : { meant }),
      ...(listed === undefined ? {} : { listed }),
      again,
    };
  }

  /**
   * A person decides on a held version through the decide use case; the file it hands back reaches the
   * splitter as the payroll-files queue would deliver it, and what that queues reaches the ledger.
   */
  async function decideOn(
    a: Extract<Action, { t: 'confirm' | 'withdraw' }>,
  ): Promise<UploadResult | undefined> {
    const h = held[a.pick % Math.max(held.length, 1)];
    if (h === undefined) return undefined;
    const { period, agency } = h;
    const before = agencyNet(period, agency);
    const headBefore = await headOf(period, agency);
    const modelBefore = monthOf(period, agency);
    tick();
    const inTime = clock.now().toISOString() <= h.pending.expiresAt;
    const common = {
      step: a.t,
      period,
      agency,
      mode: h.mode,
      before,
      ...(headBefore === undefined ? {} : { headBefore }),
      modelBefore,
      meant: h.meant,
      ...(h.listed === undefined ? {} : { listed: h.listed }),
      shown: h.pending,
      inTime,
    } as const;
    try {
      await decide({
        fileId: h.fileId,
        action: a.t === 'confirm' ? 'CONFIRM' : 'WITHDRAW',
        by: 'bendahara',
        ...(a.t === 'withdraw' ? { reason: 'salah kirim' } : {}),
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      held = held.filter((x) => x !== h);
      const headAfter = await headOf(period, agency);
      return {
        ...common,
        refused: error.code ?? 'CONFLICT',
        after: agencyNet(period, agency),
        ...(headAfter === undefined ? {} : { headAfter }),
      };
    }
    const ref = requeued.shift();
    if (ref === undefined) throw new Error(`decision on ${h.fileId} handed nothing back`);
    const outcome = await split({ bucket: INTAKE_BUCKET, ...ref });
    await drain();
    follow(outcome, period, agency, undefined, h);
    // Whatever the splitter said, the person's decision has been taken: the model holds it no more.
    held = held.filter((x) => x !== h);
    const headAfter = await headOf(period, agency);
    return {
      ...common,
      outcome,
      after: agencyNet(period, agency),
      ...(headAfter === undefined ? {} : { headAfter }),
    };
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
      case 'confirm':
      case 'withdraw':
        return decideOn(a);
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

  return {
    pool: POOL,
    apply,
    queries,
    areas,
    record,
    log,
    intake,
    clock,
    next: () => next,
    agencyNet,
    /** The model's agency months and the Σ of applied deltas per `period#agency`. */
    model: model as ReadonlyMap<string, MonthRows>,
    applied: applied as ReadonlyMap<string, number>,
  };
}

export type PipelineWorld = ReturnType<typeof pipelineWorld>;
