import { type Command, Option } from 'commander';
import { systemClock } from '#domain/ports/clock.ts';
import { writeCloudClock } from '#shared/local-cloud/cloud-clock.ts';
import {
  endpointsFile,
  type LocalRuntime,
  removeEndpointsFile,
  startLocalRuntime,
  writeEndpointsFile,
} from '#shared/local-cloud/local-runtime.ts';
import { tryLockDataDir } from '../data-dir-lock.ts';
import { quietFunctionLogs } from '../open-local.ts';
import { findRunningLocalUp } from '../running-local-up.ts';
import { CliUsageError } from '../usage.ts';

/**
 * `sertakan local up`: the whole pipeline on this machine until Ctrl+C, so the AWS CLI, SDK scripts and
 * the other `sertakan` commands can use it (docs/design.md#targets-where-the-pipeline-runs). Schedules fire in real time; tables and
 * objects persist in the data dir; `<data-dir>/endpoints.json` says where everything is.
 */

type LocalUpOptions = {
  readonly dataDir: string;
  readonly json?: boolean;
  readonly handlers?: 'sources' | 'bundles';
  readonly cdkOut?: string;
  readonly node?: string;
};

const exampleCommand = (rt: LocalRuntime): string =>
  [
    `AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${rt.cloud.region}`,
    `aws --endpoint-url ${rt.cloud.endpoints.s3} s3 cp file.csv`,
    `s3://${rt.cloud.names.buckets.intake}/incoming/payroll/15.04/2026-01/<agency>.csv`,
  ].join(' ');

const columns = (rows: readonly (readonly string[])[]): string => {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/** Endpoints and every physical name, in Indonesian with the English word beside it. */
export function describeRuntime(rt: LocalRuntime, dataDir: string): string {
  const { endpoints, names } = rt.cloud;
  const rows: string[][] = [
    ['jenis/kind', 'nama logis/logical', 'nama/name', 'alamat/address'],
    ...Object.entries(endpoints).map(([service, url]) => ['endpoint', service, '', url]),
    ...Object.entries(names.tables).map(([logical, name]) => ['tabel/table', logical, name, '']),
    ...Object.entries(names.buckets).map(([logical, name]) => ['bucket', logical, name, '']),
    ...Object.entries(names.queues).map(([logical, q]) => ['antrean/queue', logical, q.name, q.url]),
    ...Object.entries(names.topics).map(([logical, arn]) => ['topik/topic', logical, '', arn]),
  ];
  return [
    `SERTAKAN local cloud berjalan / running: data ${dataDir}, region ${rt.cloud.region}`,
    '',
    columns(rows),
    '',
    `Endpoint tersimpan di / endpoints saved in ${endpointsFile(dataDir)}`,
    'Contoh / example (kredensial apa saja / any dummy credentials):',
    `  ${exampleCommand(rt)}`,
    `  sertakan submit payroll file.csv --pool 15.04 --period 2026-01 --agency <agency> --data-dir ${dataDir}`,
    'Tekan Ctrl+C untuk berhenti / press Ctrl+C to stop.',
    '',
  ].join('\n');
}

export const untilSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

/** Runs until `stopped` resolves (default: SIGINT or SIGTERM). */
export async function localUp(opts: LocalUpOptions, stopped?: Promise<unknown>): Promise<void> {
  quietFunctionLogs();
  const running = await findRunningLocalUp(opts.dataDir);
  if (running !== undefined) {
    throw new CliUsageError(
      `a local cloud is already running for ${opts.dataDir}${running.pid === undefined ? '' : ` (pid ${running.pid})`}, DynamoDB at ${running.endpoints.dynamodb}: use it, stop it first, or choose another --data-dir`,
    );
  }
  const lock = tryLockDataDir(opts.dataDir);
  if ('heldBy' in lock) {
    throw new CliUsageError(
      `${opts.dataDir} is in use by another sertakan process (pid ${lock.heldBy}): wait for it to finish`,
    );
  }
  const bundles =
    opts.handlers === 'bundles'
      ? { cdkOut: opts.cdkOut ?? 'cdk.out', ...(opts.node === undefined ? {} : { node: opts.node }) }
      : undefined;
  // `local up` fires schedules in real time: its cloud's clock is the real one, recorded for its clients.
  writeCloudClock(opts.dataDir, { kind: 'real' });
  const rt = await startLocalRuntime({
    dataDir: opts.dataDir,
    clock: systemClock,
    ddb: 'dynalite',
    ...(bundles === undefined ? {} : { bundles }),
  }).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  try {
    const stop = stopped ?? untilSignal();
    const schedules = rt.cloud.scheduler.startRealTime();
    writeEndpointsFile(opts.dataDir, rt.cloud);
    // Loaded after the runtime's quiet log defaults: the console API's module builds its logger on load.
    const { startLocalConsole } = await import('#shared/local-cloud/local-console.ts');
    const { ensureConsoleBuilt } = await import('#shared/console/build-console.ts');
    const webDir = await ensureConsoleBuilt((line) => process.stderr.write(`${line}\n`));
    const web = await startLocalConsole({ cloud: rt.cloud, clock: rt.clock, webDir });
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ dataDir: opts.dataDir, region: rt.cloud.region, endpoints: rt.cloud.endpoints, names: rt.cloud.names, env: rt.cloud.env, console: web.url }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(describeRuntime(rt, opts.dataDir));
      process.stdout.write(`Konsol / console: ${web.url} (masuk pengembangan / development sign-in)\n`);
    }
    const signal = await stop;
    process.stderr.write(`sertakan: ${String(signal)} received, stopping the local cloud\n`);
    await schedules.stop();
    await web.close();
  } finally {
    removeEndpointsFile(opts.dataDir);
    await rt.close();
    lock.release();
  }
}

export function register(program: Command): void {
  const local = program.command('local').description('the local cloud on this machine');
  local
    .command('up')
    .description('start the local cloud and keep it running; prints endpoints, buckets, queues and tables')
    .option('--data-dir <dir>', 'local data directory (tables and objects persist here)', '.sertakan')
    .option('--json', 'print endpoints and names as JSON')
    .addOption(
      new Option(
        '--handlers <kind>',
        'run the TypeScript sources, or the bundles `cdk synth` made (what AWS runs)',
      )
        .choices(['sources', 'bundles'])
        .default('sources'),
    )
    .option('--cdk-out <dir>', 'with --handlers bundles: the cdk synth output directory', 'cdk.out')
    .option(
      '--node <binary>',
      'with --handlers bundles: the Node binary the bundles run on (default: this one)',
    )
    .action(async (opts: LocalUpOptions) => {
      await localUp(opts);
    });
}
