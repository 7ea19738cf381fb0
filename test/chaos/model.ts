/**
 * The independent model the chaos simulation checks the pipeline against: docs/design.md#allocation-policy re-implemented
 * plainly, in memory, from the valid rows of the files the simulation delivered. It shares no code with
 * shared/domain/allocation-policy.ts or coverage.ts on purpose: two readings of the same rules that
 * must agree to the rupiah and to the worker.
 */
import type { Period, Rupiah, Tier } from '#domain/model.ts';
import type { Upload, ValidRow } from './scenario.ts';

const RATE: Record<Tier, Rupiah> = { JKK_JKM: 16_800, JKK_JKM_JHT: 36_800 };
const LAPSE_AT = 3;

type Status = 'WAITLISTED' | 'ACTIVE' | 'LAPSED';
type Coverage = { status: Status; paidThrough: Period | undefined; unpaid: number };
type Worker = { nik: string; tier: Tier; enrolledOn: string; exitedOn: string | undefined };

export type Priority = 'EARMARK' | 'ACTIVE' | 'WAITLIST';

export type MonthOutcome = {
  readonly month: Period;
  readonly available: Rupiah;
  /** NIK -> amount and the class it was funded from. */
  readonly funded: ReadonlyMap<string, { amount: Rupiah; priority: Priority }>;
  /** Active workers left unfunded this month, with their unpaid streak after it (3 = lapsed). */
  readonly unfunded: ReadonlyMap<string, number>;
  readonly closing: Rupiah;
};

const prevMonth = (p: Period): Period => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

export class PoolModel {
  /** Current valid rows of each payroll file (by key), with its period and agency. */
  readonly payroll = new Map<string, { period: Period; agency: string; rows: readonly ValidRow[] }>();
  readonly grants = new Map<string, { period: Period; amount: Rupiah }>();
  readonly workers = new Map<string, Worker>();
  readonly coverage = new Map<string, Coverage>();
  readonly outcomes: MonthOutcome[] = [];
  allocated: Rupiah = 0;
  /** Model time: one tick per delivery and per run, so "recorded before that run" is a comparison. */
  private tick = 0;
  /** When each earmark (file key | NIP | NIK) was first named by the file's versions, unbroken since. */
  private readonly earmarkSince = new Map<string, number>();
  /** The tick of each month's run. */
  private readonly ranAt = new Map<Period, number>();

  constructor(private readonly horizonMonths: number) {}

  deliver(upload: Upload): void {
    this.tick += 1;
    if (upload.kind === 'payroll') {
      // A worker a donor keeps naming keeps its date; one named anew (or again after removal) is dated now.
      const named = new Set(
        upload.valid.flatMap((r) => (r.workerNik ? [`${upload.key}|${r.nip}|${r.workerNik}`] : [])),
      );
      for (const k of [...this.earmarkSince.keys()])
        if (k.startsWith(`${upload.key}|`) && !named.has(k)) this.earmarkSince.delete(k);
      for (const k of named) if (!this.earmarkSince.has(k)) this.earmarkSince.set(k, this.tick);
      this.payroll.set(upload.key, { period: upload.period, agency: upload.agency, rows: upload.valid });
    } else if (upload.kind === 'grants') {
      for (const g of upload.grants) if (!this.grants.has(g.reference)) this.grants.set(g.reference, g);
    } else {
      for (const w of upload.enrolls)
        this.workers.set(w.nik, { nik: w.nik, tier: w.tier, enrolledOn: w.enrolledOn, exitedOn: undefined });
      for (const e of upload.exits) {
        const w = this.workers.get(e.nik);
        if (w) w.exitedOn = e.on;
      }
    }
  }

  /** Net payroll credit per period (the current version of every file). */
  payrollOf(period: Period): Rupiah {
    let sum = 0;
    for (const f of this.payroll.values()) if (f.period === period) for (const r of f.rows) sum += r.amount;
    return sum;
  }

  /** Σ credits of periods <= upTo (all periods when absent). */
  credits(upTo?: Period): Rupiah {
    let sum = 0;
    for (const f of this.payroll.values())
      if (upTo === undefined || f.period <= upTo) for (const r of f.rows) sum += r.amount;
    for (const g of this.grants.values()) if (upTo === undefined || g.period <= upTo) sum += g.amount;
    return sum;
  }

  /** Net credit per period+agency, as the ledger must hold it. */
  creditsByAgency(): Map<string, Rupiah> {
    const out = new Map<string, Rupiah>();
    for (const f of this.payroll.values()) {
      const k = `${f.period}#${f.agency}`;
      out.set(k, (out.get(k) ?? 0) + f.rows.reduce((s, r) => s + r.amount, 0));
    }
    return out;
  }

