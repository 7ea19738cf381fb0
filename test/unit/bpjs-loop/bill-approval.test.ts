import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { InMemoryAllocationLog } from '#test/support/in-memory-allocation.ts';
import { InMemoryBillBook } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun, runRecord } from '#test/support/run-records.ts';

const clock = { now: () => new Date('2026-03-12T02:00:00.000Z') };

async function world(
  runs: RunRecord[] = [{ ...fundedRun('2026-03', 10), outputsAt: '2026-03-10T00:02:00.000Z' }],
) {
  const log = new InMemoryAllocationLog();
  for (const r of runs) await log.createRun(r);
  const book = new InMemoryBillBook();
  return { log, book, bills: makeBillApproval({ log, book, clock }) };
}
const req = (by: string) => ({ pool: '15.04', month: '2026-03', by });

describe('bill approval, maker and checker', () => {
  it('a completed month is PREPARED; one user approves, another releases; who and when are on the record', async () => {
    const { bills } = await world();
    expect(await bills.status('15.04', '2026-03')).toMatchObject({
      state: 'PREPARED',
      total: 168_000,
      workers: 10,
    });
    expect(await bills.approve(req('keu.ani'))).toMatchObject({
      state: 'APPROVED',
      record: { approved: { by: 'keu.ani', at: '2026-03-12T02:00:00.000Z', total: 168_000, workers: 10 } },
    });
    const released = await bills.release(req('keu.budi'));
    expect(released).toMatchObject({ state: 'RELEASED', record: { released: { by: 'keu.budi' } } });
  });

  it('refuses the same user’s second approval, a second approval, an early release and a second release', async () => {
    const { bills } = await world();
    await expect(bills.release(req('keu.budi'))).rejects.toMatchObject({ code: 'BILL_NOT_APPROVED' });
    await bills.approve(req('keu.ani'));
    await expect(bills.approve(req('keu.ani'))).rejects.toMatchObject({ code: 'SAME_USER_SECOND_APPROVAL' });
    await expect(bills.release(req('keu.ani'))).rejects.toMatchObject({ code: 'SAME_USER_SECOND_APPROVAL' });
    await expect(bills.approve(req('keu.budi'))).rejects.toMatchObject({ code: 'BILL_ALREADY_APPROVED' });
    await bills.release(req('keu.budi'));
    await expect(bills.release(req('keu.citra'))).rejects.toMatchObject({ code: 'BILL_ALREADY_RELEASED' });
    await expect(bills.approve(req('bad id!'))).rejects.toMatchObject({ code: 'OPERATOR_ID_INVALID' });
  });

  it('a month not done (running, or completed without its bill) cannot be approved', async () => {
    const running = runRecord({ month: '2026-03', seq: 1, status: 'RUNNING', completedAt: undefined });
    const { bills } = await world([running]);
    expect((await bills.status('15.04', '2026-03')).state).toBe('NOT_READY');
    await expect(bills.approve(req('keu.ani'))).rejects.toMatchObject({ code: 'BILL_NOT_PREPARED' });
    const noOutputs = await world([fundedRun('2026-03', 10)]);
    await expect(noOutputs.bills.approve(req('keu.ani'))).rejects.toMatchObject({
      code: 'BILL_NOT_PREPARED',
    });
  });

  it('a re-run of the month makes a new bill: PREPARED again, the old approval releases nothing', async () => {
    const { log, bills } = await world();
    await bills.approve(req('keu.ani'));
    await log.createRun(runRecord({ month: '2026-03', seq: 2, outputsAt: '2026-03-11T00:00:00.000Z' }));
    expect((await bills.status('15.04', '2026-03')).state).toBe('PREPARED');
    await expect(bills.release(req('keu.budi'))).rejects.toMatchObject({ code: 'BILL_NOT_APPROVED' });
  });

  it('a lost race is refused with the winner’s decision', async () => {
    const { book, bills } = await world();
    // Another finance user's approval lands between this one's read and its write.
    const real = book.recordApproval.bind(book);
    book.recordApproval = async (pool, month, a) => {
      await real(pool, month, { ...a, by: 'keu.dewi' });
      return real(pool, month, a);
    };
    await expect(bills.approve(req('keu.ani'))).rejects.toMatchObject({ code: 'BILL_ALREADY_APPROVED' });
  });
});
