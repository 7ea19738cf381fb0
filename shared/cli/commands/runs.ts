import type { Command } from 'commander';
import { runStatusTable } from '#shared/csv/export.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';

/**
 * `sertakan runs --pool P [--month M]`: the pool's allocation runs with their state (RUNNING, STALLED,
 * COMPLETED_NO_OUTPUTS, DONE, ABORTED), what asked for each, chunks done, minutes idle and, for a stalled run, why.
 * A stuck run is resumed with `sertakan allocate --pool P --month M` (docs/allocation-liveness.md).
 */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('runs')
      .description('allocation runs of a pool: state, cause, progress, idle time, outputs')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .option('--month <YYYY-MM>', 'only this coverage month'),
  ).action(async (opts: CommonOptions & { pool: string; month?: string }) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const month = opts.month === undefined ? undefined : parseOption(monthSchema, opts.month, '--month');
    await withConnection(opts, async ({ queries }) => {
      const runs = await queries.runs({ pool, ...(month === undefined ? {} : { month }) });
      process.stdout.write(render(opts.format, opts.delimiter, runStatusTable(runs), runs));
      if (opts.format === 'table' && runs.some((r) => r.state !== 'DONE' && r.state !== 'ABORTED'))
        process.stdout.write(
          `\nLanjutkan run yang macet / resume a stuck run: sertakan allocate --pool ${pool} --month <YYYY-MM>\n`,
        );
      if (opts.format === 'table' && runs.some((r) => r.state === 'STALLED'))
        process.stdout.write(
          `Run STALLED tidak bisa lanjut sendiri / cannot continue on its own: sertakan abort-run --pool ${pool} --month <YYYY-MM> --reason "..."\n`,
        );
    });
  });
}
