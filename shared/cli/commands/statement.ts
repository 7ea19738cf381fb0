import type { Command } from 'commander';
import { formatRupiah } from '#domain/money.ts';
import { maskStatement, statementTable } from '#shared/csv/export.ts';
import { nipSchema, privacyOf } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';

/** `sertakan statement`: what a donor gave and the pro-rata worker-months it funded. */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('statement')
      .description("a donor's statement: deductions per month and the share of allocations they funded")
      .requiredOption('--nip <nip>', 'the donor (18-digit NIP)')
      .option('--unmasked', 'show the NIP in full'),
  ).action(async (opts: CommonOptions & { nip: string; unmasked?: boolean }) => {
    const nip = parseOption(nipSchema, opts.nip.replace(/\s+/g, ''), '--nip', { personal: true });
    const privacy = privacyOf(opts.unmasked, true);
    await withConnection(opts, async ({ queries }) => {
      const s = maskStatement(await queries.statement(nip), privacy);
      process.stdout.write(render(opts.format, opts.delimiter, statementTable(s), s));
      if (opts.format === 'table') {
        process.stdout.write(
          `\nTotal: neto ${formatRupiah(s.totals.net)}, bagian ${formatRupiah(s.totals.rupiah)}, ${s.totals.workerMonths.replace('.', ',')} pekerja-bulan\n`,
        );
      }
    });
  });
}
