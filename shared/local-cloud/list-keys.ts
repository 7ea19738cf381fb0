import { ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Every key under `prefix`, in key order, for the local cloud's own tools (demo, chaos). Lists with
 * ListObjects (v1) and Marker = the last key of the previous page: s3rver ciphers ListObjectsV2's
 * continuation token with DES, which Node 20's OpenSSL 3 refuses, so any truncated V2 page is a 500.
 */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let marker: string | undefined;
  do {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
    for (const o of out.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    marker = out.IsTruncated ? keys.at(-1) : undefined;
  } while (marker !== undefined);
  return keys;
}
