import type { Command } from 'commander';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { BILL_HEADER, billRows, billTotalRow, maskEntry } from '#shared/csv/export.ts';
import { MAX_PAGE_SIZE } from '#shared/use-cases/finance/paging.ts';
import { monthSchema, poolSchema, privacyOf } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { CliUsageError, parseOption } from '../usage.ts';

/**
 * `sertakan bill`: the BPJS bill of a pool's month (KPJ, NIK, name, tier, amount, total). Its
 * subcommands `approve` and `release` (shared/cli/commands/bill-approval.ts) take their own options,
 * hence positional options here and --pool/--month checked in the action rather than by commander.
 */
export function register(program: Command): void {
  program.enablePositionalOptions();
  withOutputOptions(
    program
      .command('bill')
      .enablePositionalOptions()
      .description('BPJS bill of a pool for a coverage month (approve / release: see their --help)')
      .option('--pool <code>', 'pool, e.g. 15.04 (required)')
      .option('--month <YYYY-MM>', 'coverage month (required)'),
  ).action(async (opts: CommonOptions & { pool?: string; month?: string }) => {
    if (opts.pool === undefined || opts.month === undefined)
      throw new CliUsageError("required options '--pool <code>' and '--month <YYYY-MM>'");
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const month = parseOption(monthSchema, opts.month, '--month');
    // A bill lists many people: masked here; the full bill is the CSV the allocation run writes to the reports bucket.
    const privacy = privacyOf(false, false);
    await withConnection(opts, async ({ queries }) => {
      const header = await queries.billHeader({ pool, month });
      const items: AllocationEntry[] = [];
      let next: string | undefined;
      do {
        const b = await queries.bill({
          pool,
          month,
          limit: MAX_PAGE_SIZE,
          ...(next === undefined ? {} : { next }),
        });
        items.push(...b.page.items);
        next = b.page.next;
      } while (next !== undefined);
      const rows = [...billRows(items, privacy), billTotalRow(header)];
      const json = { ...header, items: items.map((e) => maskEntry(e, privacy)) };
      process.stdout.write(render(opts.format, opts.delimiter, { header: BILL_HEADER, rows }, json));
    });
  });
}
