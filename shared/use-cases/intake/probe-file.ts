/**
 * The first pass over an intake object (docs/intake.md#encoding): one streamed read that computes the
 * content hash (-> the file id) and decides the text encoding on every byte, before any row is read.
 * Every later pass reads the same bytes (pinned by ETag) with that decision, so validation, emission and
 * the outcome agree on every backend and chunk size. Constant memory; costs one extra read of the object.
 */
import { createHash } from 'node:crypto';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import { isFileRejectedError } from '#shared/intake/errors.ts';
import { type EncodingDecision, EncodingProbe } from '#shared/intake/sniff.ts';
import { type FileRejection, rejectionOf } from './intake-read.ts';

export type ProbedFile = {
  /** sha256 (hex) of the whole object. */
  readonly contentHash: string;
  /** ETag of the bytes read: later passes read exactly these (If-Match). */
  readonly etag?: string;
  readonly bytes: number;
} & (
  | { readonly ok: true; readonly encoding: EncodingDecision }
  | { readonly ok: false; readonly rejection: FileRejection }
);

export async function probeFile(objects: ObjectStore, ref: ObjectRef): Promise<ProbedFile> {
  let etag: string | undefined;
  const stream = await objects.getStream(ref.bucket, ref.key, { onTag: (t) => (etag = t) });
  const hash = createHash('sha256');
  const probe = new EncodingProbe();
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    probe.add(chunk);
    bytes += chunk.byteLength;
  }
  const base = { contentHash: hash.digest('hex'), bytes, ...(etag === undefined ? {} : { etag }) };
  try {
    return { ...base, ok: true, encoding: probe.finish() };
  } catch (error) {
    if (isFileRejectedError(error)) return { ...base, ok: false, rejection: rejectionOf(error) };
    throw error;
  }
}
