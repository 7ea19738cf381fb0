import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { TEMPLATE_KINDS, type TemplateKind, templateCsv, templateXlsx } from '#shared/intake/templates.ts';

const kindOf = (value: string): TemplateKind => {
  const kind = TEMPLATE_KINDS.find((k) => k === value);
  if (kind === undefined) throw new InvalidArgumentError(`expected one of ${TEMPLATE_KINDS.join(', ')}`);
  return kind;
};

/** `sertakan template payroll|workers|grant|bpjs [--xlsx] [--out file]`: writes the file to fill in. */
export function register(program: Command): void {
  program
    .command('template')
    .description(
      'write an empty intake file with the expected columns (XLSX: identifier and period columns as Text)',
    )
    .argument('<kind>', TEMPLATE_KINDS.join('|'), kindOf)
    .option('--xlsx', 'write an XLSX instead of a CSV')
    .option('--out <file>', 'where to write (default: sertakan-<kind>.csv or .xlsx in the current directory)')
    .action(async (kind: TemplateKind, opts: { xlsx?: boolean; out?: string }) => {
      // A file named .xlsx is written as a workbook even without --xlsx: Excel would refuse CSV text in it.
      const xlsx = opts.xlsx === true || /\.xlsx$/i.test(opts.out ?? '');
      const out = opts.out ?? `sertakan-${kind}.${xlsx ? 'xlsx' : 'csv'}`;
      writeFileSync(out, xlsx ? await templateXlsx(kind) : templateCsv(kind));
      process.stdout.write(`${out}\n`);
    });
}
