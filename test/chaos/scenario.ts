/**
 * One chaos seed as data: a small synthetic region (shared/demo generator), the files of each
 * simulated month split into the three phases of a month (intake before the run on the 10th, the
 * allocation run, after the run), and the faults planned for it. Pure: the same seed gives the same
 * scenario, byte for byte, so a failing seed replays.
 *
 * The valid rows of every payroll file version are derived here from the generator's ground truth
 * (its donors, its planted bad rows, its correction), never by parsing the files with production code,
 * and checked against the generator's own per-agency totals.
 */
import type { Period, Rupiah } from '#domain/model.ts';
import { addMonths } from '#domain/period.ts';
import { csvText, EXCEL_ID, PLAIN } from '#shared/demo/csv-text.ts';
import { makeRng, type Rng, shuffled } from '#shared/demo/prng.ts';
import {
  type BadRowReason,
  type FileDrop,
  generateSyntheticRegion,
  type SyntheticRegion,
  type SyntheticWorker,
} from '#shared/demo/synthetic-region.ts';

export type ValidRow = {
  readonly nip: string;
  readonly name: string;
  readonly amount: Rupiah;
  readonly workerNik?: string;
};
export type PlantedRow = { readonly line: number; readonly reason: BadRowReason };

export type Upload =
  | {
      readonly kind: 'payroll';
      readonly key: string;
      readonly body: string;
      readonly period: Period;
      readonly agency: string;
      readonly valid: readonly ValidRow[];
      readonly planted: readonly PlantedRow[];
      readonly label: string;
    }
  | {
      readonly kind: 'workers';
      readonly key: string;
      readonly body: string;
      readonly enrolls: readonly SyntheticWorker[];
      readonly exits: readonly { readonly nik: string; readonly on: string }[];
      readonly label: string;
    }
  | {
      readonly kind: 'grants';
      readonly key: string;
      readonly body: string;
      readonly grants: readonly {
        readonly reference: string;
        readonly period: Period;
        readonly amount: Rupiah;
      }[];
      readonly label: string;
    };

/** An upload and how many times its object is put (each put is one more S3 event). */
export type Put = { readonly upload: Upload; readonly copies: number };

export type Phase = 'INTAKE' | 'ALLOCATION' | 'AFTER';

export type MonthPlan = {
  readonly index: number;
  readonly period: Period;
  /** Groups put one after the other; the puts inside a group go out shuffled and concurrently. */
  readonly intake: readonly (readonly Put[])[];
  /** Whether to wait for the pipeline to settle between intake groups. */
  readonly settleBetweenGroups: boolean;
  /** Times the monthly schedule fires (EventBridge may fire twice). */
  readonly scheduleFires: number;
  /** Extra ALLOCATE invocations started concurrently with the queued ones. */
  readonly overlappingRuns: number;
  readonly scanFires: number;
  /** A second, later occurrence of the monthly schedule (another cause, no new money). */
  readonly lateFanOut: boolean;
  /** An operator's abort of the month's run, this long after the schedule fired (ms), or none. */
  readonly operatorAbortAfterMs: number | undefined;
  readonly after: readonly (readonly Put[])[];
};

export type PoisonPlan = {
  readonly queue: 'payrollFiles' | 'deductions' | 'allocationJobs';
  readonly body: string;
};

export type Scenario = {
  readonly seed: number;
  readonly region: SyntheticRegion;
  readonly pool: string;
  readonly months: readonly MonthPlan[];
  readonly restart: { readonly month: number; readonly before: Phase };
  readonly poison: readonly PoisonPlan[];
  /** Probability that a handler invocation crashes at a random write point. */
  readonly crashProbability: number;
  /** The pool's commitment horizon H (docs/design.md#sustainable-admission, per pool): short ones run the pool dry. */
  readonly horizonMonths: number;
  /** Payroll files that never arrive (an agency silent for a month), as `<period>#<agency>`. */
  readonly missing: readonly string[];
  /**
   * Payroll files that arrive after their month's run (day 20), as `<period>#<agency>`: their money and
   * their donors' earmarks reach the next run (docs/design.md#earmarks-travel-with-the-money).
   */
  readonly late: readonly string[];
};

