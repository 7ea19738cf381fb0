import { describe, expect, it } from 'vitest';
import type { BillApproval, BillBook, Payment } from '#domain/ports/bill-book.ts';
import type { ConfirmationLine, ConfirmationStore } from '#domain/ports/confirmation-store.ts';

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

const line = (nik: string, over: Partial<ConfirmationLine> = {}): ConfirmationLine => ({
  nik,
  month: '2026-03',
  programme: 'JKK_JKM',
  amount: 16_800,
  status: 'DITERIMA',
  line: 2,
  ...over,
});

/** The behaviour every ConfirmationStore must share (fake and DynamoDB adapter). */
export const describeConfirmationStoreContract = (name: string, make: () => Promise<ConfirmationStore>) => {
  describe(`ConfirmationStore contract: ${name}`, () => {
    it('keeps lines per file version, idempotently, in NIK order, optional fields as given', async () => {
      const store = await make();
      const a = [line('3', { kpj: '12345678901' }), line('1', { newKpj: '22222222222', note: 'baru' })];
      await store.putLines('15.04', '2026-03', 'f1', a);
      await store.putLines('15.04', '2026-03', 'f1', a);
      await store.putLines('15.04', '2026-03', 'f2', [line('2', { status: 'DITOLAK', amount: 0 })]);
      expect(await store.lines('15.04', '2026-03', 'f1')).toEqual([a[1], a[0]]);
      expect(await store.lines('15.04', '2026-03', 'f2')).toHaveLength(1);
      expect(await store.lines('15.04', '2026-04', 'f1')).toEqual([]);
      expect(await store.line('15.04', '2026-03', 'f1', '1')).toEqual(a[1]);
      expect(await store.line('15.04', '2026-03', 'f1', '2')).toBeUndefined();
      expect(await store.line('15.04', '2026-03', 'f2', '2')).toMatchObject({ status: 'DITOLAK' });
    });

    it('moves the month’s pointer only to a file received later, or the same file again', async () => {
      const store = await make();
      const f = (fileId: string, receivedAt: string) => ({
        fileId,
        key: `k/${fileId}`,
        receivedAt,
        lines: 1,
      });
      expect(await store.current('15.04', '2026-03')).toBeUndefined();
      expect(await store.setCurrent('15.04', '2026-03', f('f2', '2026-03-20T00:00:00.000Z'))).toBe('MOVED');
      expect(await store.setCurrent('15.04', '2026-03', f('f1', '2026-03-19T00:00:00.000Z'))).toBe('KEPT');
      expect(await store.setCurrent('15.04', '2026-03', f('f2', '2026-03-20T00:00:00.000Z'))).toBe('MOVED');
      expect(await store.setCurrent('15.04', '2026-03', f('f3', '2026-03-21T00:00:00.000Z'))).toBe('MOVED');
      expect(await store.current('15.04', '2026-03')).toEqual(f('f3', '2026-03-21T00:00:00.000Z'));
      expect(await store.current('15.05', '2026-03')).toBeUndefined();
    });
  });
};
