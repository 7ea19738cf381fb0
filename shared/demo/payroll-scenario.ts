/**
 * The month-by-month payroll story: every agency's file around the 1st-5th (a few late), bad rows
 * planted here and there, the largest agency falling silent after month 4 and sending again from month
 * 8 (its payroll system was replaced: the pool feels it), one file re-uploaded with corrections a few
 * days after the original. Returns the drops and what a checker must find. docs/demo-story.md.
 */
import type { AgencyCode, Period } from '#domain/model.ts';
import { type DonorRow, type PayrollStyle, pickStyle, renderPayroll } from './payroll-files.ts';
import { pad2 } from './population.ts';
import { type Rng, shuffled } from './prng.ts';
import {
  type AgencyTotal,
  type BadRow,
  type BadRowReason,
  type ExpectedTotals,
  type FileDrop,
  PAYROLL_CUTOFF_DAY,
  type PeriodExpectation,
  type StoryMonths,
  type SyntheticAgency,
  type SyntheticDonor,
} from './types.ts';

const BAD_REASONS: readonly BadRowReason[] = [
  'NIP_FORMAT',
  'AMOUNT_HAS_SEN',
  'PERIOD_MISMATCH',
  'DUPLICATE_ROW',
];
const CORRECTION_MONTH = 3;

export type PayrollScenario = Pick<
  ExpectedTotals,
  'periods' | 'badRows' | 'correction' | 'stoppedAgency' | 'lateFiles'
> & {
  readonly drops: readonly FileDrop[];
};

export function payrollKey(pool: string, period: Period, agency: AgencyCode): string {
  return `incoming/payroll/${pool}/${period}/${agency}.csv`;
}

export function makePayrollScenario(
  rng: Rng,
  pool: string,
  periods: readonly Period[],
  agencies: readonly SyntheticAgency[],
  donors: readonly SyntheticDonor[],
  story: Pick<StoryMonths, 'stopAfter' | 'returnAt'>,
): PayrollScenario {
  const { stopAfter, returnAt } = story;
  const byAgency = new Map<AgencyCode, SyntheticDonor[]>();
  for (const d of donors) {
    const list = byAgency.get(d.agency);
    if (list) list.push(d);
    else byAgency.set(d.agency, [d]);
  }
  const styles = new Map<AgencyCode, PayrollStyle>();
  const styleRng = rng.fork('styles');
  for (const a of agencies) {
    styles.set(
      a.code,
      pickStyle(
        styleRng,
        (byAgency.get(a.code) ?? []).some((d) => d.workerNik),
      ),
    );
  }

  // The largest agency falls silent (the shock the pool must absorb); a small one is corrected.
  const bySize = [...agencies].sort((a, b) => a.donorCount - b.donorCount || cmp(a.code, b.code));
  const small = shuffled(rng, bySize.filter((a) => a.donorCount >= 5).slice(0, 10)).map((a) => a.code);
  const stopped = periods.length >= returnAt && agencies.length > 2 ? bySize.at(-1)?.code : undefined;
  const corrected = small.find((code) => code !== stopped);
  const correctionIndex = Math.min(CORRECTION_MONTH, periods.length) - 1;

  // Each agency's donors on the payroll of each month, computed once (the planner asks repeatedly).
  const roster = new Map<string, DonorRow[]>();
  const active = (agency: AgencyCode, period: Period): DonorRow[] => {
    const key = `${period}:${agency}`;
    let rows = roster.get(key);
    if (rows === undefined) {
      rows = (byAgency.get(agency) ?? [])
        .filter((d) => d.from <= period && period <= d.to)
        .map((d) => ({
          nip: d.nip,
          name: d.name,
          amount: d.amount,
          ...(d.workerNik ? { workerNik: d.workerNik } : {}),
        }));
      roster.set(key, rows);
    }
    return rows;
  };
  const sends = (agency: AgencyCode, index: number): boolean =>
    !(agency === stopped && index >= stopAfter && index < returnAt - 1);

  const injections = planInjections(rng.fork('bad-rows'), periods, agencies, (agency, i) =>
    sends(agency, i) && !(agency === corrected && i === correctionIndex)
      ? active(agency, periods[i] as Period).length
      : 0,
  );

  const drops: FileDrop[] = [];
  const badRows: BadRow[] = [];
  const lateFiles: string[] = [];
  const expectations: PeriodExpectation[] = [];
  let correction: PayrollScenario['correction'];
  const fileRng = rng.fork('files');

  periods.forEach((period, i) => {
    const sending = agencies
      .filter((a) => sends(a.code, i) && active(a.code, period).length > 0)
      .map((a) => a.code);
    const late = new Set(
      shuffled(
        fileRng,
        sending.filter((c) => c !== corrected),
      ).slice(0, fileRng.chance(0.5) ? 2 : 1),
    );
    const totals: Record<AgencyCode, AgencyTotal> = {};
    let bad = 0;
    for (const agency of sending) {
      const key = payrollKey(pool, period, agency);
      const style = styles.get(agency) as PayrollStyle;
      const rows = active(agency, period);
      const day = late.has(agency)
        ? fileRng.int(PAYROLL_CUTOFF_DAY + 1, PAYROLL_CUTOFF_DAY + 4)
        : fileRng.int(1, 3);
      const deliverOn = `${period}-${pad2(day)}`;
      if (late.has(agency)) lateFiles.push(key);

      if (agency === corrected && i === correctionIndex && rows.length >= 2) {
        const fixed = correctRows(fileRng, rows);
        const original = renderPayroll(fileRng, style, period, rows);
        const revised = renderPayroll(fileRng, style, period, fixed.rows);
        const fixDay = `${period}-${pad2(day + fileRng.int(2, 4))}`;
        drops.push({ kind: 'payroll', key, body: original.body, deliverOn, note: 'berkas asli / original' });
        drops.push({
          kind: 'payroll',
          key,
          body: revised.body,
          deliverOn: fixDay,
          note: `koreksi / correction: ${fixed.changed.length} jumlah diubah, 1 donatur dihapus`,
        });
        correction = {
          key,
          originalSum: original.valid.sum,
          correctedSum: revised.valid.sum,
          changedNips: fixed.changed,
          removedNip: fixed.removed,
        };
        totals[agency] = revised.valid;
        continue;
      }

      const plan = injections.get(`${i}:${agency}`) ?? [];
      const rendered = renderPayroll(fileRng, style, period, rows, plan);
      drops.push({
        kind: 'payroll',
        key,
        body: rendered.body,
        deliverOn,
        ...(plan.length > 0 ? { note: `${plan.length} baris salah / bad rows: ${plan.join(', ')}` } : {}),
      });
      for (const b of rendered.bad) badRows.push({ key, ...b });
      bad += rendered.bad.length;
      totals[agency] = rendered.valid;
    }
    const values = Object.values(totals);
    expectations.push({
      period,
      agencies: totals,
      validRows: values.reduce((s, t) => s + t.rows, 0),
      validSum: values.reduce((s, t) => s + t.sum, 0),
      badRows: bad,
    });
  });

  return {
    drops,
    periods: expectations,
    badRows,
    lateFiles,
    ...(correction ? { correction } : {}),
    ...(stopped
      ? {
          stoppedAgency: {
            agency: stopped,
            lastPeriod: periods[stopAfter - 1] as Period,
            returnsFrom: periods[returnAt - 1] as Period,
          },
        }
      : {}),
  };
}

