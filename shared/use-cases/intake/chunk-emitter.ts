/**
 * Packs entries into deduction chunks of DEDUCTION_CHUNK_SIZE and hands them to the queue 10 at a time
 * (the queue's adapter sends them in batches under its retry policy). Chunk ids are `<fileId>#D00000`,
 * `<fileId>#C00000`, ... in emission order, so a retry that walks the same rows in the same order
 * produces exactly the same chunks.
 */
import { DEDUCTION_CHUNK_SIZE } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';

export type ChunkEntry = DeductionChunk['entries'][number];

/** Chunks handed to the queue at once: few in memory, and one SQS batch call's worth. */
export const CHUNKS_PER_SEND = 10;

export type ChunkHeader = Pick<DeductionChunk, 'fileId' | 'kind' | 'pool' | 'period' | 'agency'>;

export class ChunkEmitter {
  #entries: ChunkEntry[] = [];
  #pending: DeductionChunk[] = [];
  #index = 0;
  #entryCount = 0;
  #amount = 0;

  constructor(
    private readonly header: ChunkHeader,
    private readonly queue: DeductionQueue,
  ) {}

  get chunksEmitted(): number {
    return this.#index;
  }

  get entriesEmitted(): number {
    return this.#entryCount;
  }

  /** Σ amount of every entry added (signed for corrections). */
  get amountEmitted(): number {
    return this.#amount;
  }

  async add(entry: ChunkEntry): Promise<void> {
    this.#entries.push(entry);
    this.#entryCount += 1;
    this.#amount += entry.amount;
    if (this.#entries.length >= DEDUCTION_CHUNK_SIZE) await this.#seal();
  }

  /** Sends whatever is still buffered. */
  async flush(): Promise<void> {
    if (this.#entries.length > 0) this.#pack();
    await this.#send();
  }

  #pack(): void {
    const letter = this.header.kind === 'DEDUCTION' ? 'D' : 'C';
    const chunkId = `${this.header.fileId}#${letter}${String(this.#index).padStart(5, '0')}`;
    this.#pending.push({ ...this.header, chunkId, entries: this.#entries });
    this.#entries = [];
    this.#index += 1;
  }

  async #seal(): Promise<void> {
    this.#pack();
    if (this.#pending.length >= CHUNKS_PER_SEND) await this.#send();
  }

  async #send(): Promise<void> {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    await this.queue.sendChunks(batch);
  }
}
