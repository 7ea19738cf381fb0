import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';
import { type BilledLine, RECON_CLASSES, reconcileThreeWay } from '#domain/three-way.ts';

const nikArb = fc.integer({ min: 1, max: 40 }).map((n) => `1504${String(n).padStart(12, '0')}`);
const kpjArb = fc.option(fc.constantFrom('11111111111', '22222222222', '33333333333'), { nil: undefined });
const amountArb = fc.constantFrom(16_800, 36_800, 20_000);

const billArb = fc.uniqueArray(fc.record({ nik: nikArb, kpj: kpjArb, amount: amountArb }), {
  selector: (b) => b.nik,
  maxLength: 25,
});
const answerArb = fc.option(
  fc.uniqueArray(
    fc.record({
      nik: nikArb,
      kpj: kpjArb,
      newKpj: kpjArb,
      amount: amountArb,
      status: fc.constantFrom('DITERIMA' as const, 'DITERIMA' as const, 'DITOLAK' as const),
    }),
    { selector: (c) => c.nik, maxLength: 25 },
  ),
  { nil: undefined },
);

const clean = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const toLines = (xs: readonly object[] | undefined): ConfirmationLine[] | undefined =>
  xs?.map(
    (x, i) =>
      clean({ ...x, month: '2026-03', programme: 'JKK_JKM', line: i + 2 }) as unknown as ConfirmationLine,
  );

describe('reconcileThreeWay', () => {
  it('puts every worker-month in exactly one class, and the sums per class add up to the bill and the receipts', () => {
    fc.assert(
      fc.property(billArb, answerArb, fc.boolean(), (bill, rawAnswer, paid) => {
        const billed = bill.map((b) => clean(b) as BilledLine);
        const answer = toLines(rawAnswer);
        const r = reconcileThreeWay(billed, answer, paid);
        const received = (answer ?? []).filter((c) => c.status === 'DITERIMA');
        const expected = new Set([...billed.map((b) => b.nik), ...received.map((c) => c.nik)]);
        expect(r.lines.map((l) => l.nik).sort()).toEqual([...expected].sort());
        expect(new Set(r.lines.map((l) => l.nik)).size).toBe(r.lines.length);
        const sum = (f: (t: { count: number; billed: number; receipted: number }) => number) =>
          RECON_CLASSES.reduce((s, k) => s + f(r.byClass[k]), 0);
        expect(sum((t) => t.count)).toBe(expected.size);
        expect(sum((t) => t.billed)).toBe(billed.reduce((s, b) => s + b.amount, 0));
        expect(sum((t) => t.billed)).toBe(r.billTotal);
        expect(sum((t) => t.receipted)).toBe(received.reduce((s, c) => s + c.amount, 0));
        expect(sum((t) => t.receipted)).toBe(r.receiptTotal);
        for (const l of r.lines) expect(l.class === 'MATCHED').toBe(l.addressee === undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('names each mismatch and who fixes it', () => {
    const nik = (n: number) => `1504${String(n).padStart(12, '0')}`;
    const billed: BilledLine[] = [
      { nik: nik(1), kpj: '11111111111', amount: 16_800 },
      { nik: nik(2), kpj: '22222222222', amount: 16_800 },
      { nik: nik(3), amount: 16_800 },
      { nik: nik(4), kpj: '44444444444', amount: 36_800 },
      { nik: nik(5), kpj: '55555555555', amount: 16_800 },
      { nik: nik(6), amount: 16_800 },
    ];
    const c = (n: number, over: Partial<ConfirmationLine>): ConfirmationLine => ({
      nik: nik(n),
      month: '2026-03',
      programme: 'JKK_JKM',
      amount: 16_800,
      status: 'DITERIMA',
      line: n + 1,
      ...over,
    });
    const answer = [
      c(1, { kpj: '11111111111' }),
      c(3, { newKpj: '33333333333' }),
      c(4, { kpj: '44444444444', amount: 16_800 }),
      c(5, { kpj: '99999999999' }),
      c(6, {}),
      c(7, { kpj: '77777777777' }),
    ];
    const r = reconcileThreeWay(billed, answer, true);
    expect(r.lines.map((l) => [l.class, l.addressee])).toEqual([
      ['MATCHED', undefined],
      ['BILLED_NOT_RECEIPTED', 'ops'],
      ['MATCHED', undefined],
      ['AMOUNT_DIFFERS', 'finance'],
      ['KPJ_DIFFERS', 'ops'],
      ['WORKER_UNKNOWN_TO_BPJS', 'ops'],
      ['RECEIPTED_NOT_BILLED', 'ops'],
    ]);
    expect(reconcileThreeWay(billed, undefined, false).lines[1]).toMatchObject({
      class: 'BILLED_NOT_RECEIPTED',
      addressee: 'finance',
    });
  });
});
