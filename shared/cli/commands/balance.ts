import type { Command } from 'commander';
import { balanceTable } from '#shared/csv/export.ts';
import { asOfSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';

/** `sertakan balance`: the pool now, or as it stood on a past date. */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('balance')
      .description('pool balance and state, now or as of a past date')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .option('--as-of <date>', 'YYYY-MM-DD (end of that day, WIB) or an ISO instant'),
  ).action(async (opts: CommonOptions & { pool: string; asOf?: string }) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const asOf = opts.asOf === undefined ? undefined : parseOption(asOfSchema, opts.asOf, '--as-of');
    await withConnection(opts, async ({ queries }) => {
      const b = await queries.balance({ pool, ...(asOf === undefined ? {} : { asOf }) });
      process.stdout.write(render(opts.format, opts.delimiter, balanceTable(b), b));
    });
  });
}
