import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type ColumnMapping, columnMappingInputSchema, parseColumnPairs } from '#domain/column-mapping.ts';
import type { Table } from '#shared/csv/export.ts';
import { agencySchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { CliUsageError, parseOption } from '../usage.ts';

/**
 * `sertakan agency columns --pool P --agency A [--set NIP=nip,POTSERTAKAN=jumlah] [--period-from-key]
 * [--clear]`: how one agency's payroll system names the payroll columns (docs/intake.md, "Column
 * mapping per agency"). Saved once, used for every later file of that agency; without --set or
 * --clear it shows the saved mapping. Fields: nip, nama, periode, jumlah, nik_pekerja (or name,
 * period, amount, worker_nik). --period-from-key: the files have no period column (a dBase export);
 * their rows are for the month they are submitted for.
 */

type ColumnsOptions = CommonOptions & {
  readonly pool: string;
  readonly agency: string;
  readonly set?: string;
  readonly periodFromKey?: boolean;
  readonly clear?: boolean;
};

export function mappingTable(mapping: ColumnMapping | undefined): Table {
  if (mapping === undefined) {
    return {
      header: ['kolom_berkas', 'kolom_sertakan'],
      rows: [['(tidak ada pemetaan: nama kolom bawaan / no mapping: built-in names)', '']],
    };
  }
  return {
    header: ['kolom_berkas', 'kolom_sertakan'],
    rows: [
      ...Object.entries(mapping.columns).map(([header, field]) => [header, field]),
      ...(mapping.periodFromKey ? [['(bulan kiriman / month submitted)', 'periode']] : []),
      ['(disimpan oleh / saved by)', `${mapping.updatedBy} ${mapping.updatedAt}`],
    ],
  };
}

export function register(program: Command): void {
  const agency = program.command('agency').description('per-agency settings of the payroll intake');
  withOutputOptions(
    agency
      .command('columns')
      .description('show or save how an agency’s payroll system names the payroll columns')
      .requiredOption('--pool <code>', 'the pool, e.g. 15.04')
      .requiredOption('--agency <code>', 'the agency code the files are submitted under, e.g. BPKAD')
      .option('--set <pairs>', 'FILE_COLUMN=field pairs, e.g. NIP=nip,NAMA=nama,POTSERTAKAN=jumlah')
      .option('--period-from-key', 'the files have no period column: rows take the month submitted')
      .option('--clear', 'remove the mapping: files are read by the built-in names again'),
  ).action(async (opts: ColumnsOptions) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const code = parseOption(agencySchema, opts.agency, '--agency');
    if (opts.clear && (opts.set !== undefined || opts.periodFromKey)) {
      throw new CliUsageError('--clear cannot be combined with --set or --period-from-key');
    }
    let input: ReturnType<typeof columnMappingInputSchema.parse> | undefined;
    if (opts.set !== undefined || opts.periodFromKey) {
      let columns: Record<string, string>;
      try {
        columns = parseColumnPairs(opts.set ?? '');
      } catch (error) {
        throw new CliUsageError(`--set: ${(error as Error).message}`);
      }
      const parsed = columnMappingInputSchema.safeParse({
        columns,
        periodFromKey: opts.periodFromKey === true,
      });
      if (!parsed.success) throw new CliUsageError(`--set: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      input = parsed.data;
    }
    await withConnection(
      opts,
      async ({ columnMappings }) => {
        if (opts.clear) await columnMappings.remove(pool, code);
        if (input !== undefined) {
          await columnMappings.put({
            pool,
            agency: code,
            ...input,
            updatedBy: `cli:${userInfo().username}`,
            updatedAt: new Date().toISOString(),
          });
        }
        const saved = await columnMappings.get(pool, code);
        process.stdout.write(render(opts.format, opts.delimiter, mappingTable(saved), saved ?? null));
      },
      { needsData: opts.clear !== true && input === undefined },
    );
  });
}
