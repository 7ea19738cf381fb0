import type { Command } from 'commander';
import { type CommonOptions, withConnectionOptions } from '../output.ts';
import { defaultReportPath, fetchObject, parseReportRef, saveReport } from '../report-objects.ts';
import { withTarget } from '../target.ts';

/**
 * `sertakan reports get <key>`: fetches any report object (rejection report, BPJS bill,
 * reconciliation, alert list, HTML report) from the reports bucket of the local cloud or a deployed
 * stack, without the AWS CLI. Saved under the data dir by default; `--out -` prints it.
 */

type GetOptions = CommonOptions & { readonly out?: string };

export function register(program: Command): void {
  const reports = program.command('reports').description('reports written by the pipeline');
  withConnectionOptions(
    reports
      .command('get')
      .description('fetch one report from the reports bucket and save it (or print it with --out -)')
      .argument(
        '<key>',
        'the report key (reports/...) or its s3://bucket/key URI, as submit and the demo print',
      )
      .option('--out <file>', 'where to save it; - prints it (default: <data-dir>/<key>)'),
  ).action(async (ref: string, opts: GetOptions) => {
    await withTarget(
      opts,
      async (access) => {
        const { bucket, key } = parseReportRef(ref, access.names.buckets.reports);
        const body = await fetchObject(access.clients.s3, bucket, key);
        if (opts.out === '-') {
          process.stdout.write(body);
          return;
        }
        const path = await saveReport(opts.out ?? defaultReportPath(opts.dataDir, key), body);
        process.stdout.write(`${path}\n`);
      },
      { readOnly: true, needsData: true },
    );
  });
}
