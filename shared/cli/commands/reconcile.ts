import type { Command } from 'commander';
import { reconciliationTable } from '#shared/csv/export.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';
import { reconcileBpjsCommand } from './reconcile-bpjs.ts';

/** `sertakan reconcile`: opening + credits − allocations = closing, for one pool and month. */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('reconcile')
      .description('reconciliation of a pool for a coverage month (balances to the rupiah)')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .requiredOption('--month <YYYY-MM>', 'coverage month')
      .option('--bpjs', 'three-way: deducted ⇄ allocated on the bill ⇄ receipted by BPJS, per worker')
      .option('--unmasked', 'with --bpjs --format json: full NIKs (finance working the list)'),
  ).action(
    async (opts: CommonOptions & { pool: string; month: string; bpjs?: boolean; unmasked?: boolean }) => {
      if (opts.bpjs) return reconcileBpjsCommand(opts);
      const pool = parseOption(poolSchema, opts.pool, '--pool');
      const month = parseOption(monthSchema, opts.month, '--month');
      await withConnection(opts, async ({ queries }) => {
        const r = await queries.reconciliation({ pool, month });
        process.stdout.write(render(opts.format, opts.delimiter, reconciliationTable(r), r));
      });
    },
  );
}
