import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { settleBatch } from '#shared/local-cloud/sqs-poller.ts';

const record = (messageId: string) => ({ messageId }) as SQSRecord;
const batch = [record('m1'), record('m2'), record('m3')];
const ids = (rs: SQSRecord[]) => rs.map((r) => r.messageId);

describe('settleBatch (Lambda ReportBatchItemFailures semantics)', () => {
  it('deletes everything after success and nothing after a throw', () => {
    expect(ids(settleBatch(batch, { ok: true, result: undefined }).succeeded)).toEqual(['m1', 'm2', 'm3']);
    expect(ids(settleBatch(batch, { ok: false }).failed)).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps only the reported failures', () => {
    const got = settleBatch(batch, { ok: true, result: { batchItemFailures: [{ itemIdentifier: 'm2' }] } });

    expect(ids(got.succeeded)).toEqual(['m1', 'm3']);
    expect(ids(got.failed)).toEqual(['m2']);
  });

  it('fails the whole batch when a reported identifier is not in it', () => {
    const got = settleBatch(batch, {
      ok: true,
      result: { batchItemFailures: [{ itemIdentifier: 'other' }] },
    });

    expect(ids(got.failed)).toEqual(['m1', 'm2', 'm3']);
  });
});
