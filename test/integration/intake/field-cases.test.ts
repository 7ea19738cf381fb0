/**
 * The treasurers' field cases through the real handlers on the local cloud: each file is put in the
 * intake bucket, the S3 notification runs split-payroll-file (or register-workers), the deduction
 * chunks run ingest-deductions, and the recorded outcome must be exactly the one the field-cases
 * README states. f07 then checks the ledger: both earmarks, both rows in the donor's statement.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueName } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import type { SqsHandler } from '#shared/local-cloud/sqs-poller.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { fileIdOf } from '#shared/use-cases/intake/intake-key.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();
const handlers: Partial<Record<QueueName, SqsHandler>> = {};
const DIR = new URL('../../fixtures/field-cases/', import.meta.url);

type Case = { file: string; kind: 'payroll' | 'workers'; expect: Record<string, number | string> };
const expected: { cases: Case[] } = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8'));

beforeAll(async () => {
  Object.assign(process.env, cloud().env);
  handlers.payrollFiles = (await import('../../../functions/split-payroll-file/handler.ts')).handler;
  handlers.workerFiles = (await import('../../../functions/register-workers/handler.ts')).handler;
  handlers.deductions = (await import('../../../functions/ingest-deductions/handler.ts')).handler;
});

/** Puts the object and runs the intake function, then the ingest, until everything settled. */
async function deliver(queue: QueueName, key: string, body: Buffer): Promise<void> {
  const { clients, names } = cloud();
  const consumers = [queue, 'deductions' as const].map((q) => {
    const handler = handlers[q];
    if (!handler) throw new Error(`no handler for ${q}`);
    return cloud().consume(q, handler);
  });
  await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: key, Body: body }));
  await cloud().drain({ timeoutMs: 30_000 });
  for (const c of consumers) await c.stop();
}

async function fileItem(fileId: string): Promise<Record<string, unknown> | undefined> {
  const { clients, names } = cloud();
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

const keyOf = (c: Case, n: number) =>
  c.kind === 'payroll'
    ? `incoming/payroll/15.04/2026-01/FIELD${n + 1}.${c.file.slice(c.file.lastIndexOf('.') + 1)}`
    : `incoming/workers/15.04/${c.file}`;

describe('field cases through the handlers on the local cloud', () => {
  it.each(expected.cases.map((c, n) => [c.file, c, n] as const))('%s', async (_, c, n) => {
    const body = readFileSync(new URL(c.file, DIR));
    const key = keyOf(c, n);
    await deliver(c.kind === 'payroll' ? 'payrollFiles' : 'workerFiles', key, body);
    const item = await fileItem(fileIdOf(key, createHash('sha256').update(body).digest('hex')));
    expect(item).toBeDefined();
    const got = {
      acceptedRows: item?.acceptedRows,
      rejectedRows: item?.rejectedRows,
      ...(c.kind === 'payroll' ? { acceptedAmount: item?.acceptedAmount } : {}),
      ...('status' in c.expect ? { status: item?.status } : {}),
    };
    expect(got).toEqual(c.expect);
    expect(item?.status).toBe(c.expect.rejectedRows === 0 ? 'ACCEPTED' : 'PARTIALLY_REJECTED');
    // An XLSX outcome names the sheet it read (f23: the visible one, never the hidden draft).
    if (c.file.endsWith('.xlsx')) expect(item?.sheet).toBe(c.file.startsWith('f23') ? 'JAN 2026' : 'Sheet1');
  });

  it('f05: the report says Excel damaged the NIP and how to fix it, with the value masked', async () => {
    const c = expected.cases.findIndex((x) => x.file === 'f05-nip-formats.csv');
    const key = keyOf(expected.cases[c] as Case, c);
    const body = readFileSync(new URL('f05-nip-formats.csv', DIR));
    const item = await fileItem(fileIdOf(key, createHash('sha256').update(body).digest('hex')));
    const report = await reportOf(String(item?.reportKey));
    const line = report.split('\r\n').find((l) => l.startsWith('3;'));
    expect(line).toContain('NIP_EXCEL_NUMBER');
    expect(line).toContain('Format kolom NIP sebagai Teks');
    expect(line).toContain('Format the NIP column as Text');
    expect(report).not.toContain('Siti');
  });

  it('f07: both workers are earmarked and the donor statement counts both rows', async () => {
    const { clients, names } = cloud();
    const ddb = clients.ddb;
    const ledger = new DynamoDbCreditLedger({ ddb, tableName: names.tables.ledger });
    const agency = `FIELD${expected.cases.findIndex((x) => x.file === 'f07-one-donor-two-earmarks.csv') + 1}`;
    const marks = (await ledger.earmarks('15.04', '2026-01')).filter((e) => e.agency === agency);
    expect(marks).toEqual([
      { agency, nip: '198609262015051001', nik: '1504014107850001', recordedAt: expect.any(String) },
      { agency, nip: '198609262015051001', nik: '1504020101800002', recordedAt: expect.any(String) },
    ]);
    const finance = makeFinanceQueries({
      allocations: new DynamoDbAllocationLog({ ddb, tableName: names.tables.ledger }),
      ledger: new DynamoDbLedgerQueries({ ddb, tableName: names.tables.ledger }),
      credits: ledger,
      pools: new DynamoDbPoolRegistry({ ddb, tableName: names.tables.registry }),
      clock: { now: () => new Date('2026-01-05T00:00:00Z') },
    });
    const rows: { amount: number; workerNik?: string }[] = [];
    const queries = new DynamoDbLedgerQueries({ ddb, tableName: names.tables.ledger });
    for await (const page of queries.deductionRows('15.04', '2026-01', agency, '198609262015051001'))
      rows.push(...page.map((r) => ({ amount: r.amount, workerNik: r.workerNik })));
    expect(rows).toEqual([
      { amount: 16_800, workerNik: '1504014107850001' },
      { amount: 36_800, workerNik: '1504020101800002' },
    ]);
    // This NIP gives Rp16.800 in ten other field files (one agency each) and Rp53.600 in f07.
    const statement = await finance.statement('198609262015051001');
    expect(statement.lines).toHaveLength(1);
    expect(statement.lines[0]).toMatchObject({ period: '2026-01', deducted: 10 * 16_800 + 53_600 });
    expect(statement.lines[0]?.agencies).toContain(agency);
  });
});
