import type { CreditClosing } from '../credit-closing.ts';
import type { Period, PoolCode } from '../model.ts';
import type { PeriodCredits } from './credit-ledger.ts';

/**
 * The pool's credits by recording time (docs/finance-queries.md, "Balance as of a date"): monthly
 * closings, and the credits committed within one Jakarta month. Lets the balance as of a date read a
 * closing and at most a few months of commits instead of every chunk summary of the pool.
 */
export interface CreditHistory {
  /**
   * Credits committed (chunk summaries and grants) whose recording time falls in Jakarta month `month`
   * and is at or before `upTo`, per period.
   */
  recordedIn(pool: PoolCode, month: Period, upTo: Date): Promise<PeriodCredits[]>;
  /** Writes (or rewrites, same content) the closing of its month. */
  putClosing(closing: CreditClosing): Promise<void>;
  /** The newest closing of a month before `month`, if any was written. */
  closingBefore(pool: PoolCode, month: Period): Promise<CreditClosing | undefined>;
}
