/**
 * The invariants of docs/design.md#rules-that-always-hold, judged after each phase of a simulated month: the pipeline's state
 * (observe.ts) against the independent model (model.ts). Each function returns human-readable
 * violations; an empty list means the invariant held.
 */
import type { Period } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { MonthOutcome, PoolModel } from './model.ts';
import type { AllocationView, LedgerView } from './observe.ts';
import type { PoisonPlan, Scenario, Upload } from './scenario.ts';

const rp = (n: number) => `Rp${n}`;

/** Every valid row counted once: the ledger's net credit per period+agency and grants equal the model's. */
export function checkCredits(model: PoolModel, ledger: LedgerView): string[] {
  const out: string[] = [];
  const expected = model.creditsByAgency();
  for (const key of new Set([...expected.keys(), ...ledger.byAgency.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = ledger.byAgency.get(key) ?? 0;
    if (want !== got) out.push(`credits ${key}: ledger ${rp(got)}, model ${rp(want)}`);
  }
  const grants = [...model.grants.values()].reduce((s, g) => s + g.amount, 0);
  if (grants !== ledger.grants) out.push(`grants: ledger ${rp(ledger.grants)}, model ${rp(grants)}`);
  return out;
}

/** Funding decisions, one payment per worker per month, and conservation to the rupiah. */
export function checkAllocations(model: PoolModel, outcome: MonthOutcome, view: AllocationView): string[] {
  const out: string[] = [];
  const month = outcome.month;
  const entries = view.entries.filter((e) => e.month === month);
  const byNik = new Map<string, (typeof entries)[number]>();
  for (const e of entries) {
    if (byNik.has(e.nik)) out.push(`${month}: worker …${e.nik.slice(-4)} funded twice`);
    byNik.set(e.nik, e);
  }
  for (const [nik, f] of outcome.funded) {
    const e = byNik.get(nik);
    if (!e)
      out.push(
        `${month}: model funds …${nik.slice(-4)} (${f.priority} ${rp(f.amount)}), the pipeline did not`,
      );
    else if (e.amount !== f.amount || e.priority !== f.priority)
      out.push(
        `${month}: …${nik.slice(-4)} pipeline ${e.priority} ${rp(e.amount)}, model ${f.priority} ${rp(f.amount)}`,
      );
  }
  for (const e of entries)
    if (!outcome.funded.has(e.nik))
      out.push(`${month}: pipeline funds …${e.nik.slice(-4)} (${e.priority}), the model does not`);

  const runs = view.runs.filter((r) => r.month === month);
  const open = runs.filter((r) => r.status === 'RUNNING');
  if (runs.length === 0) out.push(`${month}: no allocation run`);
  if (open.length > 0) out.push(`${month}: ${open.length} run(s) left RUNNING`);
  const completed = runs.filter((r) => r.status === 'COMPLETED');
  const byRun = new Map<string, number>();
  for (const e of entries) byRun.set(e.runId, (byRun.get(e.runId) ?? 0) + e.amount);
  // An operator-aborted run's committed chunks are money too: its log entries are what its cursor counts.
  for (const r of runs.filter((x) => x.status !== 'RUNNING')) {
    const logged = byRun.get(r.runId) ?? 0;
    if (logged !== r.cursor.allocated)
      out.push(`${r.runId}: run says ${rp(r.cursor.allocated)} allocated, log holds ${rp(logged)}`);
  }
  const first = runs[0];
  const last = completed.at(-1);
  if (first && first.available !== outcome.available)
    out.push(`${month}: run available ${rp(first.available)}, model ${rp(outcome.available)}`);
  if (last && last.available - last.cursor.allocated !== outcome.closing)
    out.push(
      `${month}: closing balance ${rp(last.available - last.cursor.allocated)}, model ${rp(outcome.closing)}`,
    );
  const allLogged = view.entries.reduce((s, e) => s + e.amount, 0);
  if (allLogged !== model.allocated)
    out.push(`Σ allocations: log ${rp(allLogged)}, model ${rp(model.allocated)}`);
  return out;
}

/**
 * Coverage = bill (docs/design.md#rules-that-always-hold): a worker-month counts as paid in coverage if
 * and only if it is on the bill of a completed run. The workers whose coverage says paid for `month`,
 * the month's allocation log and the BPJS bill written in the reports bucket list the same workers.
 */
export function checkCoverageBilled(
  month: Period,
  coverage: { readonly paid: readonly string[]; readonly billed: readonly string[] | undefined },
  view: AllocationView,
): string[] {
  const out: string[] = [];
  const logged = new Set(view.entries.filter((e) => e.month === month).map((e) => e.nik));
  const paid = new Set(coverage.paid);
  const tail = (nik: string) => `…${nik.slice(-4)}`;
  for (const nik of paid)
    if (!logged.has(nik)) out.push(`${month}: ${tail(nik)} paid in coverage, not allocated`);
  for (const nik of logged)
    if (!paid.has(nik)) out.push(`${month}: ${tail(nik)} allocated, not paid in coverage`);
  if (coverage.billed === undefined) return out; // reported by checkMonthDone
  const billed = new Set(coverage.billed);
  for (const nik of paid)
    if (!billed.has(nik)) out.push(`${month}: ${tail(nik)} paid in coverage, not on the bill`);
  for (const nik of billed)
    if (!paid.has(nik)) out.push(`${month}: ${tail(nik)} on the bill, not paid in coverage`);
  return out;
}

/**
 * docs/design.md#every-month-completes: every run of month M is COMPLETED with its BPJS bill and reconciliation written
 * (recorded on the run, and the objects there) before the 15th of M, Asia/Jakarta; so no worker's month
 * is marked paid by a run that had not finished by the due date.
 */
export function checkMonthDone(
  month: Period,
  runs: readonly RunRecord[],
  outputs: { readonly bill: boolean; readonly reconciliation: boolean },
  due: Date,
): string[] {
  const out: string[] = [];
  const ofMonth = runs.filter((r) => r.month === month);
  if (ofMonth.length === 0) return out; // reported by checkAllocations
  for (const r of ofMonth) {
    if (r.status !== 'COMPLETED') continue; // reported by checkAllocations
    if (r.outputsAt === undefined) out.push(`${r.runId}: completed without its outputs recorded`);
    for (const [what, at] of [
      ['completed', r.completedAt],
      ['outputs', r.outputsAt],
    ] as const)
      if (at !== undefined && Date.parse(at) >= due.getTime())
        out.push(`${r.runId}: ${what} at ${at}, not before the due date ${due.toISOString()}`);
  }
  if (!outputs.bill) out.push(`${month}: no BPJS bill in the reports bucket`);
  if (!outputs.reconciliation) out.push(`${month}: no reconciliation in the reports bucket`);
  return out;
}

/** UNFUNDED / LAPSED alerts of month M: exactly the active workers the model left unfunded. */
export function checkRunAlerts(pool: string, outcome: MonthOutcome, alertIds: readonly string[]): string[] {
  const out: string[] = [];
  const want = new Set(
    [...outcome.unfunded].map(
      ([nik, unpaid]) => `${unpaid >= 3 ? 'LAPSED' : 'UNFUNDED'}#${pool}#${nik}#${outcome.month}`,
    ),
  );
  const got = new Set(
    alertIds.filter(
      (id) => (id.startsWith('UNFUNDED#') || id.startsWith('LAPSED#')) && id.endsWith(`#${outcome.month}`),
    ),
  );
  for (const id of want) if (!got.has(id)) out.push(`alert missing: ${id.replace(/\d{12}(\d{4})/, '…$1')}`);
  for (const id of got)
    if (!want.has(id)) out.push(`alert not expected: ${id.replace(/\d{12}(\d{4})/, '…$1')}`);
  return out;
}

export function checkDigests(date: string, digests: readonly { pool: string }[]): string[] {
  const perPool = new Map<string, number>();
  for (const d of digests) perPool.set(d.pool, (perPool.get(d.pool) ?? 0) + 1);
  return [...perPool].filter(([, n]) => n > 1).map(([pool, n]) => `${date}: ${n} digests for pool ${pool}`);
}

/** Every invalid row in a report, and nothing else: planted rows per payroll key, none elsewhere. */
export function checkReports(
  scenario: Scenario,
  delivered: readonly Upload[],
  reports: readonly { key: string; rows: { line: number; reason: string }[] }[],
): string[] {
  const out: string[] = [];
  const pool = scenario.pool;
  const want = new Map<string, Set<string>>();
  for (const u of delivered) {
    if (u.kind !== 'payroll') continue;
    const prefix = `reports/rejections/${pool}/${u.period}/${u.agency}/`;
    const set = want.get(prefix) ?? new Set<string>();
    for (const p of u.planted) set.add(`${p.line}:${p.reason}`);
    want.set(prefix, set);
  }
  const got = new Map<string, Set<string>>();
  for (const r of reports) {
    const prefix = r.key.slice(0, r.key.lastIndexOf('/') + 1);
    const set = got.get(prefix) ?? new Set<string>();
    for (const row of r.rows) set.add(`${row.line}:${row.reason}`);
    got.set(prefix, set);
  }
  for (const prefix of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(prefix) ?? new Set();
    const g = got.get(prefix) ?? new Set();
    if (!want.has(prefix) && g.size === 0) continue; // workers/grants reports with nothing rejected
    if (!got.has(prefix)) {
      out.push(`no rejection report under ${prefix}`);
      continue;
    }
    for (const x of w) if (!g.has(x)) out.push(`${prefix}: bad row ${x} not reported`);
    for (const x of g) if (!w.has(x)) out.push(`${prefix}: reported ${x}, not a planted bad row`);
  }
  return out;
}

/** Row level: per donor, the ledger's deduction and correction rows net to the current file's amount. */
export function checkDonorRows(
  key: string,
  want: ReadonlyMap<string, number>,
  got: ReadonlyMap<string, number>,
): string[] {
  const out: string[] = [];
  for (const nip of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(nip) ?? 0;
    const g = got.get(nip) ?? 0;
    if (w !== g) out.push(`${key}: donor …${nip.slice(-4)} ledger rows ${rp(g)}, file ${rp(w)}`);
  }
  return out;
}

/** Nothing in flight but the known poison messages, each in its DLQ once. */
export function checkDlqs(
  poison: readonly PoisonPlan[],
  seen: readonly { queue: string; body: string }[],
): string[] {
  const out: string[] = [];
  const want = poison.map((p) => `${p.queue}:${p.body}`).sort();
  const got = seen.map((s) => `${s.queue}:${s.body}`).sort();
  for (const x of got) if (!want.includes(x)) out.push(`unexpected DLQ message: ${x.slice(0, 160)}`);
  for (const x of want) if (!got.includes(x)) out.push(`poison message not in its DLQ: ${x}`);
  return out;
}

/** Full NIK/NIP/names must never appear in logs, SNS digests or alert lists. */
export function checkPersonalData(
  scenario: Scenario,
  sources: readonly { name: string; text: string }[],
): string[] {
  const needles = new Set<string>();
  for (const w of scenario.region.workers) {
    needles.add(w.nik);
    if (w.name.length >= 6) needles.add(w.name);
  }
  for (const d of scenario.region.donors) {
    needles.add(d.nip);
    if (d.name.length >= 6) needles.add(d.name);
  }
  const out: string[] = [];
  for (const s of sources) {
    for (const n of needles) {
      const at = s.text.indexOf(n);
      if (at >= 0) {
        const kind = /^\d+$/.test(n) ? (n.length === 16 ? 'NIK' : 'NIP') : 'name';
        out.push(
          `personal data (${kind}) in ${s.name}: …${s.text.slice(Math.max(0, at - 60), at).replace(/\s+/g, ' ')}<${kind}>`,
        );
        break;
      }
    }
  }
  return out;
}

export const monthsOf = (s: Scenario): Period[] => s.months.map((m) => m.period);
