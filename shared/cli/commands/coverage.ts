import type { Command } from 'commander';
import { coverageTable, maskCoverage } from '#shared/csv/coverage-export.ts';
import { nikSchema, poolSchema, privacyOf } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';

type Options = CommonOptions & { pool: string; nik: string; unmasked?: boolean };

/**
 * `sertakan coverage`: one worker's coverage, month by month over the pool's runs: allocated on the
 * bill, and confirmed by BPJS or not (docs/bpjs-loop.md#coverage-says-what-is-confirmed).
 */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('coverage')
      .description(
        "a worker's coverage by month: allocated on the bill and confirmed by BPJS (confirmed / billed, not confirmed / not billed)",
      )
      .requiredOption('--pool <code>', 'pool (Kemendagri area code), e.g. 15.04')
      .requiredOption('--nik <nik>', 'the worker')
      .option('--unmasked', 'show NIK and name in full'),
  ).action(async (opts: Options) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const nik = parseOption(nikSchema, opts.nik, '--nik', { personal: true });
    const privacy = privacyOf(opts.unmasked, true);
    await withConnection(opts, async ({ queries }) => {
      const c = maskCoverage(await queries.coverageByNik({ pool, nik }), privacy);
      const head =
        opts.format === 'table'
          ? `Cakupan pekerja / worker coverage ${c.nik}${c.name === undefined ? '' : ` (${c.name})`}, pool ${c.pool}\n`
          : '';
      process.stdout.write(head + render(opts.format, opts.delimiter, coverageTable(c), c));
    });
  });
}
