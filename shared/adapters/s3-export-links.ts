import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from '#domain/ports/clock.ts';
import type { ExportLinks } from '#domain/ports/export-links.ts';

/**
 * Presigned GET URLs for the month's files in the reports bucket (BPJS bill, allocation log, shares):
 * a 100,000-worker bill is tens of MB, past API Gateway's 6 MB response, so the API hands out a link
 * valid for `expiresInSeconds` (default 300) instead of the body. Against the local cloud the URL points
 * at the local S3 (s3rver on 127.0.0.1). HeadObject first, so a file not written yet is "undefined",
 * not a link to a 404.
 */
export class S3ExportLinks implements ExportLinks {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #clock: Clock;
  readonly #expiresIn: number;

  constructor(opts: { s3: S3Client; bucket: string; clock: Clock; expiresInSeconds?: number }) {
    this.#s3 = opts.s3;
    this.#bucket = opts.bucket;
    this.#clock = opts.clock;
    this.#expiresIn = opts.expiresInSeconds ?? 300;
  }

  async link(key: string): Promise<{ url: string; expiresAt: string } | undefined> {
    try {
      await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (err instanceof Error && (err.name === 'NotFound' || err.name === 'NoSuchKey' || status === 404))
        return undefined;
      throw err;
    }
    const url = await getSignedUrl(this.#s3, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), {
      expiresIn: this.#expiresIn,
    });
    const expiresAt = new Date(this.#clock.now().getTime() + this.#expiresIn * 1000).toISOString();
    return { url, expiresAt };
  }
}
