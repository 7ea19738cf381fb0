import { describe, expect, it } from 'vitest';
import { ConflictError } from '#domain/errors.ts';
import type { Grant } from '#domain/model.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import { chunksOfFile, donorNip, makeChunk, workerNik } from './chunk-factory.ts';

const at = (iso: string) => new Date(iso);

const grant = (over: Partial<Grant> = {}): Grant => ({
  pool: '15.04.01.2001',
  reference: 'BKBK-2025-001',
  source: 'BKBK',
  period: '2025-08',
  amount: 10_000_000,
  fileId: 'g-1',
  line: 2,
  ...over,
});

/**
 * The behaviour every CreditLedger must share: run against the in-memory fake (unit) and the DynamoDB
 * adapter on both emulators (integration), so the fake others test with cannot drift from the real one.
 */
export const describeCreditLedgerContract = (name: string, makeLedger: () => Promise<CreditLedger>) => {
  describe(`CreditLedger contract: ${name}`, () => {
    it('counts a chunk once however often it is written', async () => {
      const ledger = await makeLedger();
      const chunk = makeChunk({
        entries: [
          { nip: donorNip(1), amount: 25_000, line: 2 },
          { nip: donorNip(2), amount: 50_000, line: 3 },
        ],
      });

      const outcomes = [
        await ledger.writeChunk(chunk, at('2025-07-02T01:00:00Z')),
        await ledger.writeChunk(chunk, at('2025-07-02T02:00:00Z')),
        await ledger.writeChunk(chunk, at('2025-08-30T02:00:00Z')),
      ];

      expect(outcomes).toEqual(['WRITTEN', 'ALREADY_PRESENT', 'ALREADY_PRESENT']);
      expect(await ledger.creditsByPeriod('15.04')).toEqual([
        {
          period: '2025-07',
          deductions: 75_000,
          corrections: 0,
          grants: 0,
          deductionRows: 2,
          payrollChunks: 1,
          lastPayrollAt: '2025-07-02T01:00:00.000Z',
        },
      ]);
    });

    it('keeps pools, periods and corrections apart and sums corrections signed', async () => {
      const ledger = await makeLedger();
      const july = chunksOfFile({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f1',
        donors: [1, 2, 3],
      });
      const other = chunksOfFile({
        pool: '15.03',
        period: '2025-07',
        agency: 'A',
        fileId: 'f2',
        donors: [4],
      });
      const correction = makeChunk({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f3',
        kind: 'CORRECTION',
        entries: [
          { nip: donorNip(1), amount: -5_000, line: 2 },
          { nip: donorNip(9), amount: 20_000, line: 5 },
        ],
      });
      for (const c of [...july, ...other, correction]) await ledger.writeChunk(c, at('2025-07-03T00:00:00Z'));

      const julyTotal = july.flatMap((c) => c.entries).reduce((s, e) => s + e.amount, 0);
      expect(await ledger.creditsByPeriod('15.04')).toEqual([
        {
          period: '2025-07',
          deductions: julyTotal,
          corrections: 15_000,
          grants: 0,
          deductionRows: 3,
          payrollChunks: 2,
          lastPayrollAt: '2025-07-03T00:00:00.000Z',
        },
      ]);
      expect((await ledger.creditsByPeriod('15.03'))[0]?.deductionRows).toBe(1);
      expect(await ledger.creditsByPeriod('15.05')).toEqual([]);
    });

    it('reports credits as they stood at asOf', async () => {
      const ledger = await makeLedger();
      const [first] = chunksOfFile({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f1',
        donors: [1],
      });
      const [second] = chunksOfFile({
        pool: '15.04',
        period: '2025-08',
        agency: 'A',
        fileId: 'f2',
        donors: [1],
      });
      if (first === undefined || second === undefined) throw new Error('fixture');
      await ledger.writeChunk(first, at('2025-07-02T00:00:00Z'));
      await ledger.writeChunk(second, at('2025-08-02T00:00:00Z'));

      const before = await ledger.creditsByPeriod('15.04', at('2025-07-31T23:59:59Z'));
      const exactly = await ledger.creditsByPeriod('15.04', at('2025-08-02T00:00:00Z'));

      expect(before.map((p) => p.period)).toEqual(['2025-07']);
      expect(exactly.map((p) => p.period)).toEqual(['2025-07', '2025-08']);
    });

    it('credits a grant once per reference and refuses the same reference with other money', async () => {
      const ledger = await makeLedger();

      expect(await ledger.writeGrant(grant(), at('2025-08-01T00:00:00Z'))).toBe('WRITTEN');
      expect(await ledger.writeGrant(grant({ fileId: 'g-2' }), at('2025-08-05T00:00:00Z'))).toBe(
        'ALREADY_PRESENT',
      );
      await expect(
        ledger.writeGrant(grant({ amount: 9_000_000 }), at('2025-08-06T00:00:00Z')),
      ).rejects.toThrow(ConflictError);
      await expect(
        ledger.writeGrant(grant({ period: '2025-09' }), at('2025-08-06T00:00:00Z')),
      ).rejects.toThrow(ConflictError);
      expect(
        await ledger.writeGrant(grant({ reference: 'BKBK-2025-002', amount: 1 }), at('2025-08-07T00:00:00Z')),
      ).toBe('WRITTEN');

      expect(await ledger.creditsByPeriod('15.04.01.2001')).toEqual([
        {
          period: '2025-08',
          deductions: 0,
          corrections: 0,
          grants: 10_000_001,
          deductionRows: 0,
          payrollChunks: 0,
        },
      ]);
    });

    it('returns earmarks with the latest version winning per agency and NIP', async () => {
      const ledger = await makeLedger();
      const original = chunksOfFile({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f1',
        donors: [1, 2, 3],
        earmark: (d) => (d === 3 ? undefined : workerNik(d)),
      });
      const sameNipOtherAgency = chunksOfFile({
        pool: '15.04',
        period: '2025-07',
        agency: 'B',
        fileId: 'f2',
        donors: [1],
        earmark: () => workerNik(50),
      });
      const correction = makeChunk({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f3',
        kind: 'CORRECTION',
        entries: [
          // Rows are NIP + worker; an earmark removed or changed ends the old row's earmark.
          { nip: donorNip(1), amount: -16_800, workerNik: workerNik(1), ended: true, line: 0 },
          { nip: donorNip(1), amount: 16_800, line: 2 },
          { nip: donorNip(2), amount: -16_800, workerNik: workerNik(2), ended: true, line: 0 },
          { nip: donorNip(2), amount: 16_800, workerNik: workerNik(77), line: 3 },
          { nip: donorNip(3), amount: 1_000, line: 4 },
        ],
      });
      for (const c of [...original, ...sameNipOtherAgency])
        await ledger.writeChunk(c, at('2025-07-02T00:00:00Z'));
      await ledger.writeChunk(correction, at('2025-07-09T00:00:00Z'));

      expect(await ledger.earmarks('15.04', '2025-07')).toEqual([
        { agency: 'A', nip: donorNip(2), nik: workerNik(77), recordedAt: '2025-07-09T00:00:00.000Z' },
        { agency: 'B', nip: donorNip(1), nik: workerNik(50), recordedAt: '2025-07-02T00:00:00.000Z' },
      ]);
      expect(await ledger.earmarks('15.04', '2025-08')).toEqual([]);
    });

    it('dates an earmark by its first version: a changed amount keeps the date, naming anew restarts it', async () => {
      // prepare: a late file names w1 on the 20th; two corrections change the amount, then remove w1;
      // a third names w1 again
      const ledger = await makeLedger();
      const base = { pool: '15.04', period: '2025-07', agency: 'A' } as const;
      const named = makeChunk({
        ...base,
        fileId: 'f1',
        entries: [{ nip: donorNip(1), amount: 16_800, workerNik: workerNik(1), line: 2 }],
      });
      const raised = makeChunk({
        ...base,
        fileId: 'f2',
        kind: 'CORRECTION',
        entries: [{ nip: donorNip(1), amount: 20_000, workerNik: workerNik(1), line: 2 }],
      });
      const removed = makeChunk({
        ...base,
        fileId: 'f3',
        kind: 'CORRECTION',
        entries: [{ nip: donorNip(1), amount: -36_800, workerNik: workerNik(1), ended: true, line: 0 }],
      });
      const again = makeChunk({
        ...base,
        fileId: 'f4',
        kind: 'CORRECTION',
        entries: [{ nip: donorNip(1), amount: 16_800, workerNik: workerNik(1), line: 2 }],
      });
      const mark = (recordedAt: string) => [{ agency: 'A', nip: donorNip(1), nik: workerNik(1), recordedAt }];
      // act + assess
      await ledger.writeChunk(named, at('2025-07-20T00:00:00Z'));
      await ledger.writeChunk(raised, at('2025-08-02T00:00:00Z'));
      expect(await ledger.earmarks('15.04', '2025-07')).toEqual(mark('2025-07-20T00:00:00.000Z'));
      await ledger.writeChunk(removed, at('2025-08-03T00:00:00Z'));
      expect(await ledger.earmarks('15.04', '2025-07')).toEqual([]);
      await ledger.writeChunk(again, at('2025-08-12T00:00:00Z'));
      expect(await ledger.earmarks('15.04', '2025-07')).toEqual(mark('2025-08-12T00:00:00.000Z'));
    });

    it('keeps several earmarks of one donor, and a correction of one touches only that one', async () => {
      const ledger = await makeLedger();
      const first = makeChunk({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f1',
        entries: [
          { nip: donorNip(1), amount: 16_800, workerNik: workerNik(1), line: 2 },
          { nip: donorNip(1), amount: 36_800, workerNik: workerNik(2), line: 3 },
          { nip: donorNip(1), amount: 5_000, line: 4 },
        ],
      });
      const correction = makeChunk({
        pool: '15.04',
        period: '2025-07',
        agency: 'A',
        fileId: 'f2',
        kind: 'CORRECTION',
        entries: [{ nip: donorNip(1), amount: -16_800, workerNik: workerNik(1), ended: true, line: 0 }],
      });
      expect(await ledger.writeChunk(first, at('2025-07-02T00:00:00Z'))).toBe('WRITTEN');
      expect(await ledger.earmarks('15.04', '2025-07')).toEqual([
        { agency: 'A', nip: donorNip(1), nik: workerNik(1), recordedAt: '2025-07-02T00:00:00.000Z' },
        { agency: 'A', nip: donorNip(1), nik: workerNik(2), recordedAt: '2025-07-02T00:00:00.000Z' },
      ]);
      await ledger.writeChunk(correction, at('2025-07-09T00:00:00Z'));
      expect(await ledger.earmarks('15.04', '2025-07')).toEqual([
        { agency: 'A', nip: donorNip(1), nik: workerNik(2), recordedAt: '2025-07-02T00:00:00.000Z' },
      ]);
      const credits = await ledger.creditsByPeriod('15.04');
      expect(credits).toEqual([
        {
          period: '2025-07',
          deductions: 58_600,
          corrections: -16_800,
          grants: 0,
          deductionRows: 3,
          payrollChunks: 2,
          lastPayrollAt: '2025-07-09T00:00:00.000Z',
        },
      ]);
    });
  });
};
