import { describe, expect, it } from 'vitest';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock, nipOf, payrollCsv } from './payroll-fixtures.ts';

const KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';

function setup() {
  const fakes = makeIntakeFakes();
  const split = makeSplitPayrollFile({ ...fakes, clock: fixedClock(), reportsBucket: REPORTS_BUCKET });
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    return split({ bucket: INTAKE_BUCKET, key });
  };
  const sent = () => fakes.queue.sent.flatMap((c) => c.entries).reduce((s, e) => s + e.amount, 0);
  return { ...fakes, upload, sent };
}

describe('outcomes are computed from what was recorded', () => {
  it('a file rejected whole by its control total shows 0 accepted rows and Rp0, and nothing was sent', async () => {
    const t = setup();
    const rows = [
      { nip: nipOf(0), amount: 16_800 },
      { nip: nipOf(1), amount: 16_800 },
    ];
    const out = await t.upload(KEY, payrollCsv('2026-01', rows, { rows: 2, sum: 40_000 }));
    expect(out).toMatchObject({ status: 'REJECTED', rejectReason: 'CONTROL_TOTAL_MISMATCH' });
    expect(out.counts).toEqual({ dataRows: 2, acceptedRows: 0, rejectedRows: 2 });
    expect(out.amounts).toEqual({ accepted: 0, rejected: 33_600 });
    expect(t.sent()).toBe(0);
    expect((await t.files.getFile(out.fileId))?.acceptedAmount).toBe(0);
  });

  it('a file whose every row is rejected shows Rp0 accepted; a partial file shows exactly what was sent', async () => {
    const t = setup();
    const bad = await t.upload(KEY, payrollCsv('2026-01', [{ nip: '123', amount: 16_800 }]));
    expect(bad).toMatchObject({ status: 'REJECTED', amounts: { accepted: 0 } });
    const part = await t.upload(
      KEY,
      payrollCsv('2026-01', [
        { nip: nipOf(0), amount: 16_800 },
        { nip: '123', amount: 36_800 },
      ]),
    );
    expect(part).toMatchObject({
      status: 'PARTIALLY_REJECTED',
      amounts: { accepted: 16_800, rejected: 36_800 },
    });
    expect(t.sent()).toBe(part.amounts.accepted);
  });
});
