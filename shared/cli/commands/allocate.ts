import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import type { AllocationJob } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import { isClosed, type RunRecord } from '#domain/ports/allocation/run-record.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbPoolSettings } from '#shared/adapters/dynamodb-pool-settings.ts';
import type { Table } from '#shared/csv/export.ts';
import { monthOutputKeys } from '#shared/use-cases/allocation/write-month-outputs.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { governance } from '../governance.ts';
import { operatorOf, withBy } from '../identity.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { type Target, withTarget } from '../target.ts';
import { CliUsageError, parseOption, secondsOption } from '../usage.ts';
import { mapInGroups, waitForEach } from '../wait.ts';

/**
 * `sertakan allocate --pool P --month M`: the monthly allocation job now (what the schedule sends on
 * day 10), through the allocation-jobs queue, then the run's summary once it has completed with its
 * bill and reconciliation. On a stuck run it resumes it; on a completed month it re-runs it (funding only
 * who is still unfunded, with money that arrived since).
 * `--all-pools` sends the schedule's FAN_OUT instead (one job per pool).
 */

type AllocateOptions = CommonOptions & {
  readonly pool?: string;
  readonly month: string;
  readonly allPools?: boolean;
  readonly timeout: string;
  readonly by?: string;
  readonly reason?: string;
};

/** A pool the command waits for: a run of `month` with a sequence above `afterSeq` must complete. */
type Awaited = { readonly pool: PoolCode; readonly afterSeq: number };
type Skipped = { readonly pool: PoolCode; readonly reason: string };

/** Months run in order: a pool that already ran a later month refuses M (the handler would drop it). */
export function planFor(pool: PoolCode, month: Period, runs: readonly RunRecord[]): Awaited | Skipped {
  const later = runs.filter((r) => isClosed(r) && r.month > month).map((r) => r.month);
  if (later.length > 0) {
    return { pool, reason: `already ran ${later.sort().at(-1)}; ${month} can no longer be allocated` };
  }
  // A completed run still missing its bill and reconciliation is what this request will finish.
  const completedSeq = runs
    .filter((r) => r.month === month && r.status === 'COMPLETED' && r.outputsAt !== undefined)
    .reduce((max, r) => Math.max(max, r.seq), 0);
  return { pool, afterSeq: completedSeq };
}

export const closingOf = (run: RunRecord): number => run.available - run.cursor.allocated;

export function runsTable(runs: readonly RunRecord[]): Table {
  return {
    header: [
      'kolam',
      'bulan',
      'run',
      'saldo_tersedia',
      'pekerja_didanai',
      'total_alokasi',
      'saldo_akhir',
      'tidak_didanai',
      'nonaktif',
      'masuk_antrean',
      'tetap_antre',
    ],
    rows: runs.map((r) => [
      r.pool,
      r.month,
      r.runId,
      r.available,
      r.cursor.funded,
      r.cursor.allocated,
      closingOf(r),
      r.cursor.unfunded,
      r.cursor.lapsed,
      r.cursor.admitted,
      r.cursor.waitlistSkipped,
    ]),
  };
}

