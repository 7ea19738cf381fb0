import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ConfirmationStore } from '#domain/ports/confirmation-store.ts';
import type { CreditHistory } from '#domain/ports/credit-history.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { ExportLinks } from '#domain/ports/export-links.ts';
import type { AllocationReader, LedgerReader } from '#domain/ports/finance.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';
import type { ShareReader } from '#domain/ports/shares.ts';

/** What every finance query reads: read-only ports, so the API function needs read access only. */
export type FinanceDeps = {
  readonly allocations: AllocationReader;
  readonly ledger: LedgerReader;
  readonly credits: Pick<CreditLedger, 'creditsByPeriod' | 'earmarks'>;
  readonly pools: PoolDirectory;
  readonly clock: Clock;
  /**
   * Month shares stored at each run's end (docs/finance-queries.md). Without it the statement and the
   * agency query apportion the month live from every row of the pool: the reference definition, kept
   * as the tests' oracle and for months apportioned before shares were stored.
   */
  readonly shares?: ShareReader;
  /**
   * Monthly credit closings and the recording-time index (credit-closing.ts): the balance as of a date
   * reads a closing and the month's commits. Without it, every chunk summary of the pool.
   */
  readonly history?: Pick<CreditHistory, 'recordedIn' | 'closingBefore'>;
  /** Presigned links to the month's files in the reports bucket (bill, allocation log, shares). */
  readonly exports?: ExportLinks;
  /** BPJS's confirmations (docs/bpjs-loop.md): a worker's coverage shows what BPJS confirmed. */
  readonly confirmations?: Pick<ConfirmationStore, 'current' | 'line'>;
};

/** POOL_UNKNOWN (NotFoundError) for a pool nobody registered: a caller mistake, told apart from "no data yet". */
export async function requirePool(deps: FinanceDeps, pool: PoolCode): Promise<void> {
  if (!(await deps.pools.poolExists(pool))) {
    throw new NotFoundError(`pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
  }
}

/** A month after the current Jakarta month cannot have been allocated: MONTH_IN_FUTURE, not an empty answer. */
export function requirePastOrCurrent(deps: FinanceDeps, month: Period): void {
  const current = periodOf(deps.clock.now());
  if (month > current) {
    throw new ValidationError(`month ${month} is in the future (today is in ${current})`, {
      code: 'MONTH_IN_FUTURE',
    });
  }
}
