import { describe, expect, it } from 'vitest';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makePaymentUnconfirmed } from '#shared/use-cases/bpjs-loop/payment-unconfirmed.ts';
import { InMemoryAllocationLog } from '#test/support/in-memory-allocation.ts';
import { InMemoryBillBook, InMemoryConfirmationStore } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun } from '#test/support/run-records.ts';

const MONTH = '2026-03';
const nik = (n: number) => `150401010190${String(n).padStart(4, '0')}`;
const entry = (n: number): AllocationEntry => ({
  pool: '15.04',
  month: MONTH,
  nik: nik(n),
  kpj: `9000000000${n}`.slice(-11),
  tier: 'JKK_JKM',
  amount: 16_800,
  priority: 'ACTIVE',
  runId: `15.04/${MONTH}/001`,
  name: `Pekerja ${n}`,
  allocatedAt: '2026-03-10T01:00:00.000Z',
});
const line = (n: number, over: Partial<ConfirmationLine> = {}): ConfirmationLine => ({
  nik: nik(n),
  kpj: `9000000000${n}`.slice(-11),
  month: MONTH,
  programme: 'JKK_JKM',
  amount: 16_800,
  status: 'DITERIMA',
  line: n + 1,
  ...over,
});

/** March 2026 of a pool, 4 workers billed (due Monday 16 March, allocation deadline Friday 13 March). */
async function world() {
  const log = new InMemoryAllocationLog();
  await log.createRun({ ...fundedRun(MONTH, 4), outputsAt: '2026-03-10T01:00:00.000Z' });
  await log.writeAllocations([1, 2, 3, 4].map(entry));
  const book = new InMemoryBillBook();
  const confirmations = new InMemoryConfirmationStore();
  const clock = { now: () => new Date('2026-03-11T02:00:00.000Z') };
  const deps = { log, book, confirmations, clock };
  const answer = async (lines: ConfirmationLine[]) => {
    await confirmations.putLines('15.04', MONTH, 'f1', lines);
    await confirmations.setCurrent('15.04', MONTH, {
      fileId: 'f1',
      key: `incoming/bpjs/15.04/${MONTH}/jawaban.csv`,
      receivedAt: '2026-03-12T00:00:00.000Z',
      lines: lines.length,
    });
  };
  const release = async () => {
    const bills = makeBillApproval(deps);
    await bills.approve({ pool: '15.04', month: MONTH, by: 'keu.ani' });
    await bills.release({ pool: '15.04', month: MONTH, by: 'keu.budi' });
  };
  return { scan: makePaymentUnconfirmed(deps), answer, release };
}

const view = (alerts: Awaited<ReturnType<ReturnType<typeof makePaymentUnconfirmed>>>) =>
  alerts.map((a) => [a.subject, a.severity, a.details.bpjs]);

describe('PAYMENT_UNCONFIRMED: covered means confirmed by BPJS', () => {
  it('leaves a month alone while the loop is not in use for it (no release, no answer)', async () => {
    const { scan } = await world();
    expect(await scan('15.04', '2026-03-20')).toEqual([]);
  });

  it('a released month: every billed worker unconfirmed from the allocation deadline, WARNING until the due date, CRITICAL after', async () => {
    const { scan, release } = await world();
    await release();
    expect(await scan('15.04', '2026-03-12')).toEqual([]);
    const onDeadline = await scan('15.04', '2026-03-13');
    expect(view(onDeadline)).toEqual([1, 2, 3, 4].map((n) => [nik(n), 'WARNING', 'NO_ANSWER']));
    expect(onDeadline[0]).toMatchObject({ daysUntilDue: 3, details: { answered: 'no' } });
    // Monday 16 March is the due date itself; from Tuesday the month is not covered.
    expect(view(await scan('15.04', '2026-03-16')).every(([, s]) => s === 'WARNING')).toBe(true);
    expect(view(await scan('15.04', '2026-03-17')).every(([, s]) => s === 'CRITICAL')).toBe(true);
    // April's scan still looks at March (the month before).
    expect(await scan('15.04', '2026-04-02')).toHaveLength(4);
  });

  it('judges by the answer where one exists, even for a bill not released here: refused is CRITICAL at once, missing waits for the due date', async () => {
    const { scan, answer } = await world();
    await answer([line(1), line(2, { status: 'DITOLAK', amount: 0 }), line(4, { amount: 0 })]);
    const alerts = await scan('15.04', '2026-03-13');
    expect(view(alerts)).toEqual([
      [nik(2), 'CRITICAL', 'DITOLAK'],
      [nik(3), 'WARNING', 'NOT_IN_ANSWER'],
      // DITERIMA with nothing received is no confirmation (the coverage view says the same)
      [nik(4), 'WARNING', 'NOT_IN_ANSWER'],
    ]);
    expect(alerts[0]).toMatchObject({ month: MONTH, details: { answered: 'yes', billed: 16_800 } });
    expect(view(await scan('15.04', '2026-03-17')).map(([, s]) => s)).toEqual([
      'CRITICAL',
      'CRITICAL',
      'CRITICAL',
    ]);
  });
});
