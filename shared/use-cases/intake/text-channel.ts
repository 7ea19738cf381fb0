/**
 * A bounded hand-off from a producer loop to a consumer that reads an AsyncIterable (ObjectStore.putStream).
 * Lines are batched into pieces of ~64 KB; `write` waits while `maxPending` pieces are unread, so a
 * slow upload slows the producer instead of filling memory.
 */
export class TextChannel implements AsyncIterable<string> {
  readonly #pieces: string[] = [];
  #buffer = '';
  #closed = false;
  #failure: unknown;
  #aborted: unknown;
  #wakeReader: (() => void) | undefined;
  #wakeWriter: (() => void) | undefined;

  constructor(
    private readonly pieceSize = 64 * 1024,
    private readonly maxPending = 16,
  ) {}

  async write(text: string): Promise<void> {
    if (this.#closed) throw new Error('TextChannel: write after close');
    if (this.#failure !== undefined) throw this.#failure;
    this.#buffer += text;
    if (this.#buffer.length < this.pieceSize) return;
    this.#pieces.push(this.#buffer);
    this.#buffer = '';
    this.#wakeReader?.();
    while (this.#pieces.length >= this.maxPending && this.#failure === undefined) {
      await new Promise<void>((resolve) => {
        this.#wakeWriter = resolve;
      });
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  close(): void {
    if (this.#closed) return;
    if (this.#buffer !== '') this.#pieces.push(this.#buffer);
    this.#buffer = '';
    this.#closed = true;
    this.#wakeReader?.();
  }

  /** The producer gave up: the consumer's iteration throws, so a multipart upload is aborted, not completed. */
  abort(error: unknown): void {
    this.#aborted = error ?? new Error('TextChannel aborted');
    this.#closed = true;
    this.#wakeReader?.();
  }

  /** The consumer failed: unblock the producer with that error. */
  fail(error: unknown): void {
    this.#failure = error ?? new Error('TextChannel consumer failed');
    this.#wakeWriter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      if (this.#aborted !== undefined) throw this.#aborted;
      const piece = this.#pieces.shift();
      if (piece !== undefined) {
        this.#wakeWriter?.();
        yield piece;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wakeReader = resolve;
      });
    }
  }
}

/** Runs `putStream` over a channel; returns the channel and a promise of the upload's end. */
export function openUpload(upload: (chunks: AsyncIterable<string>) => Promise<void>): {
  channel: TextChannel;
  done: Promise<void>;
} {
  const channel = new TextChannel();
  const done = upload(channel).catch((error: unknown) => {
    channel.fail(error);
    throw error;
  });
  // Avoid an unhandled rejection before the caller awaits `done`; the caller still sees the error.
  done.catch(() => undefined);
  return { channel, done };
}
