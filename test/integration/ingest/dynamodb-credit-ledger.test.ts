import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeductionChunk } from '#domain/model.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { makeCapacityMeter } from '#shared/adapters/dynamodb-support.ts';
import { ledgerKeys } from '#shared/adapters/ledger-keys.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { chunksOfFile, donorNip, makeChunk, workerNik } from '../../unit/ingest/chunk-factory.ts';
import { describeCreditLedgerContract } from '../../unit/ingest/credit-ledger-contract.ts';
import { type DdbTestBackend, ddbBackendOf } from './ddb-backend.ts';

const cloud = useLocalCloud();
let backend: DdbTestBackend;

beforeAll(() => {
  backend = ddbBackendOf(cloud());
});

const freshLedger = async () => {
  const { ledger: tableName } = await backend.newTables();
  const meter = makeCapacityMeter();
  return { tableName, meter, ledger: new DynamoDbCreditLedger({ ddb: backend.ddb, tableName, meter }) };
};

const queryAll = async (tableName: string, pk: string) => {
  const out = await backend.ddb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return out.Items ?? [];
};

describeCreditLedgerContract('DynamoDB adapter', async () => (await freshLedger()).ledger);

describe('DynamoDbCreditLedger item layout', () => {
  it('writes rows under pool+period+agency, the directory once per donor, and one summary per chunk', async () => {
    const { tableName, ledger } = await freshLedger();
    const chunk = makeChunk({
      agency: 'DINKES',
      entries: [
        { nip: donorNip(1), amount: 25_000, line: 2, workerNik: workerNik(1) },
        { nip: donorNip(2), amount: 50_000, line: 3 },
      ],
    });
    await ledger.writeChunk(chunk, new Date('2025-07-02T00:00:00Z'));
    await ledger.writeChunk({ ...chunk, period: '2025-08', chunkId: 'f-aug#0', fileId: 'f-aug' }, new Date());

    const rows = await queryAll(tableName, ledgerKeys.deductionPartition('15.04', '2025-07', 'DINKES'));
    const directory = await queryAll(tableName, `DONOR#${donorNip(1)}`);
    const summaries = await queryAll(tableName, ledgerKeys.creditPartition('15.04'));

    expect(rows.map((r) => [r.sk, r.amount, r.workerNik])).toEqual([
      // A row earmarking a worker carries it in its key (one row per NIP + worker).
      [`${donorNip(1)}#${chunk.fileId}#D:${workerNik(1)}`, 25_000, workerNik(1)],
      [`${donorNip(2)}#${chunk.fileId}#D`, 50_000, undefined],
    ]);
    expect(directory).toEqual([
      expect.objectContaining({
        sk: '15.04#DINKES',
        firstPeriod: '2025-07',
        recordedAt: '2025-07-02T00:00:00.000Z',
      }),
    ]);
    expect(summaries.map((s) => [s.sk, s.total, s.rows, s.earmarks])).toEqual([
      [`2025-07#DINKES#${chunk.chunkId}`, 75_000, 2, [{ nip: donorNip(1), nik: workerNik(1) }]],
      ['2025-08#DINKES#f-aug#0', 75_000, 2, [{ nip: donorNip(1), nik: workerNik(1) }]],
    ]);
  });

  it('stays within 1.1 write units per deduction for a fresh month of known donors', async () => {
    const { meter, ledger } = await freshLedger();
    const month = (period: string): DeductionChunk[] =>
      ['DINKES', 'DISDIK', 'BKAD'].flatMap((agency, a) =>
        chunksOfFile({
          pool: '15.04',
          period,
          agency,
          fileId: `f-${period}-${agency}`,
          donors: Array.from({ length: 170 }, (_, i) => a * 1000 + i),
          earmark: (d) => (d % 25 === 0 ? workerNik(d) : undefined),
        }),
      );
    const firstMonth = month('2025-07');
    const deductions = firstMonth.flatMap((c) => c.entries).length;

    for (const chunk of firstMonth) await ledger.writeChunk(chunk, new Date('2025-07-02T00:00:00Z'));
    const newDonors = { ...meter };
    meter.read = 0;
    meter.write = 0;
    for (const chunk of month('2025-08')) await ledger.writeChunk(chunk, new Date('2025-08-02T00:00:00Z'));
    const knownDonors = { ...meter };
    meter.write = 0;
    for (const chunk of month('2025-08')) await ledger.writeChunk(chunk, new Date('2025-08-03T00:00:00Z'));

    const perDeduction = (units: number) => Math.round((units / deductions) * 1000) / 1000;
    console.info(
      `[${backend.kind}] WCU per deduction: new donors ${perDeduction(newDonors.write)}, ` +
        `known donors ${perDeduction(knownDonors.write)} (RCU ${perDeduction(knownDonors.read)}), ` +
        `redelivered month ${perDeduction(meter.write)}`,
    );
    expect(knownDonors.write / deductions).toBeLessThanOrEqual(1.1);
    // The emulator reports capacity (a zero would make the bound above meaningless).
    expect(knownDonors.write).toBeGreaterThanOrEqual(deductions);
    // The directory is written once per new donor, so the first month costs about one unit more.
    expect(newDonors.write).toBeGreaterThan(knownDonors.write + deductions * 0.9);
    expect(meter.write).toBe(0);
  });
});
