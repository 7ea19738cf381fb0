import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * The thinnest real slice, end to end on the local cloud: a worker file and a payroll file dropped in
 * S3 flow through split → ingest → ledger, and the allocation job funds the workers from that money.
 */
const cloud = useLocalCloud();
const clock = new SimulatedClock(new Date('2026-01-02T01:00:00Z'));
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline(cloud(), { clock, maxBatchingWindowSeconds: 0 });
});
afterAll(async () => {
  await pipeline?.stop();
});

const put = (key: string, body: string) =>
  cloud().clients.s3.send(
    new PutObjectCommand({ Bucket: cloud().names.buckets.intake, Key: key, Body: body }),
  );

describe('pipeline thin slice', () => {
  it('turns a payroll file into ledger credits and funds workers from them', async () => {
    // prepare
    const niks = [1, 2, 3].map((seq) =>
      makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: seq % 2 === 0, seq }),
    );
    const nips = [1, 2, 3].map((seq) =>
      makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq }),
    );
    const workers = [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      `${niks[0]};Siti Aminah;;JKK_JKM;buruh tani;2025-12-01`,
      `${niks[1]};Budi Santoso;12345678901;JKK_JKM_JHT;tukang bangunan;2025-12-02`,
      `${niks[2]};Rahmat;;JKK_JKM;guru ngaji;2025-12-03`,
    ].join('\n');
    const payroll = [
      'nip;nama;periode;jumlah',
      `${nips[0]};Dr. A;2026-01;Rp 50.000,00`,
      `${nips[1]};B;2026-01;25.000`,
      `${nips[2]};C;2026-01;25000`,
      `123;Bad NIP;2026-01;10000`,
    ].join('\n');
    // act
    await put('incoming/workers/15.04/awal.csv', workers);
    await put('incoming/payroll/15.04/2026-01/DINKES.csv', payroll);
    await cloud().drain({ timeoutMs: 30_000 });
    const ledger = new DynamoDbCreditLedger({
      ddb: cloud().clients.ddb,
      tableName: cloud().names.tables.ledger,
    });
    const credits = await ledger.creditsByPeriod('15.04');
    clock.set(new Date('2026-01-09T23:00:00Z'));
    await cloud().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: cloud().names.queues.allocationJobs.url,
        MessageBody: JSON.stringify({ kind: 'ALLOCATE', pool: '15.04', month: '2026-01' }),
      }),
    );
    await cloud().drain({ timeoutMs: 30_000 });
    // assess
    expect(credits).toEqual([
      expect.objectContaining({
        period: '2026-01',
        deductions: 100_000,
        corrections: 0,
        grants: 0,
        deductionRows: 3,
      }),
    ]);
    const log = new DynamoDbAllocationLog({
      ddb: cloud().clients.ddb,
      tableName: cloud().names.tables.ledger,
    });
    const entries: AllocationEntry[] = [];
    for await (const page of log.allocations('15.04', '2026-01')) entries.push(...page);
    expect(entries.map((e) => [e.nik, e.amount]).sort()).toEqual(
      [
        [niks[0], 16_800],
        [niks[1], 36_800],
        [niks[2], 16_800],
      ].sort(),
    );
    const [run] = await log.listRuns('15.04');
    expect(run).toMatchObject({ status: 'COMPLETED', available: 100_000 });
    expect(run?.cursor).toMatchObject({ allocated: 70_400, balance: 29_600, funded: 3 });
    const read = async (key: string) => {
      const out = await cloud().clients.s3.send(
        new GetObjectCommand({ Bucket: cloud().names.buckets.reports, Key: key }),
      );
      return (await out.Body?.transformToString('utf-8')) ?? '';
    };
    const billCsv = await read('reports/bpjs-bill/15.04/2026-01.csv');
    expect(billCsv.startsWith('\uFEFFkpj;nik;nama;paket;jumlah\r\n')).toBe(true);
    expect(billCsv).toContain(`12345678901;${niks[1]};Budi Santoso;JKK_JKM_JHT;36800`);
    expect(billCsv.trimEnd().split('\r\n').at(-1)).toBe('TOTAL;3;;;70400');
    const rec = JSON.parse(await read('reports/reconciliation/15.04/2026-01.json'));
    expect(rec).toMatchObject({ opening: 0, allocated: 70_400, closing: 29_600, balanced: true });
  });
});
