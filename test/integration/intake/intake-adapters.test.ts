import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import type { DeductionChunk } from '#domain/model.ts';
import { DynamoDbAgencyRegistry } from '#shared/adapters/dynamodb-agency-registry.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsDeductionQueue } from '#shared/adapters/sqs-deduction-queue.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { nikOf, nipOf } from '#test/unit/intake-use-cases/payroll-fixtures.ts';

const cloud = useLocalCloud();

describe('intake adapters on the emulators', () => {
  it('S3ObjectStore streams a multipart body back byte for byte', async () => {
    const { clients, names } = cloud();
    const store = new S3ObjectStore({ s3: clients.s3, partSize: 5 * 1024 * 1024 });
    const line = `${'x'.repeat(99)}\n`;
    async function* lines() {
      for (let i = 0; i < 120_000; i += 1) yield line; // 12 MB: three parts
    }
    await store.putStream(names.buckets.reports, 'big/report.csv', lines(), 'text/csv');
    let bytes = 0;
    for await (const chunk of await store.getStream(names.buckets.reports, 'big/report.csv'))
      bytes += chunk.byteLength;
    expect(bytes).toBe(12_000_000);
    await store.putStream(
      names.buckets.reports,
      'small.csv',
      (async function* () {
        yield '\uFEFFa;b\r\n';
      })(),
      'text/csv',
    );
    expect(await store.getText(names.buckets.reports, 'small.csv')).toBe('\uFEFFa;b\r\n');
    await expect(store.getText(names.buckets.reports, 'missing.csv')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('SqsDeductionQueue sends chunks 10 per call as schema-valid bodies', async () => {
    const { clients, names } = cloud();
    const queue = new SqsDeductionQueue({ sqs: clients.sqs, queueUrl: names.queues.deductions.url });
    const chunks: DeductionChunk[] = Array.from({ length: 12 }, (_, i) => ({
      chunkId: `f#D${String(i).padStart(5, '0')}`,
      fileId: 'f',
      kind: 'DEDUCTION',
      pool: '15.04',
      period: '2026-01',
      agency: 'A1',
      entries: [{ nip: nipOf(i), amount: 16_800, line: i + 2 }],
    }));
    await queue.sendChunks(chunks);
    const ids: string[] = [];
    for (;;) {
      const out = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: names.queues.deductions.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      if (!out.Messages?.length) break;
      ids.push(...out.Messages.map((m) => JSON.parse(m.Body ?? '{}').chunkId as string));
    }
    expect(ids.sort()).toEqual(chunks.map((c) => c.chunkId));
    await expect(queue.sendChunks([{ ...chunks[0], pool: 'nope' } as DeductionChunk])).rejects.toThrow();
  });

  it('file heads move only from the version read; agencies and pools are claimed once', async () => {
    const { clients, names } = cloud();
    const files = new DynamoDbFileRegistry({ ddb: clients.ddb, tableName: names.tables.registry });
    const head = { pool: '15.04', period: '2026-01', agency: 'A1', activeFileId: 'f1', contentHash: 'h1' };
    expect(await files.advanceHead(head, undefined)).toMatchObject({ version: 1 });
    await expect(files.advanceHead({ ...head, activeFileId: 'f2' }, undefined)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await files.advanceHead({ ...head, activeFileId: 'f2' }, 1)).toMatchObject({ version: 2 });
    await expect(files.advanceHead({ ...head, activeFileId: 'f3' }, 1)).rejects.toBeInstanceOf(ConflictError);
    expect((await files.getHead('15.04', '2026-01', 'A1'))?.activeFileId).toBe('f2');

    const agencies = new DynamoDbAgencyRegistry({ ddb: clients.ddb, tableName: names.tables.registry });
    const at = new Date('2026-01-05T00:00:00Z');
    expect(await agencies.claimAgency('A1', '15.04', 'f1', at)).toEqual({
      pool: '15.04',
      firstFileId: 'f1',
      registered: true,
    });
    // Another container reads the claim back from the table; this one remembers it.
    const elsewhere = new DynamoDbAgencyRegistry({ ddb: clients.ddb, tableName: names.tables.registry });
    const claimed = { pool: '15.04', firstFileId: 'f1', registered: false };
    expect(await elsewhere.claimAgency('A1', '15.03', 'f9', at)).toEqual(claimed);
    expect(await agencies.claimAgency('A1', '15.03', 'f9', at)).toEqual(claimed);
    await agencies.ensurePool('15.04', at);
    await elsewhere.ensurePool('15.04', new Date());
    expect(await agencies.getPool('15.04')).toEqual({
      pool: '15.04',
      horizonMonths: 12,
      runwayAlertMonths: 2,
      fileCutoffDay: 5,
      createdAt: at.toISOString(),
    });
  });

  it('worker registry: one pool per NIK, history in order, enrollments in pages', async () => {
    const { clients, names } = cloud();
    const workers = new DynamoDbWorkerRegistry({ ddb: clients.ddb, tableName: names.tables.registry });
    const after = {
      pool: '15.04',
      nik: nikOf(1),
      name: 'Siti',
      tier: 'JKK_JKM',
      occupation: 'Petani',
      enrolledOn: '2025-07-01',
      updatedAt: '2026-01-01T00:00:00.000Z',
      fileId: 'w1',
    } as const;
    const entry = {
      pool: '15.04',
      nik: nikOf(1),
      change: 'ENROLLED',
      after,
      recordedAt: after.updatedAt,
      fileId: 'w1',
      line: 2,
    } as const;
    await workers.recordChange(entry);
    await workers.recordChange(entry); // a retry rewrites the same items
    await expect(
      workers.recordChange({ ...entry, pool: '15.03', after: { ...after, pool: '15.03' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    const exited = {
      ...after,
      exitedOn: '2026-02-01',
      exitReason: 'pindah',
      updatedAt: '2026-02-02T00:00:00.000Z',
      fileId: 'w2',
    };
    await workers.recordChange({
      ...entry,
      change: 'EXITED',
      before: after,
      after: exited,
      recordedAt: exited.updatedAt,
      fileId: 'w2',
    });

    expect((await workers.history('15.04', nikOf(1))).map((h) => h.change)).toEqual(['ENROLLED', 'EXITED']);
    expect(await workers.getEnrollment('15.04', nikOf(1))).toEqual(exited);
    expect(await workers.findOwner(nikOf(1))).toEqual({ pool: '15.04' });
    const pages: number[] = [];
    for await (const page of workers.listEnrollments('15.04')) pages.push(page.length);
    expect(pages).toEqual([1]);
  });

  it('worker registry groups: batched reads past 100 keys, one conflict refused alone', async () => {
    const { clients, names } = cloud();
    const workers = new DynamoDbWorkerRegistry({ ddb: clients.ddb, tableName: names.tables.registry });
    const entryOf = (n: number, pool: string) => {
      const after = {
        pool,
        nik: nikOf(1000 + n),
        name: `W${n}`,
        tier: 'JKK_JKM',
        occupation: 'Petani',
        enrolledOn: '2025-07-01',
        updatedAt: '2026-03-01T00:00:00.000Z',
        fileId: `g-${pool}`,
      } as const;
      return {
        pool,
        nik: after.nik,
        change: 'ENROLLED',
        after,
        recordedAt: after.updatedAt,
        fileId: after.fileId,
        line: n + 2,
      } as const;
    };
    // Another pool owns NIK #7 first.
    expect(await workers.recordChanges([entryOf(7, '15.03')])).toEqual(['RECORDED']);
    const group = Array.from({ length: 130 }, (_, n) => entryOf(n, '15.05'));
    const outcomes = await workers.recordChanges(group);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(1);
    expect(outcomes[7]).toBe('CONFLICT');
    // A retried group rewrites the same items and finds the same owners.
    expect(await workers.recordChanges(group)).toEqual(outcomes);

    const niks = group.map((e) => e.nik);
    const enrolled = await workers.getEnrollments('15.05', [...niks, nikOf(9_000)]);
    expect(enrolled.size).toBe(129);
    expect(enrolled.has(nikOf(1007))).toBe(false);
    expect(enrolled.get(nikOf(1129))).toEqual(group[129]?.after);
    const owners = await workers.findOwners(niks);
    expect(owners.size).toBe(130);
    expect(owners.get(nikOf(1007))).toEqual({ pool: '15.03' });
    expect(owners.get(nikOf(1000))).toEqual({ pool: '15.05' });
    expect((await workers.history('15.05', nikOf(1000))).map((h) => h.line)).toEqual([2]);
    expect(await workers.history('15.05', nikOf(1007))).toEqual([]);
  });
});
