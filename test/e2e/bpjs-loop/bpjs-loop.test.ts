import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNik } from '#domain/identifiers.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { dynamoDbFinanceDeps } from '#shared/finance-api/wiring.ts';
import { type Pipeline, startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makeReconcileBpjs } from '#shared/use-cases/bpjs-loop/reconcile-bpjs.ts';
import { makeRecordPayment } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * The loop with BPJS closed, end to end on the local cloud: a pool's month allocated by the pipeline,
 * its bill approved by one finance user and released by another (the same user's second approval
 * refused), the payment recorded, and BPJS's confirmation file dropped in S3 and applied by the
 * apply-bpjs-confirmations function: it confirms 8 lines, misses 2, adds 1 unknown line and assigns
 * KPJs to the 3 new workers. The reconciliation, the registry and the daily scan show exactly that;
 * the same file again changes nothing.
 */
const cloud = useLocalCloud();
const clock = new SimulatedClock(new Date('2026-03-01T01:00:00Z'));
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline(cloud(), { clock, maxBatchingWindowSeconds: 0 });
});
afterAll(async () => {
  await pipeline?.stop();
});

const POOL = '15.04';
const MONTH = '2026-03';
const nik = (seq: number) =>
  makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: false, seq });
const kpj = (seq: number) => `1000000000${seq - 1}`.slice(-11).padStart(11, '9');
const put = (key: string, body: string) =>
  cloud().clients.s3.send(
    new PutObjectCommand({ Bucket: cloud().names.buckets.intake, Key: key, Body: body }),
  );
const read = async (key: string) => {
  const out = await cloud().clients.s3.send(
    new GetObjectCommand({ Bucket: cloud().names.buckets.reports, Key: key }),
  );
  return (await out.Body?.transformToString('utf-8')) ?? '';
};
const send = (queue: 'allocationJobs' | 'scanJobs', body: object) =>
  cloud().clients.sqs.send(
    new SendMessageCommand({ QueueUrl: cloud().names.queues[queue].url, MessageBody: JSON.stringify(body) }),
  );

