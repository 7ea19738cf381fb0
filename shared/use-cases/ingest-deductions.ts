import { PoisonMessageError } from '#domain/errors.ts';
import type { DeductionChunk } from '#domain/model.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger, WriteOutcome } from '#domain/ports/credit-ledger.ts';
import type { PoolDirectory } from '#domain/ports/pool-directory.ts';

export type IngestDeductionsDeps = {
  readonly ledger: CreditLedger;
  readonly pools: PoolDirectory;
  readonly clock: Clock;
};

export type IngestDeductions = (chunk: DeductionChunk) => Promise<WriteOutcome>;

/**
 * Writes one deduction chunk to the ledger exactly once: redelivery of the same chunk, at any time,
 * is ALREADY_PRESENT (the ledger's keys are deterministic). A chunk that can never be written is a
 * PoisonMessageError, so the queue retries it and then parks it in the DLQ without blocking others.
 */
export const makeIngestDeductions =
  ({ ledger, pools, clock }: IngestDeductionsDeps): IngestDeductions =>
  async (chunk) => {
    if (!(await pools.poolExists(chunk.pool))) {
      throw new PoisonMessageError(`chunk ${chunk.chunkId} names pool ${chunk.pool}, which does not exist`, {
        code: 'UNKNOWN_POOL',
      });
    }
    // One row per NIP + worker per file is the ledger's key; two such rows would overwrite each other.
    const rows = new Set(chunk.entries.map((e) => `${e.nip}#${e.workerNik ?? ''}`));
    if (rows.size !== chunk.entries.length) {
      throw new PoisonMessageError(`chunk ${chunk.chunkId} carries the same NIP and worker twice`, {
        code: 'DUPLICATE_NIP',
      });
    }
    return ledger.writeChunk(chunk, clock.now());
  };
