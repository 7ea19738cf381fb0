import type { Command } from 'commander';
import { type DeadLetterPair, SqsDeadLetters } from '#shared/adapters/sqs-dead-letters.ts';
import { type CommonOptions, withOutputOptions } from '../output.ts';
import { type SettleQueue, withTarget } from '../target.ts';
import { CliUsageError } from '../usage.ts';

const QUEUES: readonly SettleQueue[] = ['deductions', 'allocationJobs', 'scanJobs'];

/**
 * `sertakan dlq list` and `sertakan dlq redrive --queue Q`: what waits in the dead-letter queues, and
 * moving it back once the cause is fixed (docs/runbooks/dlq-depth.md). On AWS the redrive is SQS's
 * StartMessageMoveTask; on the local cloud, whose emulator lacks that action, the command moves the
 * messages itself (receive, send, delete). Queues: deductions, allocationJobs, scanJobs (the queues
 * the CLI's target knows by name).
 */
export function register(program: Command): void {
  const dlq = program.command('dlq').description('dead-letter queues: list their depth, redrive them');
  withOutputOptions(dlq.command('list').description('messages waiting in each dead-letter queue')).action(
    async (opts: CommonOptions) => {
      await withTarget(
        opts,
        async (target) => {
          const dl = new SqsDeadLetters(target.clients.sqs);
          for (const q of QUEUES) {
            const pair = await dl.pairOf(target.names.queues[q]);
            process.stdout.write(`${q}\t${await dl.depth(pair)}\n`);
          }
        },
        { needsData: true },
      );
    },
  );
  withOutputOptions(
    dlq
      .command('redrive')
      .description('move a dead-letter queue back to its source queue (after fixing the cause)')
      .requiredOption('--queue <name>', `one of ${QUEUES.join(', ')}`),
  ).action(async (opts: CommonOptions & { queue: string }) => {
    if (!(QUEUES as readonly string[]).includes(opts.queue))
      throw new CliUsageError(`--queue must be one of ${QUEUES.join(', ')} (was "${opts.queue}")`);
    await withTarget(opts, async (target) => {
      const dl = new SqsDeadLetters(target.clients.sqs);
      const pair: DeadLetterPair = await dl.pairOf(target.names.queues[opts.queue as SettleQueue]);
      const before = await dl.depth(pair);
      const out = await dl.redrive(pair, { copy: target.kind !== 'aws' });
      process.stdout.write(
        out.taskHandle !== undefined
          ? `Redrive dimulai / started (${before} pesan / messages): StartMessageMoveTask ${out.taskHandle}\n`
          : `Dipindahkan / moved back: ${out.moved ?? 0} of ${before} pesan / messages\n`,
      );
    });
  });
}
