import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { Payment } from '#domain/ports/bill-book.ts';
import {
  BANK_STATEMENT_COLUMNS,
  billRefsIn,
  parseBankAmount,
  parseBankDate,
} from '#shared/intake/bank-statement-rows.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makeImportPayments } from '#shared/use-cases/bpjs-loop/import-payments.ts';
import { InMemoryAllocationLog } from '#test/support/in-memory-allocation.ts';
import { InMemoryBillBook } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun } from '#test/support/run-records.ts';

const clock = { now: () => new Date('2026-05-20T03:00:00.000Z') };
const done = (month: string, n: number): RunRecord => ({
  ...fundedRun(month, n),
  outputsAt: `${month}-10T01:00:00.000Z`,
});

/** March (Rp168.000), April and May (Rp84.000 each) released; June never allocated. */
async function world() {
  const log = new InMemoryAllocationLog();
  await log.createRun(done('2026-03', 10));
  await log.createRun({ ...done('2026-04', 5), previousClosing: 0 });
  await log.createRun({ ...done('2026-05', 5), previousClosing: 0 });
  const book = new InMemoryBillBook();
  const deps = { log, book, clock };
  const bills = makeBillApproval(deps);
  for (const month of ['2026-03', '2026-04', '2026-05']) {
    await bills.approve({ pool: '15.04', month, by: 'keu.ani' });
    await bills.release({ pool: '15.04', month, by: 'keu.budi' });
  }
  return { book, importPayments: makeImportPayments(deps) };
}

// A BCA-style mutation export: title rows, comma-separated, amounts in English grouping with DB/CR,
// a summary line below the movements.
const STATEMENT = [
  'Informasi Rekening - Mutasi Rekening',
  'No. rekening : ,1234567890',
  'Nama : ,DINAS SOSIAL KAB MERANGIN',
  '',
  'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo',
  '11/03/2026,"TRSF E-BANKING DB 1103/FTSCY/WS95031 BPJS TK SRTK/15.04/2026-03",0000,"168,000.00 DB","1,832,000.00"',
  '12/03/2026,SETORAN TUNAI,0000,"500,000.00 CR","2,332,000.00"',
  '13/04/2026,"KOREKSI SRTK/15.04/2026-04",0000,"84,000.00 CR","2,416,000.00"',
  '14-Apr-26,"TRSF BPJS SRTK-15.04-202604",0000,"84,000.00 DB","2,332,000.00"',
  '15/05/2026,"TRSF BPJS SRTK/15.04/2026-05",0000,"80,000.00 DB","2,252,000.00"',
  '16/05/2026,"TRSF BPJS SRTK/15.04/2026-06",0000,"84,000.00 DB","2,168,000.00"',
  '31/02/2026,"TRSF BPJS SRTK/15.04/2026-05",0000,"84,000.00 DB","2,084,000.00"',
  '17/05/2026,"TRSF BPJS SRTK/15.04/2026-05",0000,"84.000,50 DB","2,000,000.00"',
  'Saldo Awal,"2,000,000.00"',
].join('\r\n');

const open = (text: string) =>
  openTable(Readable.from([Buffer.from(text, 'utf8')]), {
    fileName: 'mutasi.csv',
    columns: BANK_STATEMENT_COLUMNS,
  });

