import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { BillStatus } from '#domain/bill-approval.ts';
import { formatRupiah } from '#domain/money.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { billReferenceOf } from '#shared/intake/bank-statement-rows.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { governance } from '../governance.ts';
import { operatorOf } from '../identity.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { targetClock, withTarget } from '../target.ts';
import { CliUsageError, parseOption } from '../usage.ts';

type BillActionOptions = CommonOptions & {
  readonly pool: string;
  readonly month: string;
  readonly by?: string;
};

const STATE_ID: Readonly<Record<BillStatus['state'], string>> = {
  NOT_READY: 'belum siap',
  PREPARED: 'disiapkan',
  APPROVED: 'disetujui',
  RELEASED: 'dilepas untuk dibayar',
};

/** One line per bill state, Bahasa first; JSON with --format json. */
export function describeBill(s: BillStatus, format: CommonOptions['format']): string {
  if (format === 'json') return `${JSON.stringify(s)}\n`;
  const r = s.record;
  return (
    `Tagihan BPJS / BPJS bill ${s.pool} ${s.month}: ${STATE_ID[s.state]} / ${s.state} ` +
    `(${s.workers} pekerja, ${formatRupiah(s.total)}${s.version ? `, versi ${s.version}` : ''})\n` +
    (r ? `  disetujui / approved: ${r.approved.by} ${r.approved.at}\n` : '') +
    (r?.released ? `  dilepas / released: ${r.released.by} ${r.released.at}\n` : '') +
    (s.state === 'RELEASED'
      ? `  tulis di berita transfer / write in the transfer's remark: ${billReferenceOf(s.pool, s.month)}\n`
      : '')
  );
}

/**
 * `sertakan bill approve|release|status --pool P --month M [--by ID]` (docs/bpjs-loop.md#bill-approval):
 * a first finance user approves the month's prepared bill, a second one releases it for payment. `--by`
 * is the operator id recorded with the decision (default: your user name on this machine). A decision
 * is in the audit trail (BILL_APPROVED, BILL_RELEASED) with its actor: on AWS the identity the
 * credentials prove, named `--by`; locally `--by`.
 */
export function register(program: Command): void {
  const bill = program.commands.find((c) => c.name() === 'bill');
  if (bill === undefined) throw new Error('the bill command must be registered before its subcommands');
  const action = (name: 'approve' | 'release' | 'status', description: string) =>
    withOutputOptions(
      bill
        .command(name)
        .description(description)
        .requiredOption('--pool <code>', 'pool, e.g. 15.04')
        .requiredOption('--month <YYYY-MM>', 'coverage month of the bill')
        .option('--by <id>', 'your operator id, recorded with the decision (default: your user name)'),
    ).action(async (opts: BillActionOptions) => {
      const pool = parseOption(poolSchema, opts.pool, '--pool');
      const month = parseOption(monthSchema, opts.month, '--month');
      const by = opts.by ?? userInfo().username;
      if (by === '') throw new CliUsageError('--by: your operator id');
      const actor = name === 'status' ? undefined : await operatorOf({ ...opts, by });
      await withTarget(opts, async (access) => {
        const bills = makeBillApproval({
          log: new DynamoDbAllocationLog({ ddb: access.clients.ddb, tableName: access.names.tables.ledger }),
          book: new DynamoDbBillBook({ ddb: access.clients.ddb, tableName: access.names.tables.ledger }),
          clock: targetClock(opts),
        });
        const out =
          name === 'status' ? await bills.status(pool, month) : await bills[name]({ pool, month, by });
        if (name !== 'status' && actor !== undefined)
          await governance(access, actor, opts).record({
            kind: name === 'approve' ? 'BILL_APPROVED' : 'BILL_RELEASED',
            pool,
            month,
            ...(out.version === undefined ? {} : { ref: out.version }),
            detail: { total: out.total, workers: out.workers },
          });
        process.stdout.write(describeBill(out, opts.format));
      });
    });
  action('approve', "approve the month's prepared BPJS bill (first finance user)");
  action('release', 'release an approved bill for payment (a second finance user, not the approver)');
  action('status', "the bill's approval state: prepared, approved, released");
}
