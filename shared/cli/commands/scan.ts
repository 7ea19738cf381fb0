import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { ALERT_KINDS } from '#domain/alerts.ts';
import type { ScanJob } from '#domain/messages.ts';
import type { IsoDate } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import type { ScanState } from '#domain/ports/alerts/scan-state-store.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import type { Table } from '#shared/csv/export.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { type Target, withTarget } from '../target.ts';
import { CliUsageError, isoDateOption, parseOption, secondsOption } from '../usage.ts';
import { waitUntil } from '../wait.ts';

/**
 * `sertakan scan --date D`: the daily lapse scan for that day now (what the 07:00 schedule sends),
 * through the scan-jobs queue; waits until every pool's scan is DONE, then prints the alert counts per
 * kind (new today / still open) and where each pool's full list is. A day already scanned is not
 * scanned again (each alert is sent once): its recorded result is printed.
 */

type ScanOptions = CommonOptions & { readonly date: string; readonly timeout: string };

/** One row per pool and alert kind: new today, and still open (sent earlier, not resolved). */
export function scanTable(states: readonly ScanState[]): Table {
  return {
    header: ['kolam', 'tanggal', 'jenis', 'baru', 'terbuka'],
    rows: states.flatMap((s) =>
      ALERT_KINDS.map((k) => [s.pool, s.date, k, s.counts[k].new, s.counts[k].open]),
    ),
  };
}

async function scan(access: Target, date: IsoDate, timeoutMs: number, opts: ScanOptions): Promise<void> {
  const { ddb } = access.clients;
  const pools = await new DynamoDbPoolSettings({ ddb, tableName: access.names.tables.registry }).list();
  if (pools.length === 0) throw new CliUsageError('no pool is registered yet: submit a payroll file first');
  const states = new DynamoDbAlertLog({ ddb, tableName: access.names.tables.ledger });

  const job: ScanJob = { kind: 'FAN_OUT', date };
  await access.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: access.names.queues.scanJobs, MessageBody: JSON.stringify(job) }),
  );
  const done = await Promise.all(
    pools.map(({ pool }) =>
      waitUntil(`the ${date} lapse scan of pool ${pool}`, timeoutMs, async () => {
        const state = await states.get(pool, date);
        return state?.phase === 'DONE' ? state : undefined;
      }),
    ),
  );
  await access.settle(['scanJobs'], timeoutMs);
  const reports = access.names.buckets.reports;
  const json = done.map((s) => ({
    pool: s.pool,
    date: s.date,
    workersScanned: s.workersScanned,
    counts: s.counts,
    digest: s.digest,
    csv: s.csvKey === undefined ? undefined : `s3://${reports}/${s.csvKey}`,
  }));
  process.stdout.write(render(opts.format, opts.delimiter, scanTable(done), json));
  if (opts.format === 'table') {
    for (const s of json) {
      process.stdout.write(
        `\n${s.pool}: ${formatNumberId(s.workersScanned)} pekerja dipindai / workers scanned, ringkasan / digest ${s.digest ?? '-'}${s.csv === undefined ? '' : `, daftar / list ${s.csv}`}`,
      );
    }
    process.stdout.write('\n');
  }
}

export function register(program: Command): void {
  withOutputOptions(
    program
      .command('scan')
      .description('run the daily lapse scan for a date now and print the alerts per pool')
      .requiredOption('--date <YYYY-MM-DD>', 'the day to scan (Asia/Jakarta)')
      .option('--timeout <seconds>', 'how long to wait for the scans', '300'),
  ).action(async (opts: ScanOptions) => {
    const date = parseOption(isoDateOption, opts.date, '--date');
    const timeoutMs = parseOption(secondsOption, opts.timeout, '--timeout') * 1000;
    await withTarget(opts, (access) => scan(access, date, timeoutMs, opts));
  });
}