/** `allocate 2023-01: 812 of 1,562 pools done (41 s)` on stderr: a bar line on a terminal, else every 10 s. */
function poolProgress(month: Period): (done: number, total: number) => void {
  const started = Date.now();
  let printed = 0;
  return (done, total) => {
    const elapsed = Date.now() - started;
    const line = `allocate ${month}: ${formatNumberId(done)} dari/of ${formatNumberId(total)} kolam/pools selesai/done (${Math.round(elapsed / 1000)} s)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total || elapsed - printed >= 10_000) {
      printed = elapsed;
      process.stderr.write(`${line}\n`);
    }
  };
}

type AllocateRequest = { readonly pool?: PoolCode; readonly month: Period; readonly timeoutMs: number };

async function allocate(access: Target, req: AllocateRequest, opts: AllocateOptions): Promise<void> {
  const { month, timeoutMs } = req;
  const { ddb } = access.clients;
  const settings = new DynamoDbPoolSettings({ ddb, tableName: access.names.tables.registry });
  const log = new DynamoDbAllocationLog({ ddb, tableName: access.names.tables.ledger });

  let pools: PoolCode[];
  if (req.pool === undefined) {
    pools = (await settings.list()).map((p) => p.pool);
    if (pools.length === 0)
      throw new CliUsageError(
        'no pool is registered yet: submit a file for one (payroll, workers or grant) or `sertakan pool add <code>`',
      );
  } else {
    const pool = req.pool;
    if ((await settings.get(pool)) === undefined) {
      throw new CliUsageError(
        `pool ${pool} is not registered yet: submit a file for it (payroll, workers or grant) or \`sertakan pool add ${pool}\``,
      );
    }
    pools = [pool];
  }
  const plans = await mapInGroups(pools, 16, async (p) => planFor(p, month, await log.listRuns(p)));
  const skipped = plans.filter((p): p is Skipped => 'reason' in p);
  const awaited = plans.filter((p): p is Awaited => 'afterSeq' in p);
  if (req.pool !== undefined && skipped[0] !== undefined)
    throw new CliUsageError(`pool ${skipped[0].pool} ${skipped[0].reason}`);
  // Re-running a COMPLETED month moves money outside the monthly run: a second person approves it
  // (docs/access.md, "Four eyes"); resuming a stuck run does not need it.
  const rerun = awaited[0];
  if (req.pool !== undefined && rerun !== undefined && rerun.afterSeq > 0) {
    const g = governance(access, await operatorOf(opts), opts);
    const r = await g.fourEyes.request(g.origin, {
      kind: 'RERUN_MONTH',
      pool: req.pool,
      month,
      reason: opts.reason ?? `re-run ${month}`,
    });
    process.stdout.write(
      `${req.pool} ${month} sudah selesai / already completed: run ulang perlu orang kedua / a re-run needs a second person\n` +
        `Permintaan / request ${r.id}: sertakan change approve ${r.id} --by <nama lain / another name>\n`,
    );
    return;
  }

  // An operator's request: it resumes a stuck run, or re-runs a completed month (docs/allocation-liveness.md).
  const cause = `operator:${randomUUID()}`;
  const job: AllocationJob =
    req.pool === undefined
      ? { kind: 'FAN_OUT', month, cause }
      : { kind: 'ALLOCATE', pool: req.pool, month, cause };
  await access.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: access.names.queues.allocationJobs,
      MessageBody: JSON.stringify(job),
    }),
  );
  const done = await waitForEach(
    `the ${month} allocation runs of ${awaited.length === 1 ? `pool ${awaited[0]?.pool}` : `${awaited.length} pools`}`,
    awaited,
    timeoutMs,
    async ({ pool, afterSeq }) =>
      (await log.listRuns(pool)).find(
        (r) =>
          r.month === month &&
          r.seq > afterSeq &&
          ((r.status === 'COMPLETED' && r.outputsAt !== undefined) || r.stalled !== undefined),
      ),
    awaited.length > 1 ? { onProgress: poolProgress(month) } : {},
  );
  const stalled = done.filter((r) => r.stalled !== undefined);
  if (stalled.length > 0)
    throw new CliUsageError(
      stalled.map((r) => `run ${r.runId} cannot continue: ${r.stalled?.reason}`).join('\n') +
        '\nsee `sertakan runs` and docs/allocation-liveness.md',
    );
  // The bill and reconciliation are written right after the run completes, in the same job.
  await access.settle(['allocationJobs'], timeoutMs);

  process.stdout.write(render(opts.format, opts.delimiter, runsTable(done), { month, runs: done, skipped }));
  if (opts.format === 'table') {
    const bucket = access.names.buckets.reports;
    for (const run of done) {
      const keys = monthOutputKeys(run.pool, run.month);
      process.stdout.write(
        `\n${run.pool}: tagihan BPJS / bill s3://${bucket}/${keys.billCsv}\n${' '.repeat(run.pool.length)}  rekonsiliasi / reconciliation s3://${bucket}/${keys.reconciliationCsv}`,
      );
    }
    for (const s of skipped) process.stdout.write(`\n${s.pool}: dilewati / skipped: ${s.reason}`);
    process.stdout.write('\n');
  }
}

export function register(program: Command): void {
  withBy(
    withOutputOptions(
      program
        .command('allocate')
        .description('run the monthly allocation of a pool now and wait for its summary')
        .option('--pool <code>', 'pool, e.g. 15.04')
        .option('--all-pools', 'every registered pool (the monthly schedule’s fan-out)')
        .requiredOption('--month <YYYY-MM>', 'coverage month')
        .option('--timeout <seconds>', 'how long to wait for the run(s)', '300')
        .option('--reason <text>', 'why re-run a completed month (shown to the approver)'),
    ),
  ).action(async (opts: AllocateOptions) => {
    if (Boolean(opts.allPools) === (opts.pool !== undefined)) {
      throw new CliUsageError('give either --pool <code> or --all-pools');
    }
    const req: AllocateRequest = {
      ...(opts.pool === undefined ? {} : { pool: parseOption(poolSchema, opts.pool, '--pool') }),
      month: parseOption(monthSchema, opts.month, '--month'),
      timeoutMs: parseOption(secondsOption, opts.timeout, '--timeout') * 1000,
    };
    await withTarget(opts, (access) => allocate(access, req, opts));
  });
}
