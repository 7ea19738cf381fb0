import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('local cloud on a data dir', () => {
  // dynalite is the backend that persists on disk (DynamoDB Local runs in memory here), so this test
  // pins it whatever SERTAKAN_DDB says.
  it('restarts on the same data dir: resources are reused and data survives', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sertakan-restart-'));
    dirs.push(dataDir);
    const first = await startLocalCloud({ dataDir, ddb: 'dynalite', stage: 'restart' });
    await first.clients.ddb.send(
      new PutCommand({ TableName: first.names.tables.registry, Item: { pk: 'AGENCY#1', sk: 'META', n: 1 } }),
    );
    await first.clients.s3.send(
      new PutObjectCommand({ Bucket: first.names.buckets.reports, Key: 'r/1.csv', Body: 'a,b\n' }),
    );
    await first.stop();

    const second = await startLocalCloud({ dataDir, ddb: 'dynalite', stage: 'restart' });
    try {
      const { Item } = await second.clients.ddb.send(
        new GetCommand({ TableName: second.names.tables.registry, Key: { pk: 'AGENCY#1', sk: 'META' } }),
      );
      const object = await second.clients.s3.send(
        new GetObjectCommand({ Bucket: second.names.buckets.reports, Key: 'r/1.csv' }),
      );

      expect(Item).toEqual({ pk: 'AGENCY#1', sk: 'META', n: 1 });
      expect(await object.Body?.transformToString()).toBe('a,b\n');
      expect(second.names.tables).toEqual(first.names.tables);
    } finally {
      await second.stop();
    }
  });
});