describe('payments from a bank statement', () => {
  it('reads bill references, dates and amounts as banks write them', () => {
    expect(billRefsIn('TRSF SRTK/15.04/2026-03 dan SRTK 15.04 202604, SRTK/15.04/2026-03')).toEqual([
      { pool: '15.04', month: '2026-03' },
      { pool: '15.04', month: '2026-04' },
    ]);
    expect(billRefsIn('SRTK/15.04/2026-13 SRTK15042026')).toEqual([]);
    expect(
      ['2026-03-11', '11/03/2026', '11-03-2026', '11 Mar 2026', '11-Mar-26', '11/03/2026 14:02:11'].map(
        parseBankDate,
      ),
    ).toEqual(Array(6).fill('2026-03-11'));
    expect(parseBankDate('11 Mei 2026')).toBe('2026-05-11');
    expect(parseBankDate('31/02/2026')).toBeUndefined();
    expect(parseBankAmount('168,000.00 DB')).toEqual({ ok: true, value: 168_000, credit: false });
    expect(parseBankAmount('168.000,00')).toEqual({ ok: true, value: 168_000, credit: false });
    expect(parseBankAmount('Rp168.000 K')).toEqual({ ok: true, value: 168_000, credit: true });
    expect(parseBankAmount('-168.000')).toEqual({ ok: true, value: 168_000, credit: false });
    expect(parseBankAmount('84.000,5')).toMatchObject({ ok: false });
  });

  it('records each transfer once by the payment use case; each row’s outcome in Bahasa, naming the row and the field', async () => {
    const { book, importPayments } = await world();
    const audited: string[] = [];
    const recorded = async (p: Payment, line: number) => {
      audited.push(`${line} ${p.reference}`);
    };
    const first = await importPayments(await open(STATEMENT), { by: 'keu.citra', recorded });
    const again = await importPayments(await open(STATEMENT), { by: 'keu.citra', recorded });

    expect(first.rows.map((r) => [r.line, r.status, r.code ?? '', r.field ?? ''])).toEqual([
      [6, 'RECORDED', '', ''],
      [7, 'SKIPPED', 'NO_BILL_REFERENCE', ''],
      [8, 'SKIPPED', 'CREDIT', ''],
      [9, 'RECORDED', '', ''],
      [10, 'REJECTED', 'PAYMENT_AMOUNT_MISMATCH', 'Jumlah'],
      [11, 'REJECTED', 'BILL_NOT_RELEASED', 'Keterangan'],
      [12, 'REJECTED', 'DATE_INVALID', 'Tanggal Transaksi'],
      [13, 'REJECTED', 'AMOUNT_HAS_SEN', 'Jumlah'],
      [14, 'SKIPPED', 'NO_BILL_REFERENCE', ''],
    ]);
    expect(first).toMatchObject({ recorded: 2, duplicate: 0, skipped: 3, rejected: 4 });
    expect(first.rows[0]?.message).toBe(
      'baris 6: dicatat, SRTK/15.04/2026-03 Rp168.000 tgl 11 Maret 2026 untuk tagihan 15.04 2026-03',
    );
    expect(first.rows[4]?.message).toMatch(
      /^baris 10, kolom Jumlah: jumlah Rp80\.000 tidak sama dengan total tagihan Rp84\.000$/,
    );
    expect(first.rows[6]?.message).toBe(
      'baris 12, kolom Tanggal Transaksi: Tanggal tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY. (31/02/2026)',
    );
    expect(await book.payments('15.04')).toMatchObject([
      {
        reference: 'SRTK/15.04/2026-03',
        amount: 168_000,
        paidOn: '2026-03-11',
        referenceKind: 'BANK_REF',
        recordedBy: 'keu.citra',
      },
      { reference: 'SRTK/15.04/2026-04', amount: 84_000, paidOn: '2026-04-14' },
    ]);
    // idempotent by reference: the same statement again records nothing and audits nothing more
    expect(again).toMatchObject({ recorded: 0, duplicate: 2, skipped: 3, rejected: 4 });
    expect(again.rows[0]?.message).toMatch(/^baris 6: sudah tercatat, tidak berubah/);
    expect(await book.payments('15.04')).toHaveLength(2);
    expect(audited).toEqual(['6 SRTK/15.04/2026-03', '9 SRTK/15.04/2026-04']);
  });

  it('uses the bank’s reference number when the statement has one; a semicolon export in id-ID format', async () => {
    const { book, importPayments } = await world();
    const statement = [
      'Tanggal;No. Referensi;Uraian;Debet;Kredit;Saldo',
      '11/03/2026;FT26070ABC12;BPJS SRTK/15.04/2026-03 SRTK/15.04/2026-04;252.000,00;;1.000.000,00',
    ].join('\n');
    const out = await importPayments(await open(statement), { by: 'keu.citra' });
    expect(out.rows).toMatchObject([{ status: 'RECORDED' }]);
    expect(await book.payments('15.04')).toMatchObject([
      { reference: 'FT26070ABC12', amount: 252_000, bills: [{ month: '2026-03' }, { month: '2026-04' }] },
    ]);
  });
});
