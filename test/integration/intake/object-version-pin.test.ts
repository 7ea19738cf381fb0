import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();
it('pins a read to the ETag pass 1 saw', async () => {
  const { s3 } = cloud().clients;
  const Bucket = cloud().names.buckets.reports;
  await s3.send(new PutObjectCommand({ Bucket, Key: 'x.csv', Body: 'one' }));
  const store = new S3ObjectStore({ s3 });
  let tag = '';
  for await (const _ of await store.getStream(Bucket, 'x.csv', { onTag: (t) => (tag = t) })) void _;
  expect(tag).not.toBe('');
  for await (const _ of await store.getStream(Bucket, 'x.csv', { ifMatch: tag })) void _;
  await s3.send(new PutObjectCommand({ Bucket, Key: 'x.csv', Body: 'two' }));
  await expect(store.getStream(Bucket, 'x.csv', { ifMatch: tag })).rejects.toMatchObject({
    code: 'OBJECT_CHANGED',
  });
});
