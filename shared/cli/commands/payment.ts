import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { formatRupiah } from '#domain/money.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { BANK_STATEMENT_COLUMNS } from '#shared/intake/bank-statement-rows.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { makeImportPayments } from '#shared/use-cases/bpjs-loop/import-payments.ts';
import { makeRecordPayment } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { governance } from '../governance.ts';
import { operatorOf } from '../identity.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { type Target, type TargetOptions, targetClock, withTarget } from '../target.ts';
import { CliUsageError, parseOption } from '../usage.ts';

type PaymentOptions = CommonOptions & {
  readonly pool: string;
  readonly month: string[];
  readonly amount: string;
  readonly date: string;
  readonly ref: string;
  readonly refKind: 'kode-iuran' | 'va' | 'bank';
  readonly by?: string;
};

const REF_KIND = { 'kode-iuran': 'KODE_IURAN', va: 'VIRTUAL_ACCOUNT', bank: 'BANK_REF' } as const;

/**
 * Who records, for the payment (its operator id: `--by`, else the user name) and for the audit trail
 * (the actor: on AWS the credentials' identity with `--by` as its name, locally `--by`).
 */
async function recorder(opts: CommonOptions & { readonly by?: string }) {
  const by = opts.by ?? userInfo().username;
  if (by === '') throw new CliUsageError('--by: your operator id');
  return { by, actor: await operatorOf({ ...opts, by }) };
}

// The target's clock, as every CLI command reads time: a demo's data dir is on the demo's date.
const paymentPorts = (access: Target, opts: TargetOptions) => ({
  log: new DynamoDbAllocationLog({ ddb: access.clients.ddb, tableName: access.names.tables.ledger }),
  book: new DynamoDbBillBook({ ddb: access.clients.ddb, tableName: access.names.tables.ledger }),
  clock: targetClock(opts),
});

/**
 * `sertakan payment record --pool P --month M [--month M2 …] --amount A --date D --ref R
 * [--ref-kind kode-iuran|va|bank] [--by ID]` (docs/bpjs-loop.md#payments): records the transfer to BPJS
 * against released bills; the amount must be their total. `sertakan payment import FILE.csv [--by ID]`
 * records the transfers a bank statement shows (docs/bpjs-loop.md#payments-from-a-bank-statement).
 * A payment first recorded is in the audit trail (PAYMENT_RECORDED, with who). `sertakan payment list --pool P`.
 */
export function register(program: Command): void {
  const payment = program.command('payment').description('payments to BPJS against released bills');
  withOutputOptions(
    payment
      .command('record')
      .description('record a transfer to BPJS against one or more released bills')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .requiredOption(
        '--month <YYYY-MM>',
        'month of a released bill this pays (repeat for several)',
        (v: string, acc: string[]) => [...acc, v],
        [] as string[],
      )
      .requiredOption('--amount <rupiah>', 'amount transferred, e.g. 168000 or Rp168.000 (the bills’ total)')
      .requiredOption('--date <date>', 'the day the money left the account (YYYY-MM-DD or DD/MM/YYYY)')
      .requiredOption('--ref <reference>', 'kode iuran, virtual account number or bank reference')
      .addOption(
        new Option('--ref-kind <kind>', 'what the reference is')
          .choices(Object.keys(REF_KIND))
          .default('kode-iuran'),
      )
      .option('--by <id>', 'your operator id, recorded with the payment (default: your user name)'),
  ).action(async (opts: PaymentOptions) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const months = opts.month.map((m) => parseOption(monthSchema, m, '--month'));
    const who = await recorder(opts);
    await withTarget(opts, async (access) => {
      const record = makeRecordPayment(paymentPorts(access, opts));
      const out = await record({
        pool,
        months,
        amount: opts.amount,
        paidOn: opts.date,
        reference: opts.ref,
        referenceKind: REF_KIND[opts.refKind],
        by: who.by,
      });
      const p = out.payment;
      if (out.status === 'RECORDED')
        await governance(access, who.actor, opts).record({
          kind: 'PAYMENT_RECORDED',
          pool,
          ref: p.reference,
          detail: { months: p.bills.map((b) => b.month).join(' '), amount: p.amount },
        });
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(out)}\n`
          : `Pembayaran / payment ${p.reference} (${p.referenceKind}) ${formatRupiah(p.amount)} tgl ${p.paidOn}: ` +
              `${out.status === 'RECORDED' ? 'dicatat / recorded' : 'sudah tercatat, tidak berubah / already recorded, unchanged'}` +
              ` (${p.recordedBy}, ${p.recordedAt})\n  tagihan / bills: ${p.bills.map((b) => `${b.month} ${formatRupiah(b.total)}`).join(', ')}\n`,
      );
    });
  });
  withOutputOptions(
    payment
      .command('import <file>')
      .description(
        'record the transfers to BPJS a bank statement CSV shows (description naming SRTK/<pool>/<YYYY-MM>)',
      )
      .option('--by <id>', 'your operator id, recorded with each payment (default: your user name)'),
  ).action(async (file: string, opts: CommonOptions & { by?: string }) => {
    const who = await recorder(opts);
    await withTarget(opts, async (access) => {
      const g = governance(access, who.actor, opts);
      const table = await openTable(createReadStream(file), {
        fileName: basename(file),
        columns: BANK_STATEMENT_COLUMNS,
      });
      const summary = await makeImportPayments(paymentPorts(access, opts))(table, {
        by: who.by,
        recorded: (p, line) =>
          g.record({
            kind: 'PAYMENT_RECORDED',
            pool: p.pool,
            ref: p.reference,
            detail: {
              months: p.bills.map((b) => b.month).join(' '),
              amount: p.amount,
              source: 'bank-statement',
              line,
            },
          }),
      });
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(summary)}\n`
          : `${summary.rows.map((r) => `${r.message}\n`).join('')}` +
              `Mutasi ${basename(file)}: ${summary.recorded} dicatat, ${summary.duplicate} sudah tercatat, ` +
              `${summary.skipped} dilewati, ${summary.rejected} ditolak / recorded, already recorded, skipped, rejected\n`,
      );
      // A rejected row is something to fix: the command fails (exit 1) after the others are recorded.
      if (summary.rejected > 0)
        throw new CliUsageError(
          `${summary.rejected} baris ditolak / rows rejected: lihat di atas / see above`,
        );
    });
  });
  withOutputOptions(
    payment.command('list').description("a pool's recorded payments").requiredOption('--pool <code>', 'pool'),
  ).action(async (opts: CommonOptions & { pool: string }) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    await withTarget(
      opts,
      async (access) => {
        const book = new DynamoDbBillBook({ ddb: access.clients.ddb, tableName: access.names.tables.ledger });
        const payments = await book.payments(pool);
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(payments)}\n`
            : payments
                .map(
                  (p) =>
                    `${p.reference}\t${p.paidOn}\t${formatRupiah(p.amount)}\t${p.bills.map((b) => b.month).join(',')}\t${p.recordedBy}\n`,
                )
                .join(''),
        );
      },
      { readOnly: true, needsData: true },
    );
  });
}
