import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makeRecordPayment } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import { InMemoryAllocationLog } from '#test/support/in-memory-allocation.ts';
import { InMemoryBillBook } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun } from '#test/support/run-records.ts';

const clock = { now: () => new Date('2026-04-13T03:00:00.000Z') };
const done = (month: string, n: number): RunRecord => ({
  ...fundedRun(month, n),
  outputsAt: `${month}-10T01:00:00.000Z`,
});

async function world() {
  const log = new InMemoryAllocationLog();
  await log.createRun(done('2026-03', 10));
  await log.createRun({ ...done('2026-04', 5), previousClosing: 0 });
  const book = new InMemoryBillBook();
  const deps = { log, book, clock };
  const bills = makeBillApproval(deps);
  for (const month of ['2026-03', '2026-04']) {
    await bills.approve({ pool: '15.04', month, by: 'keu.ani' });
    await bills.release({ pool: '15.04', month, by: 'keu.budi' });
  }
  return { book, pay: makeRecordPayment(deps) };
}
const base = {
  pool: '15.04',
  months: ['2026-03', '2026-04'],
  amount: 'Rp252.000',
  paidOn: '13/04/2026',
  reference: 'KI-2026-0413',
  referenceKind: 'KODE_IURAN' as const,
  by: 'keu.citra',
};

describe('recordPayment', () => {
  it('records one transfer against two released bills, once; the same again is DUPLICATE', async () => {
    const { book, pay } = await world();
    const out = await pay(base);
    expect(out).toMatchObject({
      status: 'RECORDED',
      payment: {
        amount: 252_000,
        paidOn: '2026-04-13',
        recordedBy: 'keu.citra',
        bills: [
          { month: '2026-03', total: 168_000 },
          { month: '2026-04', total: 84_000 },
        ],
      },
    });
    expect((await pay(base)).status).toBe('DUPLICATE');
    expect(await book.payments('15.04')).toHaveLength(1);
  });

  it('refuses what is not right: amount, date, reference, unreleased or already-paid bills', async () => {
    const { pay } = await world();
    await expect(pay({ ...base, amount: '252.000,50' })).rejects.toMatchObject({
      code: 'PAYMENT_AMOUNT_INVALID',
    });
    await expect(pay({ ...base, amount: '250000' })).rejects.toMatchObject({
      code: 'PAYMENT_AMOUNT_MISMATCH',
    });
    await expect(pay({ ...base, paidOn: '2026-04-14' })).rejects.toMatchObject({
      code: 'PAYMENT_DATE_INVALID',
    });
    await expect(pay({ ...base, reference: 'a b' })).rejects.toMatchObject({
      code: 'PAYMENT_REFERENCE_INVALID',
    });
    await expect(pay({ ...base, months: ['2026-05'] })).rejects.toMatchObject({ code: 'BILL_NOT_RELEASED' });
    await pay({ ...base, months: ['2026-03'], amount: '168000' });
    await expect(
      pay({ ...base, months: ['2026-03'], amount: '168000', reference: 'VA-9' }),
    ).rejects.toMatchObject({
      code: 'BILL_ALREADY_PAID',
    });
    await expect(pay({ ...base, months: ['2026-04'], amount: '84000' })).rejects.toMatchObject({
      code: 'PAYMENT_REFERENCE_TAKEN',
    });
  });
});

describe('recordPayment, a large pool', () => {
  it('records a bill above the per-row cap of payroll files (Rp10.000.000): a month of 1.000 workers', async () => {
    const log = new InMemoryAllocationLog();
    await log.createRun(done('2026-03', 1_000));
    const deps = { log, book: new InMemoryBillBook(), clock };
    const bills = makeBillApproval(deps);
    await bills.approve({ pool: '15.04', month: '2026-03', by: 'keu.ani' });
    await bills.release({ pool: '15.04', month: '2026-03', by: 'keu.budi' });
    const out = await makeRecordPayment(deps)({
      ...base,
      months: ['2026-03'],
      amount: 'Rp16.800.000',
      reference: 'KI-2026-0313',
    });
    expect(out).toMatchObject({ status: 'RECORDED', payment: { amount: 16_800_000 } });
  });
});
