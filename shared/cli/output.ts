import type { Command } from 'commander';
import { Option } from 'commander';
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import { formatDateId, jakartaDateOf } from '#domain/period.ts';
import { type Table, tableToCsv } from '#shared/csv/export.ts';
import type { CsvValue } from '#shared/csv/write-csv.ts';
import { type Connection, connect } from './connect.ts';
import { namingDataDir } from './open-local.ts';
import type { OpenOptions } from './target.ts';

/**
 * What every data command shares: the connection options, the output format, and the one place that
 * turns an answer into a table (Indonesian number and date formatting), JSON, or CSV for Excel.
 */

export type Format = 'table' | 'json' | 'csv';

export type CommonOptions = {
  readonly format: Format;
  readonly delimiter: ';' | ',';
  readonly dataDir: string;
  readonly target: 'local' | 'aws';
  readonly stage: string;
};

/** Adds --data-dir, --target, --stage (every command that touches data). */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'local data directory (the embedded cloud persists here)', '.sertakan')
    .addOption(
      new Option('--target <target>', 'where the data lives').choices(['local', 'aws']).default('local'),
    )
    .option(
      '--stage <stage>',
      'stage of the deployed stack (--target aws); locally the data dir says which data',
      'local',
    );
}

/** Adds --format and --delimiter (every command that prints data). */
export function withOutputOptions(cmd: Command): Command {
  return withConnectionOptions(cmd)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .addOption(
      new Option('--delimiter <char>', 'CSV delimiter (Indonesian Excel uses ;)')
        .choices([';', ','])
        .default(';'),
    );
}

/**
 * Connects, runs, always closes (an embedded cloud must stop so the process can exit). `needsData`
 * as in OpenOptions (target.ts), but on by default here: most commands that connect only read, and
 * one that may write on a fresh data dir (`agency columns --set`) turns it off.
 */
export async function withConnection<T>(
  opts: CommonOptions,
  work: (c: Connection) => Promise<T>,
  { needsData = true }: Pick<OpenOptions, 'needsData'> = {},
): Promise<T> {
  const connection = await connect(opts, { needsData });
  try {
    return await work(connection);
  } catch (err) {
    throw namingDataDir(err, opts);
  } finally {
    await connection.close();
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MONEY_COLUMNS =
  /^(jumlah|saldo.*|potongan.*|koreksi.*|tertunda_.*|hibah|total.*|alokasi.*|neto.*|didanai_.*|bagian_rupiah|kredit.*|nilai_rp)$/;

/** Human form of one cell: rupiah as Rp1.234.567, counts 1.234, instants as '15 Januari 2026'. */
export function humanCell(column: string, value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return String(value);
    return MONEY_COLUMNS.test(column) ? formatRupiah(value) : formatNumberId(value);
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return formatDateId(jakartaDateOf(date));
  }
  // Worker-months are decimals: Indonesian writes 18,75.
  if (typeof value === 'string' && /pekerja_bulan$/.test(column) && /^\d+\.\d{2}$/.test(value)) {
    return value.replace('.', ',');
  }
  return String(value);
}

/** Two-column "pos/nilai" tables show money by the row's name rather than the column's. */
export function renderTable(table: Table): string {
  const keyed = table.header.length === 2 && table.header[0] === 'pos';
  const cells = table.rows.map((row) =>
    row.map((v, i) => humanCell(keyed && i === 1 ? String(row[0]) : (table.header[i] ?? ''), v)),
  );
  const widths = table.header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (/^-?(Rp)?[\d.,]+$/.test(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function render(format: Format, delimiter: ';' | ',', table: Table, json: unknown): string {
  if (format === 'json') return `${JSON.stringify(json, null, 2)}\n`;
  if (format === 'csv') return tableToCsv(table, { delimiter });
  return `${renderTable(table)}\n`;
}
