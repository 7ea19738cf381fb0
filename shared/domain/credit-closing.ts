import type { Period, PoolCode } from './model.ts';
import { jakartaInstant, nextPeriod } from './period.ts';
import type { PeriodCredits } from './ports/credit-ledger.ts';

/**
 * A pool's credit closing (docs/finance-queries.md, "Balance as of a date"): every credit recorded by the
 * end of Jakarta month M, summed per period, written once when the allocation outputs of month M+1 are
 * written. The balance as of a date in month D is then the newest closing before D plus the credits
 * recorded since, read from the ledger's recording-time index: a bounded read, where the full definition
 * (balanceAsOf over every chunk summary of the pool) grows with the pool's history.
 */
export type CreditClosing = {
  readonly pool: PoolCode;
  /** The Jakarta month whose end the closing is taken at. */
  readonly month: Period;
  /** Credits recorded by the end of `month`, per period (all periods, also later ones paid early). */
  readonly credits: readonly PeriodCredits[];
};

/** The last instant of Jakarta month `month` (credits recorded at or before it are in its closing). */
export const closingCutoff = (month: Period): Date =>
  new Date(jakartaInstant(`${nextPeriod(month)}-01`).getTime() - 1);

/** Sums several per-period credit lists into one, by period (rupiah by kind and deduction rows). */
export function mergePeriodCredits(lists: readonly (readonly PeriodCredits[])[]): PeriodCredits[] {
  const byPeriod = new Map<Period, PeriodCredits>();
  for (const c of lists.flat()) {
    const s = byPeriod.get(c.period);
    byPeriod.set(
      c.period,
      s === undefined
        ? {
            period: c.period,
            deductions: c.deductions,
            corrections: c.corrections,
            grants: c.grants,
            deductionRows: c.deductionRows,
          }
        : {
            period: c.period,
            deductions: s.deductions + c.deductions,
            corrections: s.corrections + c.corrections,
            grants: s.grants + c.grants,
            deductionRows: s.deductionRows + c.deductionRows,
          },
    );
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
}