describe('closing the loop with BPJS', () => {
  it('bill approved and released, payment recorded, BPJS answer applied once: exactly the mismatches, KPJs, alerts', async () => {
    // prepare: 10 workers, 7 with a KPJ and 3 new ones without; a grant that sustains them all.
    const workers = [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `${nik(i + 1)};Pekerja ${i + 1};${i < 7 ? kpj(i + 1) : ''};JKK_JKM;petani;2026-02-0${(i % 9) + 1}`,
      ),
    ].join('\n');
    await put(`incoming/workers/${POOL}/awal.csv`, workers);
    await put(
      `incoming/grants/${POOL}/bkbk.csv`,
      `referensi;sumber;periode;jumlah\nBKBK-2026;BKBK;${MONTH};3000000\n`,
    );
    await cloud().drain({ timeoutMs: 30_000 });
    clock.set(new Date('2026-03-09T23:00:00Z'));
    await send('allocationJobs', { kind: 'ALLOCATE', pool: POOL, month: MONTH });
    await cloud().drain({ timeoutMs: 30_000 });

    const { ddb } = cloud().clients;
    const tableName = cloud().names.tables.ledger;
    const deps = {
      log: new DynamoDbAllocationLog({ ddb, tableName }),
      book: new DynamoDbBillBook({ ddb, tableName }),
      confirmations: new DynamoDbConfirmationStore({ ddb, tableName }),
      clock,
    };
    const bills = makeBillApproval(deps);
    const registry = new DynamoDbWorkerRegistry({ ddb, tableName: cloud().names.tables.registry });

    // act 1: maker and checker, then the payment.
    clock.set(new Date('2026-03-11T02:00:00Z'));
    expect(await bills.status(POOL, MONTH)).toMatchObject({ state: 'PREPARED', workers: 10, total: 168_000 });
    await bills.approve({ pool: POOL, month: MONTH, by: 'keu.ani' });
    await expect(bills.approve({ pool: POOL, month: MONTH, by: 'keu.ani' })).rejects.toMatchObject({
      code: 'SAME_USER_SECOND_APPROVAL',
    });
    await expect(bills.release({ pool: POOL, month: MONTH, by: 'keu.ani' })).rejects.toMatchObject({
      code: 'SAME_USER_SECOND_APPROVAL',
    });
    const released = await bills.release({ pool: POOL, month: MONTH, by: 'keu.budi' });
    const paid = await makeRecordPayment(deps)({
      pool: POOL,
      months: [MONTH],
      amount: 'Rp168.000',
      paidOn: '2026-03-11',
      reference: 'KI-1504-202603',
      referenceKind: 'KODE_IURAN',
      by: 'keu.citra',
    });

    // act 2: BPJS's answer: w1-w5 and w8-w10 confirmed (w8-w10 with new KPJs), w6 and w7 missing, one unknown.
    const stranger = makeNik({
      regency: '15.04',
      district: '02',
      birth: '1980-01-01',
      female: true,
      seq: 77,
    });
    const answer = [
      'KPJ;NIK;Bulan;Program;Jumlah;Status;KPJ_Baru;Keterangan',
      ...[1, 2, 3, 4, 5].map((s) => `${kpj(s)};${nik(s)};${MONTH};JKK_JKM;16800;DITERIMA;;`),
      ...[8, 9, 10].map((s) => `;${nik(s)};${MONTH};JKK_JKM;16800;DITERIMA;${kpj(s)};peserta baru`),
      `${kpj(77)};${stranger};${MONTH};JKK_JKM;16800;DITERIMA;;`,
    ].join('\n');
    const key = `incoming/bpjs/${POOL}/${MONTH}/konfirmasi.csv`;
    clock.set(new Date('2026-03-12T03:00:00Z'));
    await put(key, answer);
    await cloud().drain({ timeoutMs: 30_000 });
    const reconcile = makeReconcileBpjs(deps);
    const r1 = await reconcile(POOL, MONTH);
    const histories1 = await Promise.all([8, 9, 10].map((s) => registry.history(POOL, nik(s))));
    const queries = makeFinanceQueries(
      dynamoDbFinanceDeps({
        ddb,
        ledgerTable: tableName,
        registryTable: cloud().names.tables.registry,
        clock,
      }),
    );
    const coverage = await Promise.all(
      [1, 6, 8].map((s) => queries.coverageByNik({ pool: POOL, nik: nik(s) })),
    );

    // act 3: the daily scan on the allocation deadline (Friday 13 March: the 15th is a Sunday).
    clock.set(new Date('2026-03-13T00:00:00Z'));
    await send('scanJobs', { kind: 'SCAN', pool: POOL, date: '2026-03-13' });
    await cloud().drain({ timeoutMs: 30_000 });
    const alertsCsv = await read(`reports/alerts/${POOL}/2026-03-13.csv`);

    // act 4: the same file again.
    await put(key, answer);
    await cloud().drain({ timeoutMs: 30_000 });
    const r2 = await reconcile(POOL, MONTH);
    const histories2 = await Promise.all([8, 9, 10].map((s) => registry.history(POOL, nik(s))));

    // assess
    expect(released.record).toMatchObject({ approved: { by: 'keu.ani' }, released: { by: 'keu.budi' } });
    expect(paid).toMatchObject({ status: 'RECORDED', payment: { amount: 168_000, recordedBy: 'keu.citra' } });
    const classes = r1.threeWay.lines.map((l) => [l.nik, l.class, l.addressee]);
    expect(classes.filter(([, c]) => c !== 'MATCHED')).toEqual(
      [
        [nik(6), 'BILLED_NOT_RECEIPTED', 'ops'],
        [nik(7), 'BILLED_NOT_RECEIPTED', 'ops'],
        [stranger, 'RECEIPTED_NOT_BILLED', 'ops'],
      ].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1)),
    );
    expect(r1.threeWay.byClass.MATCHED).toEqual({ count: 8, billed: 134_400, receipted: 134_400 });
    expect(r1.threeWay).toMatchObject({
      billTotal: 168_000,
      receiptTotal: 151_200,
      paid: true,
      answered: true,
    });
    for (const s of [8, 9, 10]) expect((await registry.getEnrollment(POOL, nik(s)))?.kpj).toBe(kpj(s));
    for (const h of histories1)
      expect(h.at(-1)).toMatchObject({ change: 'UPDATED', after: { kpj: expect.any(String) } });
    const unconfirmed = alertsCsv.split('\r\n').filter((l) => l.startsWith('PAYMENT_UNCONFIRMED;'));
    expect(unconfirmed).toHaveLength(2);
    // the worker's coverage: allocated and confirmed by BPJS, from the committed answer
    expect(coverage.map((c) => c.months.map((m) => [m.month, m.funded, m.bpjs, m.answer]))).toEqual([
      [[MONTH, true, 'CONFIRMED', 'DITERIMA']],
      [[MONTH, true, 'BILLED_NOT_CONFIRMED', 'NOT_IN_ANSWER']],
      [[MONTH, true, 'CONFIRMED', 'DITERIMA']],
    ]);
    expect(r2).toEqual(r1);
    expect(histories2).toEqual(histories1);
  });
});