const HEADER = ['nip', 'nama', 'periode', 'jumlah', 'nik_pekerja'];
const WORKER_HEADER = ['nik', 'nama', 'kpj', 'paket', 'pekerjaan', 'tanggal_daftar'];
const PLEDGES = [10_000, 16_800, 20_000, 25_000, 36_800, 50_000];

const groupOf = (intake: Upload[][][], month: number, group: number): Upload[] => {
  const list = intake[month]?.[group];
  if (list === undefined) throw new RangeError(`no intake group ${group} in month ${month}`);
  return list;
};

const dayOf = (drop: FileDrop): number => Number(drop.deliverOn.slice(8, 10));

export function buildScenario(seed: number): Scenario {
  const rng = makeRng(seed);
  const shape = rng.fork('shape');
  const monthsCount = shape.int(3, 5);
  const region = generateSyntheticRegion({
    seed,
    months: monthsCount,
    startPeriod: `2026-${String(shape.int(1, 9)).padStart(2, '0')}`,
    agencies: shape.int(3, 6),
    donors: shape.int(30, 90),
    workers: shape.int(40, 160),
  });
  const current = new Map<string, Extract<Upload, { kind: 'payroll' }>>();
  const gaps = rng.fork('gaps');
  const missing = new Set<string>();
  for (let i = 1; i < monthsCount; i++) {
    if (!gaps.chance(0.35)) continue;
    const agency = gaps.pick(region.agencies).code;
    if (region.expected.correction?.key.includes(`/${region.periods[i]}/${agency}.csv`)) continue;
    missing.add(`${region.periods[i]}#${agency}`);
  }
  // Drawn from their own stream, so adding them left every earlier draw of a seed as it was. One agency
  // is late, often several months running, and preferably one whose donors name workers: a late file's
  // earmark then matters (the next month's file, which would name the worker again, is not in yet).
  const lateRng = rng.fork('late-files');
  const late = new Set<string>();
  const naming = region.agencies.filter((a) => region.donors.some((d) => d.agency === a.code && d.workerNik));
  const lateAgency = lateRng.pick(naming.length > 0 ? naming : region.agencies).code;
  for (let i = 0; i < monthsCount - 1; i++) {
    if (!lateRng.chance(0.6)) continue;
    const period = region.periods[i] as Period;
    const agency = lateAgency;
    if (missing.has(`${period}#${agency}`)) continue;
    if (region.expected.correction?.key.includes(`/${period}/${agency}.csv`)) continue;
    late.add(`${period}#${agency}`);
  }
  const intake: Upload[][][] = region.periods.map(() => [[], []]);
  const after: Upload[][] = region.periods.map(() => []);

  for (const [i, month] of region.months.entries()) {
    for (const drop of month.drops) {
      if (drop.kind === 'workers' && drop.key.includes('/keluar-')) continue; // exits come from exitFile below
      const upload = uploadOf(region, drop, current);
      if (upload.kind === 'payroll' && missing.has(`${upload.period}#${upload.agency}`)) continue;
      if (upload.kind === 'payroll') current.set(upload.key, upload);
      const isLate = upload.kind === 'payroll' && late.has(`${upload.period}#${upload.agency}`);
      // Files after the 10th arrive once the month's run is done; a same-key correction goes second.
      if (dayOf(drop) >= 10 || isLate) (after[i] as Upload[]).push(upload);
      else {
        const groups = intake[i] as Upload[][];
        const second = upload.kind === 'payroll' && groups[0]?.some((u) => u.key === upload.key);
        (groups[second ? 1 : 0] as Upload[]).push(upload);
      }
    }
    if (i === 0) continue;
    const fix = rng.fork(`correction-${i}`);
    if (!fix.chance(0.6)) continue;
    // A file of an already allocated month comes back: identical first (a no-op), then corrected.
    const past = [...current.values()].filter((u) => u.period < (region.periods[i] as Period));
    const target = past.length > 0 ? fix.pick(past) : undefined;
    if (target === undefined || target.valid.length < 2) continue;
    const corrected = correctedVersion(fix, target);
    groupOf(intake, i, 0).push({ ...target, label: `re-upload ${target.label}` });
    groupOf(intake, i, 1).push(corrected);
    current.set(corrected.key, corrected);
  }

  const extras = rng.fork('extras');
  const exitMonth = extras.int(1, monthsCount - 1);
  const exits = exitFile(extras, region, exitMonth);
  if (exits) groupOf(intake, exitMonth, 0).push(exits);
  if (extras.chance(0.6)) {
    const at = extras.int(0, monthsCount - 1);
    groupOf(intake, at, 0).push(grantFile(extras, seed, region, monthsCount));
  }

  const faults = rng.fork('faults');
  // Drawn from their own stream, so adding them left every earlier seed's scenario as it was.
  const liveness = rng.fork('liveness');
  const aborts = rng.fork('aborts');
  const copies = (u: Upload): Put => ({ upload: u, copies: faults.int(1, 3) });
  const months: MonthPlan[] = region.periods.map((period, index) => ({
    index,
    period,
    intake: (intake[index] ?? []).filter((g) => g.length > 0).map((g) => shuffled(faults, g).map(copies)),
    settleBetweenGroups: faults.chance(0.5),
    scheduleFires: faults.int(1, 3),
    overlappingRuns: faults.chance(0.5) ? 2 : 0,
    scanFires: faults.int(1, 2),
    lateFanOut: liveness.chance(0.3),
    operatorAbortAfterMs: aborts.chance(0.35) ? aborts.int(0, 600) : undefined,
    after: (after[index] ?? []).length > 0 ? [shuffled(faults, after[index] ?? []).map(copies)] : [],
  }));
  const poisons: PoisonPlan[] = [
    { queue: 'payrollFiles', body: 'this is not an S3 event' },
    { queue: 'deductions', body: JSON.stringify({ chunkId: 42, entries: 'many' }) },
    { queue: 'allocationJobs', body: JSON.stringify({ kind: 'ALLOCATE_EVERYTHING' }) },
  ];
  return {
    seed,
    region,
    pool: region.pool,
    months,
    restart: {
      month: faults.int(1, monthsCount - 1),
      before: faults.pick(['INTAKE', 'ALLOCATION', 'AFTER']),
    },
    poison: [faults.pick(poisons)],
    crashProbability: 0.15,
    horizonMonths: faults.pick([1, 2, 3, 6, 12]),
    missing: [...missing],
    late: [...late],
  };
}

