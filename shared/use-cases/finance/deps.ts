import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { AllocationReader, LedgerReader } from '#domain/ports/finance.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';

/** What every finance query reads: read-only ports, so the API function needs read access only. */
export type FinanceDeps = {
  readonly allocations: AllocationReader;
  readonly ledger: LedgerReader;
  readonly credits: Pick<CreditLedger, 'creditsByPeriod' | 'earmarks'>;
  readonly pools: PoolDirectory;
  readonly clock: Clock;
};

/** 404 for a pool nobody registered: a caller mistake, told apart from "no data yet". */
export async function requirePool(deps: FinanceDeps, pool: PoolCode): Promise<void> {
  if (!(await deps.pools.poolExists(pool))) {
    throw new NotFoundError(`pool ${pool} is not registered`, { code: 'POOL_UNKNOWN' });
  }
}

/** A month after the current Jakarta month cannot have been allocated: 422, not an empty answer. */
export function requirePastOrCurrent(deps: FinanceDeps, month: Period): void {
  const current = periodOf(deps.clock.now());
  if (month > current) {
    throw new ValidationError(`month ${month} is in the future (today is in ${current})`, {
      code: 'MONTH_IN_FUTURE',
    });
  }
}
