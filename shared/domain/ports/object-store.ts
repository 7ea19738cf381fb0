/**
 * Object storage as the intake use cases need it: stream a file in, write reports and snapshots out.
 * Streams in both directions so a 50 MB payroll file (or its 1M-row report) never sits whole in memory.
 */
export interface ObjectStore {
  /** The object's bytes as they arrive. Throws NotFoundError when the object does not exist. */
  getStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Small objects only (snapshots, reports in tests). Throws NotFoundError when missing. */
  getText(bucket: string, key: string): Promise<string>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes a body produced piece by piece (multipart upload when large, one PUT when small). */
  putStream(bucket: string, key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void>;
}
