/**
 * ObjectStore on S3. Reads stream the body (a 50 MB payroll file never sits whole in memory); writes
 * of generated text (reports, snapshots) go out as a single PutObject when small, else as a multipart
 * upload in parts of PART_SIZE (S3 needs >= 5 MB per part except the last), so memory holds at most
 * one part. A failed multipart upload is aborted so no orphan parts linger.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ConflictError, NotFoundError, TransientError } from '#domain/errors.ts';
import type { ObjectStore, StreamOptions } from '#domain/ports/object-store.ts';

/** 8 MB: above S3's 5 MB minimum, and 10,000 parts allow 80 GB, far beyond any report. */
export const PART_SIZE = 8 * 1024 * 1024;

function translate(error: unknown, operation: string, bucket: string, key: string): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound')
    return new NotFoundError(`no object ${bucket}/${key}`, { cause: error });
  if (
    error.name === 'PreconditionFailed' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412
  )
    return new ConflictError(`object ${bucket}/${key} changed since it was first read`, {
      code: 'OBJECT_CHANGED',
      cause: error,
    });
  const meta = error as Error & { $fault?: string; $retryable?: unknown; code?: string };
  const transient =
    meta.$fault === 'server' ||
    meta.$retryable !== undefined ||
    ['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable'].includes(error.name) ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(meta.code ?? '');
  return transient ? new TransientError(`S3 ${operation} failed: ${error.name}`, { cause: error }) : error;
}

export class S3ObjectStore implements ObjectStore {
  readonly #s3: S3Client;
  readonly #partSize: number;

  constructor(opts: { readonly s3: S3Client; readonly partSize?: number }) {
    this.#s3 = opts.s3;
    this.#partSize = opts.partSize ?? PART_SIZE;
  }

  async getStream(bucket: string, key: string, opts: StreamOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    try {
      const out = await this.#s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(opts.ifMatch === undefined ? {} : { IfMatch: opts.ifMatch }),
        }),
      );
      if (out.ETag !== undefined) opts.onTag?.(out.ETag);
      // In Node the SDK body is a Readable, which is an AsyncIterable of Buffers (Uint8Array).
      if (out.Body === undefined) return (async function* () {})();
      return out.Body as Readable as AsyncIterable<Uint8Array>;
    } catch (error) {
      throw translate(error, 'GetObject', bucket, key);
    }
  }

  async getText(bucket: string, key: string): Promise<string> {
    try {
      const out = await this.#s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      // Keep a BOM if there is one: callers compare exact report bytes.
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    } catch (error) {
      throw translate(error, 'GetObject', bucket, key);
    }
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    try {
      await this.#s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw translate(error, 'PutObject', bucket, key);
    }
  }

  async putStream(
    bucket: string,
    key: string,
    chunks: AsyncIterable<string>,
    contentType: string,
  ): Promise<void> {
    let buffered: Buffer[] = [];
    let size = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];

    const uploadPart = async (body: Buffer): Promise<void> => {
      if (uploadId === undefined) {
        const created = await this.#s3.send(
          new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
        );
        if (created.UploadId === undefined) throw new Error('S3 returned no UploadId');
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      const out = await this.#s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.byteLength,
        }),
      );
      parts.push({ ETag: out.ETag ?? '', PartNumber });
    };

    try {
      for await (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        buffered.push(bytes);
        size += bytes.byteLength;
        if (size >= this.#partSize) {
          const all = Buffer.concat(buffered, size);
          buffered = [];
          size = 0;
          await uploadPart(all);
        }
      }
      const rest = Buffer.concat(buffered, size);
      if (uploadId === undefined) {
        await this.#s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: rest, ContentType: contentType }),
        );
        return;
      }
      if (size > 0) await uploadPart(rest);
      await this.#s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      if (uploadId !== undefined) {
        await this.#s3
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
          .catch(() => undefined); // the original error is what matters
      }
      throw translate(error, 'multipart upload', bucket, key);
    }
  }
}
