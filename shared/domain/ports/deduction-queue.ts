import type { DeductionChunk } from '#domain/model.ts';

/**
 * Where validated deduction chunks go (the deductions queue). Chunk ids are deterministic, so sending
 * the same chunk twice is harmless: ingest writes each chunk id once.
 */
export interface DeductionQueue {
  /** Sends every chunk or throws TransientError (after retrying the failed entries once more). */
  sendChunks(chunks: readonly DeductionChunk[]): Promise<void>;
}
