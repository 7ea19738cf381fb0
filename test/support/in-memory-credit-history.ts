import type { CreditClosing } from '#domain/credit-closing.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { CreditHistory } from '#domain/ports/credit-history.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';
import type { InMemoryCreditLedger } from './in-memory-credit-ledger.ts';

/**
 * In-memory CreditHistory over an InMemoryCreditLedger: the month's commits are the ledger's credits
 * whose recording time falls in that Jakarta month (the DynamoDB adapter reads them from its index),
 * closings a map. `reads` counts the months read, for "bounded" assertions.
 */
export class InMemoryCreditHistory implements CreditHistory {
  readonly closings = new Map<string, CreditClosing>();
  readonly reads: Period[] = [];

  constructor(private readonly ledger: InMemoryCreditLedger) {}

  async recordedIn(pool: PoolCode, month: Period, upTo: Date): Promise<PeriodCredits[]> {
    this.reads.push(month);
    return this.ledger.creditsWhere(pool, (at) => periodOf(at) === month && at.getTime() <= upTo.getTime());
  }

  async putClosing(closing: CreditClosing): Promise<void> {
    this.closings.set(`${closing.pool}|${closing.month}`, structuredClone(closing));
  }

  async closingBefore(pool: PoolCode, month: Period): Promise<CreditClosing | undefined> {
    return [...this.closings.values()]
      .filter((c) => c.pool === pool && c.month < month)
      .sort((a, b) => (a.month < b.month ? 1 : -1))[0];
  }
}
