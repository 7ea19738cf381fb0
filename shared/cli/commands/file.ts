import { Argument, type Command } from 'commander';
import { systemClock } from '#domain/ports/clock.ts';
import type { FileVersion } from '#domain/ports/file-registry.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsIntakeRequeue } from '#shared/adapters/sqs-intake-requeue.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { outcomeTable, pendingText } from '../file-outcome.ts';
import { governance } from '../governance.ts';
import { operatorOf } from '../identity.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { type Target, withTarget } from '../target.ts';
import { CliUsageError, parseOption, secondsOption } from '../usage.ts';
import { waitUntil } from '../wait.ts';

/**
 * `sertakan file show|confirm|withdraw --file <id>` (docs/intake.md#pending-confirmation, #withdrawal):
 * - show: a file's recorded outcome, with its pending difference;
 * - confirm: a person confirms a payroll version that takes money away (`--by` is recorded with the
 *   time on the file's record); the intake then applies it and this prints the applied outcome;
 * - withdraw: declines a pending version (nothing is applied), or, for an applied file sent by
 *   mistake, asks to withdraw it (`--reason` required): its reversal then waits for a confirmation.
 */

const ACTIONS = ['show', 'confirm', 'withdraw'] as const;
type Action = (typeof ACTIONS)[number];

type FileOptions = CommonOptions & {
  readonly file: string;
  readonly by?: string;
  readonly reason?: string;
  readonly timeout: string;
};

const settled = (f: FileVersion | undefined): FileVersion | undefined =>
  f === undefined ||
  f.status === 'PROCESSING' ||
  (f.status === 'PENDING_CONFIRMATION' && f.decision !== undefined)
    ? undefined
    : f;

async function run(access: Target, action: Action, opts: FileOptions, timeoutMs: number): Promise<void> {
  const files = new DynamoDbFileRegistry({
    ddb: access.clients.ddb,
    tableName: access.names.tables.registry,
  });
  const print = (file: FileVersion) => {
    process.stdout.write(render(opts.format, opts.delimiter, outcomeTable(file), file));
    if (opts.format === 'table') process.stdout.write(pendingText(file));
  };
  if (action === 'show') {
    const file = await files.getFile(opts.file);
    if (file === undefined) throw new CliUsageError(`no file ${opts.file}`);
    print(file);
    return;
  }
  const operator = await operatorOf(opts);
  const by = operator.name ?? operator.id;
  const decide = makeDecidePending({
    files,
    objects: new S3ObjectStore({ s3: access.clients.s3 }),
    intakeBucket: access.names.buckets.intake,
    clock: systemClock,
    requeue: new SqsIntakeRequeue({
      sqs: access.clients.sqs,
      queueUrl: access.names.queues.payrollFiles,
      bucket: access.names.buckets.intake,
    }),
  });
  const result = await decide({
    fileId: opts.file,
    action: action === 'confirm' ? 'CONFIRM' : 'WITHDRAW',
    by,
    ...(opts.reason === undefined ? {} : { reason: opts.reason }),
  });
  // Named in the audit trail too, as the console does (docs/access.md).
  const decided = result.kind === 'DECIDED' ? result.file : await files.getFile(opts.file);
  await governance(access, operator, opts).record({
    kind: action === 'confirm' ? 'REPLACEMENT_CONFIRMED' : 'REPLACEMENT_WITHDRAWN',
    ...(decided === undefined
      ? {}
      : {
          pool: decided.pool,
          ...(decided.agency === undefined ? {} : { agency: decided.agency }),
          ...(decided.period === undefined ? {} : { month: decided.period }),
        }),
    ref: opts.file,
    detail: { outcome: result.kind, ...(opts.reason === undefined ? {} : { reason: opts.reason }) },
  });
  const id = result.kind === 'DECIDED' ? result.file.fileId : result.requestFileId;
  const file = await waitUntil(`the outcome of file ${id}`, timeoutMs, async () =>
    settled(await files.getFile(id)),
  );
  // A confirmed version's corrections reach the ledger through the deductions queue.
  await access.settle(['deductions'], timeoutMs);
  print(file);
}

export function register(program: Command): void {
  withOutputOptions(
    program
      .command('file')
      .description(
        'show a recorded intake file; confirm or withdraw a payroll file waiting for confirmation, or withdraw one sent by mistake',
      )
      .addArgument(new Argument('<action>', 'what to do').choices(ACTIONS))
      .requiredOption('--file <id>', 'the file id (24 hex) printed by submit')
      .option('--by <who>', 'who decides (recorded with the time on the file)')
      .option('--reason <text>', 'why (required to withdraw a file that was applied)')
      .option('--timeout <seconds>', 'how long to wait for the pipeline', '120'),
  ).action(async (action: Action, opts: FileOptions) => {
    if (!/^[0-9a-f]{24}$/.test(opts.file)) throw new CliUsageError('--file must be the 24-character file id');
    const timeoutMs = parseOption(secondsOption, opts.timeout, '--timeout') * 1000;
    await withTarget(opts, (access) => run(access, action, opts, timeoutMs), {
      needsData: action === 'show',
    });
  });
}