  /** The run for coverage month M, as docs/design.md#allocation-policy words it. */
  run(month: Period): MonthOutcome {
    const available = this.credits(month) - this.allocated;
    let balance = available;

    // C: mean net payroll of the last up-to-3 periods <= M, counted from the first payroll period.
    const payrollPeriods = [...new Set([...this.payroll.values()].map((f) => f.period))]
      .filter((p) => p <= month)
      .sort();
    let cSum = 0;
    let cCount = 0;
    const first = payrollPeriods[0];
    for (let p = month; first !== undefined && cCount < 3 && p >= first; p = prevMonth(p)) {
      cSum += this.payrollOf(p);
      cCount++;
    }

    // Earmarks of M's files, and of earlier periods' files named since the last run of a month in
    // [period, M): a late file's wish travels with its money to the first run that counts it.
    this.tick += 1;
    const earmarked = new Set<string>();
    for (const [key, f] of this.payroll) {
      if (f.period > month) continue;
      let seenAt: number | undefined;
      for (const [m, at] of this.ranAt) if (m >= f.period && m < month) seenAt = Math.max(seenAt ?? at, at);
      for (const r of f.rows) {
        if (!r.workerNik) continue;
        const since = this.earmarkSince.get(`${key}|${r.nip}|${r.workerNik}`) ?? 0;
        if (f.period === month || seenAt === undefined || since > seenAt) earmarked.add(r.workerNik);
      }
    }
    this.ranAt.set(month, this.tick);

    const stateOf = (nik: string): Coverage =>
      this.coverage.get(nik) ?? { status: 'WAITLISTED', paidThrough: undefined, unpaid: 0 };
    // Funded through the month that contains the exit date, never after.
    const eligible = [...this.workers.values()].filter(
      (w) =>
        w.enrolledOn.slice(0, 7) <= month && (w.exitedOn === undefined || w.exitedOn.slice(0, 7) >= month),
    );
    const byQueue = (a: Worker, b: Worker) => cmp(a.enrolledOn, b.enrolledOn) || cmp(a.nik, b.nik);
    const first1 = eligible.filter((w) => earmarked.has(w.nik)).sort(byQueue);
    const second = eligible
      .filter((w) => !earmarked.has(w.nik) && stateOf(w.nik).status === 'ACTIVE')
      .sort((a, b) => {
        const sa = stateOf(a.nik);
        const sb = stateOf(b.nik);
        return sb.unpaid - sa.unpaid || cmp(sa.paidThrough ?? '', sb.paidThrough ?? '') || byQueue(a, b);
      });
    const third = eligible
      .filter((w) => !earmarked.has(w.nik) && stateOf(w.nik).status !== 'ACTIVE')
      .sort(byQueue);

    const funded = new Map<string, { amount: Rupiah; priority: Priority }>();
    const unfunded = new Map<string, number>();
    let need = 0;
    const sustains = (rate: Rupiah): boolean => {
      // available − r + (H−1)·C ≥ (H−1)·(need + r), with C = cSum / cCount, multiplied through by cCount.
      const h = this.horizonMonths - 1;
      if (cCount === 0) return balance - rate >= h * (need + rate);
      return cCount * (balance - rate) + h * cSum >= cCount * h * (need + rate);
    };
    const walk = (list: Worker[], priority: Priority) => {
      for (const w of list) {
        const rate = RATE[w.tier];
        const before = stateOf(w.nik);
        const ok = balance >= rate && (priority !== 'WAITLIST' || sustains(rate));
        if (ok) {
          balance -= rate;
          need += rate;
          funded.set(w.nik, { amount: rate, priority });
          this.coverage.set(w.nik, { status: 'ACTIVE', paidThrough: month, unpaid: 0 });
        } else if (before.status === 'ACTIVE') {
          const unpaid = before.unpaid + 1;
          unfunded.set(w.nik, unpaid);
          if (unpaid >= LAPSE_AT) this.coverage.set(w.nik, { ...before, status: 'LAPSED', unpaid });
          else {
            this.coverage.set(w.nik, { ...before, unpaid });
            need += rate; // still in grace: the pool owes them next month too
          }
        }
      }
    };
    walk(first1, 'EARMARK');
    walk(second, 'ACTIVE');
    walk(third, 'WAITLIST');
    const spent = available - balance;
    this.allocated += spent;
    const outcome = { month, available, funded, unfunded, closing: balance };
    this.outcomes.push(outcome);
    return outcome;
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
