import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { formatRupiah } from '#domain/money.ts';
import { systemClock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { makeAbortAllocation } from '#shared/use-cases/allocation/abort-allocation.ts';
import { monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { parseOption } from '../usage.ts';

type AbortOptions = CommonOptions & {
  readonly pool: string;
  readonly month: string;
  readonly reason: string;
  readonly by?: string;
  readonly rerun: boolean;
};

/**
 * `sertakan abort-run --pool P --month M --reason "..." [--by ID] [--no-rerun]`: closes the month's
 * RUNNING run (typically STALLED, see `sertakan runs`) as ABORTED with the reason and who did it, then asks
 * for a fresh run of the month unless `--no-rerun` (docs/allocation-liveness.md, "Operator abort").
 * The chunks the run committed stay allocated; the month is done once the re-run completes.
 */
export function register(program: Command): void {
  withOutputOptions(
    program
      .command('abort-run')
      .description(
        'abort a stalled allocation run (marked stalled, or idle 20+ minutes) with a recorded reason, then re-run the month',
      )
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .requiredOption('--month <YYYY-MM>', 'coverage month of the run')
      .requiredOption('--reason <text>', 'why (recorded on the run for finance and audit)')
      .option('--by <id>', 'operator id recorded with the abort (default: your user name)')
      .option('--no-rerun', 'only abort; do not ask for a new run of the month'),
  ).action(async (opts: AbortOptions) => {
    const pool = parseOption(poolSchema, opts.pool, '--pool');
    const month = parseOption(monthSchema, opts.month, '--month');
    await withTarget(opts, async (access) => {
      const { ddb, sqs, s3 } = access.clients;
      const abort = makeAbortAllocation({
        log: new DynamoDbAllocationLog({ ddb, tableName: access.names.tables.ledger }),
        jobs: new SqsJobQueue(sqs, access.names.queues.allocationJobs),
        plans: new ObjectStorePlanStore(new S3ObjectStore({ s3 }), access.names.buckets.reports),
        coverage: new DynamoDbCoverageStore({ ddb, tableName: access.names.tables.registry }),
        rates: defaultRateTable,
        clock: systemClock,
      });
      const out = await abort({
        pool,
        month,
        reason: opts.reason,
        by: opts.by ?? userInfo().username,
        rerun: opts.rerun,
      });
      const a = out.aborted;
      process.stdout.write(
        `Run ${a.runId} dibatalkan / aborted (${a.aborted?.by}, ${a.aborted?.at}): ${a.aborted?.reason}\n` +
          `  chunk selesai / chunks committed: ${a.nextChunk}/${a.chunkCount}, tetap teralokasi / stays allocated: ` +
          `${formatRupiah(a.cursor.allocated)}; entri chunk terbuka dihapus / uncommitted entries removed: ${out.removed}\n` +
          (out.rerunCause === undefined
            ? `  Tidak ada run ulang / no re-run: sertakan allocate --pool ${pool} --month ${month}\n`
            : `  Run ulang diminta / re-run requested (${out.rerunCause}); lihat / see: sertakan runs --pool ${pool} --month ${month}\n`),
      );
    });
  });
}
