import { type Correction, corrections, creditOfSummary } from '#domain/corrections.ts';
import type { PoolCode } from '#domain/model.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { FinanceDeps } from './deps.ts';

/**
 * Every correction of a pool (docs/one-truth.md), with the run that counted it or none (pending): one
 * Query of the pool's credit summaries (a few per agency and month: it grows with the pool's history)
 * and the run records the caller already read.
 */
export async function poolCorrections(
  deps: Pick<FinanceDeps, 'ledger'>,
  pool: PoolCode,
  runs: readonly RunRecord[],
): Promise<Correction[]> {
  const summaries = await deps.ledger.creditSummaries(pool);
  return corrections(summaries.map(creditOfSummary), runs);
}
