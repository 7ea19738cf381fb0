/**
 * Object storage as the intake use cases need it: stream a file in, write reports and snapshots out.
 * Streams in both directions so a 50 MB payroll file (or its 1M-row report) never sits whole in memory.
 */
/**
 * Pins a read to one version of an object: `onTag` reports the ETag of what was read, and `ifMatch`
 * makes a later read fail with ConflictError (code OBJECT_CHANGED) if the object is no longer that one.
 */
/** Where one object is: its bucket and key (an S3 event record, a file to process). */
export type ObjectRef = {
  readonly bucket: string;
  readonly key: string;
  /**
   * Which upload (PUT) of the object an event announces: the S3 event's `sequencer`. The same event
   * redelivered carries the same one; the same bytes uploaded again carry another (a DUPLICATE).
   */
  readonly upload?: string;
};

export type StreamOptions = { readonly ifMatch?: string; readonly onTag?: (etag: string) => void };

export interface ObjectStore {
  /** The object's bytes as they arrive. Throws NotFoundError when the object does not exist. */
  getStream(bucket: string, key: string, opts?: StreamOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Small objects only (snapshots, reports in tests). Throws NotFoundError when missing. */
  getText(bucket: string, key: string): Promise<string>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes a body produced piece by piece (multipart upload when large, one PUT when small). */
  putStream(bucket: string, key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void>;
}
