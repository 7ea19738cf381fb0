/**
 * A SIMGAJI-like dBase export (written by dbffile's writer: NIP, NAMA, KDSKPD, KDSATKER, GAPOK,
 * POTSERTAK, names in CP1252) through the real handlers on the local cloud, read with the column
 * mapping the agency saved: the S3 notification routes the `.dbf` key to split-payroll-file, the
 * deductions reach the ledger, the outcome and the report name records by their record number. The
 * same file before the mapping is saved is rejected whole with what to do.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueName } from '#infra/resources.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import type { SqsHandler } from '#shared/local-cloud/sqs-poller.ts';
import { fileIdOf } from '#shared/use-cases/intake/intake-key.ts';
import { type SimgajiRow, writeSimgajiDbf } from '#test/support/dbf-fixtures.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();
const handlers: Partial<Record<QueueName, SqsHandler>> = {};
let dir: string;
let body: Buffer;

const ROWS: SimgajiRow[] = [
  { nip: '198609262015051001', nama: 'Budi Santoso', gapok: 3_500_000, potongan: 16_800 },
  { nip: '197503142000121002', nama: 'Siti Ma’ruf', gapok: 4_100_000, potongan: 36_800 },
  { nip: '198811302010012003', nama: 'Dewi Müller', gapok: 3_300_000, potongan: 16_800 },
  { nip: '19881130201001', nama: 'Salah NIP', gapok: 3_300_000, potongan: 16_800 },
];

beforeAll(async () => {
  Object.assign(process.env, cloud().env);
  handlers.payrollFiles = (await import('../../../functions/split-payroll-file/handler.ts')).handler;
  handlers.deductions = (await import('../../../functions/ingest-deductions/handler.ts')).handler;
  dir = await mkdtemp(join(tmpdir(), 'dbf-intake-'));
  await writeSimgajiDbf(join(dir, 'fgaji.dbf'), ROWS, { deleted: [3] });
  body = await readFile(join(dir, 'fgaji.dbf'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deliver(key: string): Promise<Record<string, unknown> | undefined> {
  const { clients, names } = cloud();
  const consumers = (['payrollFiles', 'deductions'] as const).map((q) => {
    const handler = handlers[q];
    if (!handler) throw new Error(`no handler for ${q}`);
    return cloud().consume(q, handler);
  });
  await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: key, Body: body }));
  await cloud().drain({ timeoutMs: 30_000 });
  for (const c of consumers) await c.stop();
  const fileId = fileIdOf(key, createHash('sha256').update(body).digest('hex'));
  const out = await clients.ddb.send(
    new GetCommand({ TableName: names.tables.registry, Key: { pk: `FILE#${fileId}`, sk: 'FILE' } }),
  );
  return out.Item;
}

async function reportOf(key: string): Promise<string> {
  const { clients, names } = cloud();
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: names.buckets.reports, Key: key }));
  return new TextDecoder().decode((await out.Body?.transformToByteArray()) ?? new Uint8Array());
}

describe('a SIMGAJI .dbf export through the handlers on the local cloud', () => {
  it('without a saved mapping: rejected whole, the report says which columns and how to map them', async () => {
    const item = await deliver('incoming/payroll/15.04/2026-01/DISDIK.dbf');
    expect(item).toMatchObject({ status: 'REJECTED', rejectReason: 'COLUMN_MISSING' });
    const report = await reportOf(String(item?.reportKey));
    expect(report).toContain('sertakan agency columns');
  });

  it('with the agency’s saved mapping: the live records are taken, named by record number', async () => {
    const { clients, names } = cloud();
    await new DynamoDbColumnMappings({ ddb: clients.ddb, tableName: names.tables.registry }).put({
      pool: '15.04',
      agency: 'BPKAD',
      columns: { NIP: 'nip', NAMA: 'nama', POTSERTAK: 'jumlah' },
      periodFromKey: true,
      updatedBy: 'test',
      updatedAt: '2026-01-03T00:00:00.000Z',
    });
    const item = await deliver('incoming/payroll/15.04/2026-01/BPKAD.dbf');
    // Record 3 is deleted in the table: not read. Record 4's NIP is short: rejected by its number.
    expect(item).toMatchObject({
      status: 'PARTIALLY_REJECTED',
      dataRows: 3,
      acceptedRows: 2,
      acceptedAmount: 53_600,
      rejectedRows: 1,
    });
    const report = await reportOf(String(item?.reportKey));
    expect(report.split('\r\n').find((l) => l.startsWith('4;'))).toContain('NIP_FORMAT');
    const queries = new DynamoDbLedgerQueries({ ddb: clients.ddb, tableName: names.tables.ledger });
    const held: number[] = [];
    for (const nip of ['198609262015051001', '197503142000121002', '198811302010012003']) {
      for await (const page of queries.deductionRows('15.04', '2026-01', 'BPKAD', nip))
        held.push(...page.map((r) => r.amount));
    }
    expect(held).toEqual([16_800, 36_800]);
  });
});