/** Valid rows of one generated drop, from the generator's people and planted rows (not by parsing). */
function uploadOf(
  region: SyntheticRegion,
  drop: FileDrop,
  current: ReadonlyMap<string, Extract<Upload, { kind: 'payroll' }>>,
): Upload {
  if (drop.kind === 'grants') {
    const grants = region.expected.grants.filter((g) => g.key === drop.key);
    return { kind: 'grants', key: drop.key, body: drop.body, grants, label: drop.key };
  }
  if (drop.kind === 'workers') {
    const start = region.periods[0] as Period;
    const month = /pendaftaran-(\d{4}-\d{2})\.csv$/.exec(drop.key)?.[1];
    const enrolls = region.workers.filter((w) =>
      month === undefined ? w.enrolledOn < `${start}-01` : w.enrolledOn.startsWith(month),
    );
    return { kind: 'workers', key: drop.key, body: drop.body, enrolls, exits: [], label: drop.key };
  }
  const [, , , period = '', file = ''] = drop.key.split('/');
  const agency = file.replace(/\.csv$/, '');
  const roster = region.donors
    .filter((d) => d.agency === agency && d.from <= period && period <= d.to)
    .map((d) => ({
      nip: d.nip,
      name: d.name,
      amount: d.amount,
      ...(d.workerNik ? { workerNik: d.workerNik } : {}),
    }));
  const correction = region.expected.correction;
  if (correction?.key === drop.key && current.has(drop.key)) {
    const changed = new Set(correction.changedNips);
    const valid = roster
      .filter((r) => r.nip !== correction.removedNip)
      .map((r) => (changed.has(r.nip) ? { ...r, amount: r.amount === 20_000 ? 25_000 : 20_000 } : r));
    return {
      kind: 'payroll',
      key: drop.key,
      body: drop.body,
      period,
      agency,
      valid,
      planted: [],
      label: `${drop.key} (generator correction)`,
    };
  }
  const bad = region.expected.badRows.filter((b) => b.key === drop.key);
  const invalid = new Set(bad.filter((b) => b.reason !== 'DUPLICATE_ROW').map((b) => b.nip));
  const valid = roster.filter((r) => !invalid.has(r.nip));
  const planted = bad.map((b) => ({ line: b.line, reason: b.reason }));
  return { kind: 'payroll', key: drop.key, body: drop.body, period, agency, valid, planted, label: drop.key };
}

