import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { TransientError } from '#domain/errors.ts';
import type { DeductionChunk } from '#domain/model.ts';
import { SQS_SEND_POLICY, SqsBatchSender, SqsSenderFaultError } from '#shared/adapters/sqs-batch-sender.ts';
import { SqsDeductionQueue } from '#shared/adapters/sqs-deduction-queue.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';

/** Entries of each SendMessageBatch call, and the answer scripted for each call in turn. */
type Answer = { failed?: string[]; senderFault?: boolean } | Error;

const scripted = (answers: Answer[]) => {
  const calls: string[][] = [];
  const sqs = {
    send: async (command: { input: { Entries?: { Id: string; MessageBody: string }[] } }) => {
      const entries = command.input.Entries ?? [];
      calls.push(entries.map((e) => e.MessageBody));
      const answer = answers[calls.length - 1] ?? {};
      if (answer instanceof Error) throw answer;
      const failed = entries.filter((e) => answer.failed?.includes(e.MessageBody));
      return {
        Failed: failed.map((e) => ({
          Id: e.Id,
          Code: 'InternalError',
          SenderFault: answer.senderFault ?? false,
        })),
      };
    },
  } as unknown as SQSClient;
  return { sqs, calls };
};

const sleeps = () => {
  const waited: number[] = [];
  return { waited, sleep: async (ms: number) => void waited.push(ms) };
};

describe('the one SQS batch sender', () => {
  it('sends 10 to a call, in order', async () => {
    const { sqs, calls } = scripted([]);
    const bodies = Array.from({ length: 25 }, (_, i) => `b${i}`);

    await new SqsBatchSender({ sqs, queueUrl: 'q', what: 'job step' }).sendAll(bodies);

    expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(calls.flat()).toEqual(bodies);
  });

  it('retries only the refused entries, after the declared back-off, also when a call throws', async () => {
    const { sqs, calls } = scripted([
      { failed: ['b1', 'b2'] },
      new Error('socket hang up'),
      { failed: ['b2'] },
    ]);
    const { waited, sleep } = sleeps();

    await new SqsBatchSender({ sqs, queueUrl: 'q', what: 'job step', sleep }).sendAll(['b0', 'b1', 'b2']);

    expect(calls).toEqual([['b0', 'b1', 'b2'], ['b1', 'b2'], ['b1', 'b2'], ['b2']]);
    expect(waited).toEqual([2, 3, 4].map(SQS_SEND_POLICY.backoffMs));
  });

  it("gives up after the policy's attempts with TransientError, and never retries a sender fault", async () => {
    const refused = scripted(Array.from({ length: 9 }, () => ({ failed: ['b0'] })));
    const malformed = scripted([{ failed: ['b0'], senderFault: true }]);
    const { sleep } = sleeps();

    await expect(
      new SqsBatchSender({ sqs: refused.sqs, queueUrl: 'q', what: 'job step', sleep }).sendAll(['b0']),
    ).rejects.toBeInstanceOf(TransientError);
    expect(refused.calls).toHaveLength(SQS_SEND_POLICY.maxAttempts);
    await expect(
      new SqsBatchSender({ sqs: malformed.sqs, queueUrl: 'q', what: 'job step', sleep }).sendAll(['b0']),
    ).rejects.toBeInstanceOf(SqsSenderFaultError);
    expect(malformed.calls).toHaveLength(1);
  });

  it('is what both the job queue and the deduction queue send with: same batches, same retries', async () => {
    const chunk = (i: number): DeductionChunk => ({
      chunkId: `f#D${String(i).padStart(5, '0')}`,
      fileId: 'f',
      kind: 'DEDUCTION',
      pool: '15.04',
      period: '2026-01',
      agency: 'A1',
      entries: [{ nip: '198503142010011001', amount: 16_800, line: i + 2 }],
    });
    const chunks = Array.from({ length: 12 }, (_, i) => chunk(i));
    const jobs = Array.from({ length: 12 }, (_, i) => ({
      kind: 'ALLOCATE',
      pool: `15.${i}`,
      month: '2026-01',
    }));
    const first = (bodies: string[]) => [{ failed: [bodies[3] ?? ''] }, new Error('throttled')];
    const chunkBodies = chunks.map((c) => JSON.stringify(c));
    const jobBodies = jobs.map((j) => JSON.stringify(j));
    const deductions = scripted(first(chunkBodies));
    const jobQueue = scripted(first(jobBodies));

    await new SqsDeductionQueue({ sqs: deductions.sqs, queueUrl: 'q', sleep: sleeps().sleep }).sendChunks(
      chunks,
    );
    // The job queue takes no sleep: its retries wait the policy's real back-off (here 200 + 400 ms).
    await new SqsJobQueue(jobQueue.sqs, 'q').sendAll(jobs);

    expect(deductions.calls.map((c) => c.length)).toEqual([10, 1, 1, 2]);
    expect(jobQueue.calls.map((c) => c.length)).toEqual(deductions.calls.map((c) => c.length));
  });
});
