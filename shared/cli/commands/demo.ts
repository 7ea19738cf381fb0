import { type Command, InvalidArgumentError } from 'commander';
import { addMonths, periodOf } from '#domain/period.ts';
import { formatDemoSummary } from '#shared/demo/demo-summary.ts';
import { type DemoProgress, type DemoRun, runDemo } from '#shared/demo/run-demo.ts';
import { DEFAULT_REGION_OPTIONS } from '#shared/demo/synthetic-region.ts';
import { formatVillages } from '#shared/demo/village-pools.ts';
import {
  type LocalRuntime,
  removeEndpointsFile,
  writeEndpointsFile,
} from '#shared/local-cloud/local-runtime.ts';
import { untilSignal } from './local-up.ts';

const positiveInt = (label: string, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${label} must be 1..${max}`);
  return n;
};

/** One progress line per simulated month (or a bar on a terminal), so a long run is never silent. */
function progressPrinter(): (p: DemoProgress) => void {
  const tty = process.stderr.isTTY;
  let month = '';
  const started = Date.now();
  return (p) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (tty) {
      const width = 30;
      const done = Math.round((p.day / p.days) * width);
      process.stderr.write(
        `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.date} hari ${p.day}/${p.days} (${seconds} s)   `,
      );
      if (p.day === p.days) process.stderr.write('\n');
    } else if (p.date.slice(0, 7) !== month) {
      month = p.date.slice(0, 7);
      process.stderr.write(`demo: ${month} (hari/day ${p.day}/${p.days}, ${seconds} s)\n`);
    }
  };
}

/** The summary, the villages and how to query the demo's data. */
function printResult(result: DemoRun, dataDir: string): void {
  process.stdout.write(formatDemoSummary(result));
  if (result.villages !== undefined) process.stdout.write(formatVillages(result.villages));
  // Finance refuses months after today's (they cannot have been allocated for real): suggest the
  // latest simulated month that is not in the future.
  const today = periodOf(new Date());
  const month = [...result.months].reverse().find((m) => m.month <= today)?.month;
  if (month !== undefined) {
    process.stdout.write(
      `Tanya data demo / query the demo: npm run sertakan -- reconcile --pool ${result.pool} --month ${month} --data-dir ${dataDir}\n`,
    );
  }
}

/**
 * `--serve`: the summary, then the console on the demo's cloud (and its clock) until Ctrl+C. The cloud
 * announces itself in the data dir's endpoints.json as `local up` does, so CLI commands on the same
 * data dir go to it instead of opening the tables a second time.
 */
async function serveConsole(rt: LocalRuntime, result: DemoRun, dataDir: string): Promise<void> {
  printResult(result, dataDir);
  writeEndpointsFile(dataDir, rt.cloud);
  try {
    await serveUntilSignal(rt);
  } finally {
    removeEndpointsFile(dataDir);
  }
}

async function serveUntilSignal(rt: LocalRuntime): Promise<void> {
  // Loaded here, not at the top: the console API's module builds the Powertools logger when it loads,
  // which must happen after the local runtime set its quiet defaults (local-runtime.ts).
  const { startLocalConsole } = await import('#shared/local-cloud/local-console.ts');
  const { ensureConsoleBuilt } = await import('#shared/console/build-console.ts');
  const web = await startLocalConsole({
    cloud: rt.cloud,
    clock: rt.clock,
    webDir: await ensureConsoleBuilt(),
  });
  process.stdout.write(
    `Konsol / console: ${web.url} (masuk pengembangan / development sign-in; Ctrl+C untuk berhenti / to stop)\n`,
  );
  await untilSignal();
  await web.close();
}

/** `sertakan demo` (= `npm start`): a synthetic region through the whole pipeline on the local cloud. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run a synthetic region (Batanghari, pool 15.04) through the whole pipeline on the embedded local cloud',
    )
    .option('--months <n>', 'simulated months', positiveInt('--months', 36), DEFAULT_REGION_OPTIONS.months)
    .option(
      '--seed <n>',
      'random seed (same seed, same run)',
      positiveInt('--seed', 2 ** 31),
      DEFAULT_REGION_OPTIONS.seed,
    )
    .option('--donors <n>', 'ASN donors', positiveInt('--donors', 1_000_000), DEFAULT_REGION_OPTIONS.donors)
    .option(
      '--workers <n>',
      'informal workers',
      positiveInt('--workers', 1_000_000),
      DEFAULT_REGION_OPTIONS.workers,
    )
    .option(
      '--agencies <n>',
      'payroll agencies (OPD)',
      positiveInt('--agencies', 500),
      DEFAULT_REGION_OPTIONS.agencies,
    )
    .option('--no-villages', 'leave out the two BKBK village pools of the last month')
    .option(
      '--serve',
      'after the demo, keep its local cloud up and serve the console on 127.0.0.1 until Ctrl+C',
    )
    .option(
      '--data-dir <dir>',
      'where the demo keeps its tables and reports (wiped at start)',
      '.sertakan/demo',
    )
    .action(
      async (opts: {
        months: number;
        seed: number;
        donors: number;
        workers: number;
        agencies: number;
        dataDir: string;
        villages: boolean;
        serve?: boolean;
      }) => {
        const { serve, ...demo } = opts;
        const result = await runDemo({
          ...demo,
          // The complete months before today: nothing the demo shows is in the future.
          startPeriod: addMonths(periodOf(new Date()), -demo.months),
          onProgress: progressPrinter(),
          ...(serve === true
            ? { afterRun: (rt: LocalRuntime, run: DemoRun) => serveConsole(rt, run, opts.dataDir) }
            : {}),
        });
        if (serve !== true) printResult(result, opts.dataDir);
      },
    );
}
