import type { ObjectStore } from '#domain/ports/object-store.ts';

/**
 * The CSV parts one scan invocation writes, held in memory until they are needed: FINAL reads them
 * from here when they were written in the same invocation (a pool that fits one page writes none to
 * S3), and `flush` writes them before the invocation commits a state that a later invocation's FINAL
 * will read them for. A crash loses only parts whose state was never committed, and the retry writes
 * them again from that state.
 */
export function partBuffer(
  objects: Pick<ObjectStore, 'put' | 'getText'>,
  bucket: string,
  contentType: string,
) {
  const held = new Map<string, string>();
  return {
    put(key: string, body: string): void {
      held.set(key, body);
    },
    async text(key: string): Promise<string> {
      return held.get(key) ?? objects.getText(bucket, key);
    },
    /** Writes the held parts to S3, for a later invocation to read. */
    async flush(): Promise<void> {
      for (const [key, body] of held) await objects.put(bucket, key, body, contentType);
      held.clear();
    },
    /** Forgets the held parts once FINAL has read them into the day's CSV. */
    clear(): void {
      held.clear();
    },
  };
}

export type PartBuffer = ReturnType<typeof partBuffer>;
