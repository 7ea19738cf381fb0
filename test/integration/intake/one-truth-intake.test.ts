/**
 * What a treasurer is told is what the ledger holds, on the emulators (docs/intake.md): the intake use
 * cases on the real S3, DynamoDB and SQS adapters, the deductions queue drained into the real ledger.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { deductionChunkSchema } from '#domain/messages.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { DynamoDbAgencyRegistry } from '#shared/adapters/dynamodb-agency-registry.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsDeductionQueue } from '#shared/adapters/sqs-deduction-queue.ts';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { fixedClock, lateQuoteCp1252 } from '#test/unit/intake-use-cases/payroll-fixtures.ts';

const cloud = useLocalCloud();

/** The S3 adapter, its stream cut into pieces of `size` bytes (S3 hands out whatever sizes it likes). */
function rechunked(store: ObjectStore, size: number): ObjectStore {
  return {
    getStream: async (bucket, key, opts) => {
      const source = await store.getStream(bucket, key, opts);
      return (async function* () {
        let carry = Buffer.alloc(0);
        for await (const chunk of source) {
          carry = Buffer.concat([carry, chunk]);
          while (carry.length >= size) {
            yield carry.subarray(0, size);
            carry = carry.subarray(size);
          }
        }
        if (carry.length > 0) yield carry;
      })();
    },
    getText: (b, k) => store.getText(b, k),
    put: (b, k, body, type) => store.put(b, k, body, type),
    putStream: (b, k, chunks, type) => store.putStream(b, k, chunks, type),
  };
}

function adapters(chunkSize = 64 * 1024) {
  const { clients, names } = cloud();
  const ddb = { ddb: clients.ddb, tableName: names.tables.registry };
  const objects = rechunked(new S3ObjectStore({ s3: clients.s3 }), chunkSize);
  const ledger = new DynamoDbCreditLedger({ ddb: clients.ddb, tableName: names.tables.ledger });
  const queue = new SqsDeductionQueue({ sqs: clients.sqs, queueUrl: names.queues.deductions.url });
  const files = new DynamoDbFileRegistry(ddb);
  const agencies = new DynamoDbAgencyRegistry(ddb);
  const clock = fixedClock();
  const deps = { objects, files, agencies, queue, clock, reportsBucket: names.buckets.reports };
  return { ...deps, ledger, split: makeSplitPayrollFile(deps) };
}

/** Moves every chunk waiting on the deductions queue into the ledger (what ingest-deductions does). */
async function ingestAll(ledger: DynamoDbCreditLedger): Promise<void> {
  const { clients, names } = cloud();
  for (;;) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: names.queues.deductions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return;
    for (const m of messages)
      await ledger.writeChunk(deductionChunkSchema.parse(JSON.parse(m.Body ?? '')), new Date());
    await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: names.queues.deductions.url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

async function ledgerHolds(ledger: DynamoDbCreditLedger, pool: string, period: string): Promise<number> {
  const c = (await ledger.creditsByPeriod(pool)).find((p) => p.period === period);
  return (c?.deductions ?? 0) + (c?.corrections ?? 0) + (c?.grants ?? 0);
}

describe('one truth at intake, on the emulators', () => {
  it('encoding: a windows-1252 file with `’` after 64 KiB gives one result at every chunk size, and the ledger holds it', async () => {
    const { body } = lateQuoteCp1252();
    const { clients, names } = cloud();
    const results = [];
    for (const [i, size] of [1024, 64 * 1024 + 1, 1 << 20].entries()) {
      const key = `incoming/payroll/15.04/2026-01/ENC${i}.csv`;
      await clients.s3.send(new PutObjectCommand({ Bucket: names.buckets.intake, Key: key, Body: body }));
      const t = adapters(size);
      const out = await t.split({ bucket: names.buckets.intake, key });
      await ingestAll(t.ledger);
      results.push(out);
    }
    for (const out of results) {
      expect(out).toMatchObject({ status: 'ACCEPTED', counts: { acceptedRows: 1_400, rejectedRows: 0 } });
      expect(out.amounts.accepted).toBe(23_520_000);
    }
    expect(await ledgerHolds(adapters().ledger, '15.04', '2026-01')).toBe(3 * 23_520_000);
  });
});
