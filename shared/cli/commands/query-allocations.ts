import type { Command } from 'commander';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import {
  agencyShareTable,
  allocationsTable,
  maskAgencyShare,
  maskEntry,
  tableToCsv,
} from '#shared/csv/export.ts';
import { MAX_PAGE_SIZE } from '#shared/use-cases/finance/paging.ts';
import {
  agencySchema,
  monthSchema,
  nikSchema,
  poolSchema,
  privacyOf,
  runIdSchema,
} from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { CliUsageError, parseOption } from '../usage.ts';

type Options = CommonOptions & {
  pool: string;
  month?: string;
  nik?: string;
  agency?: string;
  run?: string;
  unmasked?: boolean;
};

/** `sertakan query allocations`: the allocation log by month, worker, agency or run. */
export function register(program: Command): void {
  const query =
    program.commands.find((c) => c.name() === 'query') ??
    program.command('query').description('query the allocation log');
  withOutputOptions(
    query
      .command('allocations')
      .description(
        'allocations of a pool: by month, by worker (--nik), by agency share (--agency) or by run (--run)',
      )
      .requiredOption('--pool <code>', 'pool (Kemendagri area code), e.g. 15.04')
      .option('--month <YYYY-MM>', 'coverage month')
      .option('--nik <nik>', 'one worker, across months')
      .option('--agency <code>', "an agency's pro-rata share of the month")
      .option('--run <runId>', 'one allocation run, e.g. 15.04/2026-01/001')
      .option('--unmasked', 'show NIK and name in full (only with --nik)'),
  ).action(async (opts: Options) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const filters = [opts.nik, opts.agency, opts.run].filter((v) => v !== undefined);
    if (filters.length > 1) throw new CliUsageError('give at most one of --nik, --agency, --run');
    const month = opts.month === undefined ? undefined : parseOption(monthSchema, opts.month, '--month');
    const privacy = privacyOf(opts.unmasked, opts.nik !== undefined);
    // Every value is checked before the data dir is opened: a mistake is said as itself.
    const agency = opts.agency === undefined ? undefined : parseOption(agencySchema, opts.agency, '--agency');
    const nik =
      opts.nik === undefined ? undefined : parseOption(nikSchema, opts.nik, '--nik', { personal: true });
    const runId = opts.run === undefined ? undefined : parseOption(runIdSchema, opts.run, '--run');
    if (agency !== undefined && month === undefined) throw new CliUsageError('--agency needs --month');
    if (nik === undefined && runId === undefined && month === undefined)
      throw new CliUsageError('give --month (or --nik / --run)');
    await withConnection(opts, async ({ queries }) => {
      if (agency !== undefined && month !== undefined) {
        const share = maskAgencyShare(await queries.allocationsByAgency({ pool, month, agency }), privacy);
        process.stdout.write(render(opts.format, opts.delimiter, agencyShareTable(share), share));
        return;
      }
      if (nik !== undefined) {
        const page = await queries.allocationsByNik({ pool, nik, ...(month === undefined ? {} : { month }) });
        const items = page.items.map((e) => maskEntry(e, privacy));
        process.stdout.write(
          render(opts.format, opts.delimiter, allocationsTable(page.items, privacy), items),
        );
        return;
      }
      // Page by page: a 100,000-row month is never held whole when written as CSV.
      const pages = async function* () {
        let next: string | undefined;
        do {
          const paging = { limit: MAX_PAGE_SIZE, ...(next === undefined ? {} : { next }) };
          const page =
            runId !== undefined
              ? await queries.allocationsByRun({ pool, runId, ...paging })
              : await queries.allocationsByMonth({ pool, month: month ?? '', ...paging });
          yield page.items;
          next = page.next;
        } while (next !== undefined);
      };
      if (opts.format === 'csv') {
        let first = true;
        for await (const items of pages()) {
          const csv = tableToCsv(allocationsTable(items, privacy), { delimiter: opts.delimiter, bom: first });
          process.stdout.write(first ? csv : csv.slice(csv.indexOf('\r\n') + 2));
          first = false;
        }
        if (first)
          process.stdout.write(tableToCsv(allocationsTable([], privacy), { delimiter: opts.delimiter }));
        return;
      }
      const all: AllocationEntry[] = [];
      for await (const items of pages()) all.push(...items);
      const masked = all.map((e) => maskEntry(e, privacy));
      process.stdout.write(render(opts.format, opts.delimiter, allocationsTable(all, privacy), masked));
    });
  });
}
