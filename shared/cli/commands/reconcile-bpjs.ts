import { maskNik } from '#domain/masking.ts';
import { formatRupiah } from '#domain/money.ts';
import { RECON_CLASSES } from '#domain/three-way.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { type BpjsReconciliation, makeReconcileBpjs } from '#shared/use-cases/bpjs-loop/reconcile-bpjs.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import type { CommonOptions } from '../output.ts';
import { targetClock, withTarget } from '../target.ts';
import { parseOption } from '../usage.ts';

const CLASS_ID: Readonly<Record<(typeof RECON_CLASSES)[number], string>> = {
  BILLED_NOT_RECEIPTED: 'ditagih, belum diterima BPJS',
  RECEIPTED_NOT_BILLED: 'diterima BPJS, tidak ditagih',
  AMOUNT_DIFFERS: 'jumlah berbeda',
  WORKER_UNKNOWN_TO_BPJS: 'pekerja belum dikenal BPJS (tanpa KPJ)',
  KPJ_DIFFERS: 'KPJ berbeda',
  MATCHED: 'cocok',
};

/** The three-way section as text (NIKs masked: a screen shows many people) or JSON (unmasked only with --unmasked). */
export function describeThreeWay(r: BpjsReconciliation, unmasked: boolean): string {
  const t = r.threeWay;
  const lines = [
    `Rekonsiliasi tiga arah / three-way reconciliation ${r.pool} ${r.month}`,
    `  potongan & kredit pool / deducted & credited: ${r.poolLevel ? formatRupiah(r.poolLevel.credits.total) : '-'}` +
      `, dialokasikan di tagihan / allocated on the bill: ${formatRupiah(t.billTotal)}` +
      `, diterima BPJS / receipted: ${formatRupiah(t.receiptTotal)}`,
    `  tagihan / bill: ${r.bill.state}; pembayaran / payments: ${r.payments.map((p) => `${p.reference} ${formatRupiah(p.amount)}`).join(', ') || '-'}` +
      `; jawaban BPJS / BPJS answer: ${r.answer ? `${r.answer.key} (${r.answer.lines} baris)` : 'belum ada / none yet'}`,
    ...RECON_CLASSES.map(
      (k) =>
        `  ${k.padEnd(22)} ${String(t.byClass[k].count).padStart(6)}  ditagih ${formatRupiah(t.byClass[k].billed).padStart(14)}  diterima ${formatRupiah(t.byClass[k].receipted).padStart(14)}  (${CLASS_ID[k]})`,
    ),
    ...t.lines
      .filter((l) => l.class !== 'MATCHED')
      .map((l) => `  - ${l.class} ${unmasked ? l.nik : maskNik(l.nik)} → ${l.addressee}: ${l.action}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs `sertakan reconcile --bpjs` (registered by reconcile.ts): the three-way section of a pool's month. */
export async function reconcileBpjsCommand(
  opts: CommonOptions & { pool: string; month: string; unmasked?: boolean },
): Promise<void> {
  const pool = parseOption(poolSchema, opts.pool, '--pool');
  const month = parseOption(monthSchema, opts.month, '--month');
  await withTarget(
    opts,
    async (access) => {
      const ddb = access.clients.ddb;
      const tableName = access.names.tables.ledger;
      const reconcile = makeReconcileBpjs({
        log: new DynamoDbAllocationLog({ ddb, tableName }),
        book: new DynamoDbBillBook({ ddb, tableName }),
        confirmations: new DynamoDbConfirmationStore({ ddb, tableName }),
        clock: targetClock(opts),
      });
      const r = await reconcile(pool, month);
      if (opts.format === 'json') {
        const lines = r.threeWay.lines.map((l) => (opts.unmasked ? l : { ...l, nik: maskNik(l.nik) }));
        process.stdout.write(`${JSON.stringify({ ...r, threeWay: { ...r.threeWay, lines } })}\n`);
      } else process.stdout.write(describeThreeWay(r, opts.unmasked === true));
    },
    { needsData: true },
  );
}