/** About two bad rows per month, the four kinds in turn, each in a file that has room for it. */
function planInjections(
  rng: Rng,
  periods: readonly Period[],
  agencies: readonly SyntheticAgency[],
  rowsOf: (agency: AgencyCode, index: number) => number,
): Map<string, BadRowReason[]> {
  const plan = new Map<string, BadRowReason[]>();
  const total = Math.max(BAD_REASONS.length, periods.length * 2);
  for (let k = 0; k < total; k++) {
    const index = Math.floor((k * periods.length) / total);
    const reason = BAD_REASONS[k % BAD_REASONS.length] as BadRowReason;
    const room = agencies
      .map((a) => a.code)
      .filter(
        (code) =>
          rowsOf(code, index) - 1 > (plan.get(`${index}:${code}`)?.length ?? 0) && rowsOf(code, index) >= 3,
      );
    if (room.length === 0) continue;
    const key = `${index}:${rng.pick(room)}`;
    plan.set(key, [...(plan.get(key) ?? []), reason]);
  }
  return plan;
}

/** The treasurer's fix: a few amounts were wrong and one donor had already stopped. */
function correctRows(
  rng: Rng,
  rows: readonly DonorRow[],
): { rows: DonorRow[]; changed: string[]; removed: string } {
  const removedIndex = rng.int(0, rows.length - 1);
  const removed = (rows[removedIndex] as DonorRow).nip;
  const kept = rows.filter((_, i) => i !== removedIndex);
  const changeCount = Math.min(3, kept.length);
  const changeAt = new Set(
    shuffled(
      rng,
      kept.map((_, i) => i),
    ).slice(0, changeCount),
  );
  const changed: string[] = [];
  const fixed = kept.map((row, i) => {
    if (!changeAt.has(i)) return row;
    changed.push(row.nip);
    // Always a different amount, so the correction is visible in every changed row.
    return { ...row, amount: row.amount === 20_000 ? 25_000 : 20_000 };
  });
  return { rows: fixed, changed, removed };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
