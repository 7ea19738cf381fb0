import { createHash, type Hash } from 'node:crypto';

/**
 * Wraps a byte stream so the sha256 of everything read is known at the end. The parser may stop early
 * (a broken header rejects the file at once): `finish()` then reads the rest, so the hash, and with it
 * the file id, is always that of the whole object. The parser's `return()` does not close the source.
 */
export class HashingSource implements AsyncIterable<Uint8Array> {
  readonly #hash: Hash = createHash('sha256');
  readonly #source: AsyncIterator<Uint8Array>;
  #done = false;
  #bytes = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  get bytesRead(): number {
    return this.#bytes;
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#done) return { done: true, value: undefined };
    const result = await this.#source.next();
    if (result.done) {
      this.#done = true;
      return result;
    }
    this.#hash.update(result.value);
    this.#bytes += result.value.byteLength;
    return result;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.#next(),
      // Stop handing bytes to the consumer but keep the source open for finish().
      return: async () => ({ done: true, value: undefined }),
    };
  }

  /** Drains what the consumer left unread and returns the hex digest of the whole stream. */
  async finish(): Promise<string> {
    while (!(await this.#next()).done) {
      // keep reading: every byte counts towards the hash
    }
    return this.#hash.digest('hex');
  }
}
