/**
 * The oracle of the one-truth property (docs/one-truth.md): every view a person reads, compared with
 * what the committed ledger (the world's record of every chunk with its recording time) and the run
 * records say it must show. Shared by the fakes' run and the emulators' run.
 */
import { expect } from 'vitest';
import type { Period } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { AGENCIES, type MonthRows, type PipelineWorld, type UploadResult } from './pipeline-world.ts';

type Credit = {
  period: Period;
  agency: string;
  amount: number;
  recordedAt: string;
  rows: { nip: string; amount: number }[];
};

/** The oracle's reading of the ledger: every committed chunk, as recorded. */
const creditsOf = (w: PipelineWorld): Credit[] =>
  [...w.record.chunks.values()].map((c) => ({
    period: c.chunk.period,
    agency: c.chunk.agency,
    amount: c.chunk.entries.reduce((s, e) => s + e.amount, 0),
    recordedAt: c.recordedAt.toISOString(),
    rows: c.chunk.entries.map((e) => ({ nip: e.nip, amount: e.amount })),
  }));

/**
 * The rule, stated independently of the code under test: a credit of period P recorded at t is a
 * correction when a run of a month ≥ P had started by t; the first run of a month ≥ P started after t
 * counts it; none yet: pending.
 */
function oracleCorrection(c: { period: Period; recordedAt: string }, runs: readonly RunRecord[]) {
  const covering = runs.filter((r) => r.month >= c.period);
  const late = covering.some((r) => r.startedAt <= c.recordedAt);
  const after = covering
    .filter((r) => r.startedAt > c.recordedAt)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  return { late, countedIn: late ? after[0]?.month : undefined };
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

const totalOf = (m: MonthRows) => sum([...m.values()]);

/** Whether going from `from` to `to` removes or lowers a donor row (what must wait for a person). */
const takesAway = (from: MonthRows, to: MonthRows) =>
  [...from].some(([nip, amount]) => (to.get(nip) ?? 0) < amount);

const same = (x: MonthRows, y: MonthRows) =>
  x.size === y.size && [...x].every(([nip, amount]) => y.get(nip) === amount);

/**
 * One intake step against the rules (docs/intake.md): an applied version moved the ledger by the delta
 * it announced, to the month total it announced, and a superseding one that takes money away was
 * applied only after a person confirmed exactly that difference; a held version shows 0 accepted and
 * its difference against what the ledger holds, and moves nothing; DUPLICATE, REJECTED, WITHDRAWN,
 * EXPIRED and a refused decision move nothing and show Rp0 accepted.
 */
function checkOutcome(up: UploadResult, label: string): void {
  const { outcome } = up;
  const moved = up.after - up.before;
  if (outcome === undefined) {
    // A refused decision: only when the version could no longer be confirmed (its time ran out).
    expect(up.refused, `${label}: decision refused`).toBeDefined();
    expect(up.inTime, `${label}: ${up.refused} refused a decision still in time`).toBe(false);
    expect(moved, `${label}: a refused decision changed the ledger`).toBe(0);
    expect(up.headAfter, `${label}: a refused decision moved the head`).toBe(up.headBefore);
    return;
  }
  const status = outcome.status;
  // A confirmation given in time is applied: the splitter applies the difference the person saw.
  if (up.step === 'confirm' && up.inTime === true)
    expect(status, `${label}: a confirmation given in time was not applied`).toMatch(
      /^(ACCEPTED|PARTIALLY_REJECTED)$/,
    );
  if (status === 'ACCEPTED' || status === 'PARTIALLY_REJECTED') {
    expect(moved, `${label}: ${status} delta vs ledger`).toBe(outcome.delta);
    expect(outcome.monthTotal, `${label}: ${status} month total vs ledger`).toBe(up.after);
    expect(up.meant, `${label}: applied a file with no readable row`).toBeDefined();
    if (up.meant === undefined) return;
    expect(up.after, `${label}: the month applied vs the file's rows`).toBe(totalOf(up.meant));
    // A whole month shows what it accepted; a koreksi what it lists.
    expect(outcome.amounts.accepted, `${label}: outcome accepted`).toBe(
      up.mode === 'CORRECTION' ? up.listed : up.after,
    );
    if (up.step === 'confirm') {
      expect(up.shown, `${label}: confirmed without a difference shown`).toBeDefined();
      expect(moved, `${label}: confirmed delta vs the difference shown`).toBe(up.shown?.delta);
      expect(up.after, `${label}: confirmed total vs the difference shown`).toBe(up.shown?.totalAfter);
    } else {
      expect(up.step, `${label}: a decision applied as ${status}`).toBe('upload');
      expect(
        up.headBefore !== undefined && takesAway(up.modelBefore, up.meant),
        `${label}: a version that takes money away was applied without a confirmation`,
      ).toBe(false);
    }
    return;
  }
  expect(moved, `${label}: ${status} changed the ledger`).toBe(0);
  expect(up.headAfter, `${label}: ${status} moved the head`).toBe(up.headBefore);
  expect(outcome.amounts.accepted, `${label}: ${status} shows accepted rupiah`).toBe(0);
  expect(outcome.counts.acceptedRows, `${label}: ${status} shows accepted rows`).toBe(0);
  if (status === 'PENDING_CONFIRMATION') {
    const p = outcome.pending;
    expect(p, `${label}: held without its difference`).toBeDefined();
    expect(up.step, `${label}: a decision left the version held`).toBe('upload');
    if (p === undefined || up.meant === undefined) return;
    expect(takesAway(up.modelBefore, up.meant), `${label}: held a version that takes nothing away`).toBe(
      true,
    );
    expect(p.totalBefore, `${label}: pending total before vs ledger`).toBe(up.before);
    expect(p.totalAfter, `${label}: pending total after vs the file's rows`).toBe(totalOf(up.meant));
    expect(p.delta, `${label}: pending delta`).toBe(totalOf(up.meant) - up.before);
    expect(p.takenAway, `${label}: pending rupiah taken away`).toBe(
      sum([...up.modelBefore].map(([nip, a]) => Math.max(0, a - (up.meant?.get(nip) ?? 0)))),
    );
  } else if (status === 'DUPLICATE') {
    expect(outcome.amounts.rejected, `${label}: DUPLICATE shows rejected rupiah`).toBe(0);
    // Called a duplicate only for the same bytes again at the same key, or when applying it would
    // change nothing (the month's active content).
    if (up.meant !== undefined && up.again !== true)
      expect(same(up.meant, up.modelBefore), `${label}: DUPLICATE of a file that changes the month`).toBe(
        true,
      );
  } else if (status === 'WITHDRAWN')
    expect(up.step, `${label}: WITHDRAWN without a withdrawal`).toBe('withdraw');
  else if (status === 'EXPIRED')
    expect(up.inTime === true && up.step === 'confirm', `${label}: a confirmation in time expired`).toBe(
      false,
    );
  else expect(status, `${label}: unexpected outcome`).toBe('REJECTED');
}

/** Checks every view against the oracle; returns how many views it compared. */
export async function checkViews(
  w: PipelineWorld,
  up: UploadResult | undefined,
  label: string,
): Promise<number> {
  let views = 0;
  const credits = creditsOf(w);
  const runs = await w.log.listRuns(w.pool);
  const closed = runs.filter((r) => r.status !== 'RUNNING');

  // 1. The intake outcome: what it says was applied is what the ledger moved; anything else moved nothing.
  if (up !== undefined) {
    checkOutcome(up, label);
    views++;
  }

  // 1b. The model: each agency month in the ledger, donor by donor, is what the applied files mean,
  // and its net is the sum of the deltas the outcomes said they applied (confirmed ones included).
  for (const period of new Set(credits.map((c) => c.period)))
    for (const agency of AGENCIES) {
      const byNip = new Map<string, number>();
      for (const c of credits.filter((x) => x.period === period && x.agency === agency))
        for (const r of c.rows) byNip.set(r.nip, (byNip.get(r.nip) ?? 0) + r.amount);
      for (const [nip, v] of byNip) if (v === 0) byNip.delete(nip);
      const k = `${period}#${agency}`;
      expect(Object.fromEntries(byNip), `${label}: ledger ${k} vs the files applied`).toEqual(
        Object.fromEntries(w.model.get(k) ?? new Map()),
      );
      expect(sum([...byNip.values()]), `${label}: ledger ${k} vs Σ applied deltas`).toBe(
        w.applied.get(k) ?? 0,
      );
      views++;
    }

  // 2. The treasurer's donors of each period: the accepted version's rows, donor by donor, = the ledger.
  for (const period of new Set(credits.map((c) => c.period)))
    for (const agency of AGENCIES) {
      const head = await w.intake.files.getHead(w.pool, period, agency);
      const ledgerByNip = new Map<string, number>();
      for (const c of credits.filter((x) => x.period === period && x.agency === agency))
        for (const r of c.rows) ledgerByNip.set(r.nip, (ledgerByNip.get(r.nip) ?? 0) + r.amount);
      const shown = new Map<string, number>();
      if (head !== undefined) {
        const text = await w.intake.objects.getText(
          REPORTS_BUCKET,
          `snapshots/${w.pool}/${period}/${agency}/${head.activeFileId}.csv`,
        );
        for (const line of text.split(/\r?\n/).slice(1)) {
          const [nip, amount] = line.split(';');
          if (nip) shown.set(nip, (shown.get(nip) ?? 0) + Number(amount));
        }
      }
      for (const [nip, v] of ledgerByNip) if (v === 0) ledgerByNip.delete(nip);
      expect(Object.fromEntries(shown), `${label}: treasurer's donors ${period} ${agency}`).toEqual(
        Object.fromEntries(ledgerByNip),
      );
      views++;
    }

  // Every run saw exactly the credits recorded before it started (what "counted in" rests on).
  for (const r of runs) {
    const seen = sum(
      credits.filter((c) => c.period <= r.month && c.recordedAt < r.startedAt).map((c) => c.amount),
    );
    expect(
      r.credits.deductions + r.credits.corrections + r.credits.grants,
      `${label}: run ${r.runId} credits`,
    ).toBe(seen);
  }

  const classified = credits.map((c) => ({ ...c, ...oracleCorrection(c, runs) }));
  const pending = sum(classified.filter((c) => c.late && c.countedIn === undefined).map((c) => c.amount));

  // 3. The finance balance: credits − allocations, and the part of it still to be counted by a run.
  const b = await w.queries.balance({ pool: w.pool });
  const allocated = sum(closed.map((r) => r.cursor.allocated));
  expect(b.balance, `${label}: balance`).toBe(sum(credits.map((c) => c.amount)) - allocated);
  expect(b.pendingCorrections, `${label}: pending corrections in the balance`).toBe(pending);
  expect(b.lastClosing + b.pendingCorrections + b.futureCredits, `${label}: balance explained`).toBe(
    b.balance,
  );
  views++;

  // 4. Each month's reconciliation: credits its runs took, corrections it counted (by period), pending.
  for (const month of new Set(runs.map((r) => r.month))) {
    const rec = await w.queries.reconciliation({ pool: w.pool, month });
    expect(rec.balanced, `${label}: ${month} balanced`).toBe(true);
    const counted = classified.filter((c) => c.countedIn === month);
    expect(rec.corrections.countedTotal, `${label}: ${month} corrections counted`).toBe(
      sum(counted.map((c) => c.amount)),
    );
    expect(
      rec.corrections.counted.map((l) => `${l.period}#${l.agency}#${l.amount}`).sort(),
      `${label}: ${month} corrections by period`,
    ).toEqual(
      [...new Set(counted.map((c) => `${c.period}#${c.agency}`))]
        .map(
          (k) => `${k}#${sum(counted.filter((c) => `${c.period}#${c.agency}` === k).map((c) => c.amount))}`,
        )
        .sort(),
    );
    expect(rec.corrections.pendingTotal, `${label}: ${month} pending`).toBe(pending);
    views++;
  }

  // 5. Donor statements: per period what the ledger holds for the donor, and its corrections.
  const nips = new Set(credits.flatMap((c) => c.rows.map((r) => r.nip)));
  for (const nip of nips) {
    const s = await w.queries.statement(nip);
    for (const period of new Set(
      credits.filter((c) => c.rows.some((r) => r.nip === nip)).map((c) => c.period),
    )) {
      const mine = classified
        .filter((c) => c.period === period)
        .flatMap((c) =>
          c.rows.filter((r) => r.nip === nip).map((r) => ({ ...r, late: c.late, countedIn: c.countedIn })),
        );
      const line = s.lines.find((l) => l.pool === w.pool && l.period === period);
      expect(line?.net, `${label}: statement ${nip} ${period} net`).toBe(sum(mine.map((r) => r.amount)));
      const late = mine.filter((r) => r.late);
      expect(
        (line?.corrections ?? []).map((c) => `${c.amount}@${c.countedIn?.month ?? 'next'}`).sort(),
        `${label}: statement ${nip} ${period} corrections`,
      ).toEqual(late.map((r) => `${r.amount}@${r.countedIn ?? 'next'}`).sort());
      views++;
    }
  }

  // 6. Agency shares of each allocated month: the agency's net now and the corrections of that month.
  for (const month of new Set(runs.map((r) => r.month)))
    for (const agency of AGENCIES) {
      const ofMonth = classified.filter((c) => c.period === month && c.agency === agency);
      if (ofMonth.length === 0) continue;
      const a = await w.queries
        .allocationsByAgency({ pool: w.pool, month, agency })
        .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      if (a instanceof Error) {
        // Only an agency whose rows were all removed may be unknown to the month's shares.
        expect(sum(ofMonth.map((c) => c.amount)), `${label}: ${agency} ${month} missing`).toBe(0);
        continue;
      }
      expect(a.netDeduction, `${label}: agency ${agency} ${month} net`).toBe(
        sum(ofMonth.map((c) => c.amount)),
      );
      expect(
        sum(a.corrections.ofThisMonth.map((l) => l.amount)),
        `${label}: agency ${agency} ${month} corrections`,
      ).toBe(sum(ofMonth.filter((c) => c.late).map((c) => c.amount)));
      views++;
    }

  // 7. The area month (the pool's regency and province): the run's figures as the pool's reconciliation
  // shows them, and the corrections recorded since the last run, as the balance shows them.
  for (const month of new Set(closed.map((r) => r.month))) {
    const rec = await w.queries.reconciliation({ pool: w.pool, month });
    for (const area of [w.pool.split('.')[0] ?? w.pool, w.pool]) {
      const a = await w.areas.month({ area, month });
      expect(
        { opening: a.opening, credits: a.credits.total, allocated: a.allocated, closing: a.closing },
        `${label}: area ${area} ${month} vs the reconciliation`,
      ).toEqual({
        opening: rec.opening,
        credits: rec.credits.total,
        allocated: rec.allocated,
        closing: rec.closing,
      });
      expect(a.pendingCorrections, `${label}: area ${area} ${month} pending`).toBe(pending);
      views++;
    }
  }
  return views;
}
