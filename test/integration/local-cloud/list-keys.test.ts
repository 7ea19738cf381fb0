import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { mapBounded } from '#domain/concurrency.ts';
import { listKeys } from '#shared/local-cloud/list-keys.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

describe('listing more than one page of keys on the local S3', () => {
  it('listKeys returns all 1,205 keys in order across pages', async () => {
    const { clients, names } = cloud();
    const Bucket = names.buckets.reports;
    const keys = Array.from({ length: 1205 }, (_, i) => `reports/many/${String(i).padStart(5, '0')}.csv`);
    await mapBounded(keys, 16, (Key) => clients.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' })));
    await clients.s3.send(new PutObjectCommand({ Bucket, Key: 'reports/other.csv', Body: 'x' }));

    expect(await listKeys(clients.s3, Bucket, 'reports/many/')).toEqual(keys);

    // Why listKeys uses ListObjects v1: s3rver answers a truncated ListObjectsV2 page with a 500 (its
    // continuation token is DES-ciphered, which Node 20's OpenSSL 3 refuses). If this starts passing,
    // s3rver was fixed and V2 pagination works locally again.
    await expect(
      clients.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'reports/many/' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
  });
});
