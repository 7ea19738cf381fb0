/**
 * Independent requests in flight together, a bounded number at a time: an adapter's conditional writes,
 * a use case's independent reads. The caller still waits for every one.
 */

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export const mapBounded = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
