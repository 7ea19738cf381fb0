import { describe, expect, it } from 'vitest';
import type { BillApproval, BillBook, Payment } from '#domain/ports/bill-book.ts';

/**
 * The behaviour every BillBook must share: run against the in-memory fake (test/unit/contracts) and the
 * DynamoDB adapter on the emulator (test/integration/contracts).
 */
const approval = (by: string, version = '15.04/2026-03/001'): BillApproval => ({
  by,
  at: '2026-03-12T02:00:00.000Z',
  version,
  total: 168_000,
  workers: 10,
});

const payment = (reference: string, pool = '15.04'): Payment => ({
  pool,
  reference,
  referenceKind: 'KODE_IURAN',
  amount: 168_000,
  paidOn: '2026-03-13',
  bills: [{ month: '2026-03', version: '15.04/2026-03/001', total: 168_000 }],
  recordedBy: 'bendahara.b',
  recordedAt: '2026-03-13T03:00:00.000Z',
});

export const describeBillBookContract = (name: string, make: () => Promise<BillBook>) => {
  describe(`BillBook contract: ${name}`, () => {
    it('records one approval per bill version; a second is a conflict, another version is its own', async () => {
      const book = await make();
      expect(await book.get('15.04', '2026-03', '15.04/2026-03/001')).toBeUndefined();
      expect(await book.recordApproval('15.04', '2026-03', approval('keu.a'))).toBe('RECORDED');
      expect(await book.recordApproval('15.04', '2026-03', approval('keu.b'))).toBe('CONFLICT');
      expect(await book.recordApproval('15.04', '2026-03', approval('keu.b', '15.04/2026-03/002'))).toBe(
        'RECORDED',
      );
      expect(await book.get('15.04', '2026-03', '15.04/2026-03/001')).toEqual({
        pool: '15.04',
        month: '2026-03',
        version: '15.04/2026-03/001',
        approved: approval('keu.a'),
      });
    });

    it('releases only an approved version, only once, never by its approver', async () => {
      const book = await make();
      const release = (by: string) => ({ by, at: '2026-03-12T05:00:00.000Z' });
      expect(await book.recordRelease('15.04', '2026-03', '15.04/2026-03/001', release('keu.b'))).toBe(
        'CONFLICT',
      );
      await book.recordApproval('15.04', '2026-03', approval('keu.a'));
      expect(await book.recordRelease('15.04', '2026-03', '15.04/2026-03/001', release('keu.a'))).toBe(
        'CONFLICT',
      );
      expect(await book.recordRelease('15.04', '2026-03', '15.04/2026-03/001', release('keu.b'))).toBe(
        'RECORDED',
      );
      expect(await book.recordRelease('15.04', '2026-03', '15.04/2026-03/001', release('keu.c'))).toBe(
        'CONFLICT',
      );
      expect((await book.get('15.04', '2026-03', '15.04/2026-03/001'))?.released).toEqual(release('keu.b'));
    });

    it('records a payment once per pool and reference, and lists a pool’s payments by reference', async () => {
      const book = await make();
      expect(await book.recordPayment(payment('KI-2'))).toBe('RECORDED');
      expect(await book.recordPayment(payment('KI-1'))).toBe('RECORDED');
      expect(await book.recordPayment({ ...payment('KI-1'), amount: 1 })).toBe('DUPLICATE');
      expect(await book.recordPayment(payment('KI-1', '15.05'))).toBe('RECORDED');
      expect(await book.payments('15.04')).toEqual([payment('KI-1'), payment('KI-2')]);
    });
  });
};