/** The treasurer's late fix of an allocated month: donors removed (sometimes half), amounts changed. */
function correctedVersion(
  rng: Rng,
  base: Extract<Upload, { kind: 'payroll' }>,
): Extract<Upload, { kind: 'payroll' }> {
  const rows = shuffled(rng, [...base.valid]);
  const remove = rng.chance(0.3)
    ? Math.floor(rows.length / 2)
    : rng.int(1, Math.max(1, Math.floor(rows.length / 3)));
  const kept = rows.slice(remove);
  const valid = kept.map((r, i) =>
    i < 2 && rng.chance(0.7) ? { ...r, amount: rng.pick(PLEDGES.filter((p) => p !== r.amount)) } : r,
  );
  const lines = valid.map((r) => [r.nip, r.name, base.period, String(r.amount), r.workerNik ?? '']);
  return {
    ...base,
    body: csvText([HEADER, ...lines], EXCEL_ID),
    valid,
    planted: [],
    label: `${base.key} (late correction)`,
  };
}

function exitFile(rng: Rng, region: SyntheticRegion, index: number): Upload | undefined {
  const start = region.periods[0] as Period;
  const period = region.periods[index] as Period;
  const veterans = region.workers.filter((w) => w.enrolledOn < `${start}-01`);
  const leaving = shuffled(rng, veterans).slice(0, rng.int(1, 3));
  if (leaving.length === 0) return undefined;
  const exits = leaving.map((w) => ({ nik: w.nik, on: `${period}-0${rng.int(1, 9)}` }));
  const rows = leaving.map((w, i) => [
    w.nik,
    w.name,
    w.kpj ?? '',
    w.tier,
    w.occupation,
    w.enrolledOn,
    exits[i]?.on ?? '',
    'pindah domisili',
  ]);
  const key = `incoming/workers/${region.pool}/keluar-chaos-${period}.csv`;
  const body = csvText([[...WORKER_HEADER, 'tanggal_keluar', 'alasan_keluar'], ...rows], PLAIN);
  return { kind: 'workers', key, body, enrolls: [], exits, label: key };
}

function grantFile(rng: Rng, seed: number, region: SyntheticRegion, months: number): Upload {
  const grant = {
    reference: `CHAOS-${seed}-001`,
    period: addMonths(region.periods[0] as Period, rng.int(0, months - 1)),
    amount: rng.int(5, 60) * 50_000,
  };
  const key = `incoming/grants/${region.pool}/chaos-${seed}.csv`;
  const body = csvText(
    [
      ['referensi', 'sumber', 'periode', 'jumlah', 'keterangan'],
      [grant.reference, 'CSR', grant.period, String(grant.amount), 'CSR chaos'],
    ],
    EXCEL_ID,
  );
  return { kind: 'grants', key, body, grants: [grant], label: key };
}

/** The model's valid rows must add up to the generator's own totals, or the model is wrong, not the system. */
export function checkScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const last = new Map<string, Extract<Upload, { kind: 'payroll' }>>();
  for (const m of s.months)
    for (const group of [...m.intake, ...m.after])
      for (const put of group)
        if (
          put.upload.kind === 'payroll' &&
          !put.upload.label.includes('late correction') &&
          !put.upload.label.startsWith('re-upload')
        )
          last.set(put.upload.key, put.upload);
  for (const p of s.region.expected.periods) {
    for (const [agency, total] of Object.entries(p.agencies)) {
      if (s.missing.includes(`${p.period}#${agency}`)) continue;
      const u = [...last.values()].find((v) => v.period === p.period && v.agency === agency);
      const sum = u?.valid.reduce((t, r) => t + r.amount, 0) ?? 0;
      if (u === undefined || u.valid.length !== total.rows || sum !== total.sum)
        problems.push(
          `scenario: ${p.period}/${agency} model ${u?.valid.length ?? 0} rows Rp${sum}, generator ${total.rows} rows Rp${total.sum}`,
        );
    }
  }
  return problems;
}
