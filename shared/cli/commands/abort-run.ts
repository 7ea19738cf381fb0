import type { Command } from 'commander';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { governance } from '../governance.ts';
import { operatorOf, withBy } from '../identity.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { CliUsageError, parseOption } from '../usage.ts';

type AbortOptions = CommonOptions & {
  readonly pool: string;
  readonly month: string;
  readonly reason: string;
  readonly by?: string;
  readonly rerun: boolean;
};

/**
 * `sertakan abort-run --pool P --month M --reason "..." --by NAME [--no-rerun]`: asks to close the
 * month's RUNNING run (typically STALLED, see `sertakan runs`) as ABORTED, then re-run the month unless
 * `--no-rerun` (docs/allocation-liveness.md, "Operator abort"). Money moves outside the monthly run, so
 * a second person approves it with `sertakan change approve <id> --by OTHER` (docs/access.md); the abort
 * runs then, recorded with both names. The chunks the run committed stay allocated.
 */
export function register(program: Command): void {
  withBy(
    withOutputOptions(
      program
        .command('abort-run')
        .description(
          'ask to abort a stalled allocation run (a second person approves), then re-run the month',
        )
        .requiredOption('--pool <code>', 'pool, e.g. 15.04')
        .requiredOption('--month <YYYY-MM>', 'coverage month of the run')
        .requiredOption('--reason <text>', 'why (recorded on the run for finance and audit)')
        .option('--no-rerun', 'only abort; do not ask for a new run of the month'),
    ),
  ).action(async (opts: AbortOptions) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const month = parseOption(monthSchema, opts.month, '--month');
    if (opts.reason.trim() === '') throw new CliUsageError('--reason: say why the run is aborted');
    const operator = await operatorOf(opts);
    await withTarget(
      opts,
      async (target) => {
        const g = governance(target, operator, opts);
        const running = (await g.log.listRuns(pool)).find((r) => r.month === month && r.status === 'RUNNING');
        if (running === undefined)
          throw new CliUsageError(
            `NO_RUNNING_RUN: pool ${pool} has no running run for ${month}: nothing to abort`,
          );
        const r = await g.fourEyes.request(g.origin, {
          kind: 'ABORT_RUN',
          pool,
          month,
          rerun: opts.rerun,
          reason: opts.reason,
        });
        process.stdout.write(
          `Permintaan / request ${r.id}: batalkan / abort ${running.runId} (${opts.reason.trim()})\n` +
            `  menunggu orang kedua / needs a second person: sertakan change approve ${r.id} --by <nama lain / another name>\n`,
        );
      },
      { readOnly: true },
    );
  });
}
