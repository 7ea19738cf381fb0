#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
/**
 * `sertakan`: one program for pilots, finance and the local run (docs/design.md#the-cli).
 *
 * Extension point: one file per command under shared/cli/commands/, exporting
 * `register(program: Command)`; add an entry for it to COMMANDS below (name, description, loader). Data commands build their options with
 * `withOutputOptions` / `withConnectionOptions` (shared/cli/output.ts) and reach the data through
 * `connect()` (shared/cli/connect.ts); pipeline commands (submit, allocate, scan, forecast) reach a
 * running `local up`, an embedded runtime or a deployed stack through shared/cli/target.ts (the one module that resolves where a command works).
 */
export type CommandModule = { register(program: Command): void };

/**
 * One top-level command: its name and one-line description (what `sertakan --help` lists) and the
 * modules that register it. Only the modules of the command being run are loaded (`--help` loads
 * none), so a command does not pay for every other command's dependencies; the unit test
 * test/unit/cli/command-manifest.test.ts keeps `summary` equal to the description the module registers.
 */
export type CommandEntry = {
  readonly name: string;
  readonly summary: string;
  load(): Promise<readonly CommandModule[]>;
};

const one = (m: Promise<CommandModule>) => m.then((mod) => [mod]);

export const COMMANDS: readonly CommandEntry[] = [
  // Local run and pipeline (docs/design.md#the-cli).
  {
    name: 'demo',
    summary:
      'run a synthetic region (Batanghari, pool 15.04) through the whole pipeline on the embedded local cloud',
    load: () => one(import('./commands/demo.ts')),
  },
  {
    name: 'local',
    summary: 'the local cloud on this machine',
    load: () => one(import('./commands/local-up.ts')),
  },
  {
    name: 'submit',
    summary:
      'put a payroll, worker, grant or BPJS confirmation file into the intake and wait for its outcome',
    load: () => one(import('./commands/submit.ts')),
  },
  {
    name: 'file',
    summary:
      'show a recorded intake file; confirm or withdraw a payroll file waiting for confirmation, or withdraw one sent by mistake',
    load: () => one(import('./commands/file.ts')),
  },
  {
    name: 'template',
    summary:
      'write an empty intake file with the expected columns (XLSX: identifier and period columns as Text)',
    load: () => one(import('./commands/template.ts')),
  },
  {
    name: 'pool',
    summary: 'create, configure and list pools (any Kemendagri area code)',
    load: () => one(import('./commands/pool.ts')),
  },
  {
    name: 'agency',
    summary: 'per-agency settings of the payroll intake',
    load: () => one(import('./commands/agency.ts')),
  },
  {
    name: 'allocate',
    summary: 'run the monthly allocation of a pool now and wait for its summary',
    load: () => one(import('./commands/allocate.ts')),
  },
  {
    name: 'runs',
    summary: 'allocation runs of a pool: state, cause, progress, idle time, outputs',
    load: () => one(import('./commands/runs.ts')),
  },
  {
    name: 'abort-run',
    summary: 'ask to abort a stalled allocation run (a second person approves), then re-run the month',
    load: () => one(import('./commands/abort-run.ts')),
  },
  {
    name: 'dlq',
    summary: 'dead-letter queues: list their depth, redrive them',
    load: () => one(import('./commands/dlq.ts')),
  },
  {
    name: 'scan',
    summary: 'run the daily lapse scan for a date now and print the alerts per pool',
    load: () => one(import('./commands/scan.ts')),
  },
  {
    name: 'forecast',
    summary: '12-month projection of a pool: balance, expected credits, cost, fundable workers, runway',
    load: () => one(import('./commands/forecast.ts')),
  },
  {
    name: 'reports',
    summary: 'reports written by the pipeline',
    load: () => one(import('./commands/reports.ts')),
  },
  // Finance.
  {
    name: 'query',
    summary: 'query the allocation log',
    load: () => one(import('./commands/query-allocations.ts')),
  },
  {
    name: 'coverage',
    summary:
      "a worker's coverage by month: allocated on the bill and confirmed by BPJS (confirmed / billed, not confirmed / not billed)",
    load: () => one(import('./commands/coverage.ts')),
  },
  {
    name: 'reconcile',
    summary: 'reconciliation of a pool for a coverage month (balances to the rupiah)',
    load: () => one(import('./commands/reconcile.ts')),
  },
  {
    name: 'bill',
    summary: 'BPJS bill of a pool for a coverage month (approve / release: see their --help)',
    // Closing the loop with BPJS (docs/bpjs-loop.md): approve and release are subcommands of `bill`.
    load: async () => [await import('./commands/bill.ts'), await import('./commands/bill-approval.ts')],
  },
  {
    name: 'statement',
    summary: "a donor's statement: deductions per month and the share of allocations they funded",
    load: () => one(import('./commands/statement.ts')),
  },
  {
    name: 'balance',
    summary: 'pool balance and state, now or as of a past date',
    load: () => one(import('./commands/balance.ts')),
  },
  {
    name: 'area',
    summary: 'sums over every pool under an area code (15, 15.04, ...)',
    load: () => one(import('./commands/area.ts')),
  },
  // Who may do what, and who did what (docs/access.md).
  {
    name: 'change',
    summary: 'four-eyes requests: list them, approve one',
    load: () => one(import('./commands/change.ts')),
  },
  {
    name: 'audit',
    summary: 'the audit trail: who did what, when, from where',
    load: () => one(import('./commands/audit.ts')),
  },
  {
    name: 'user',
    summary: 'console users (administrators only)',
    load: () => one(import('./commands/user.ts')),
  },
  {
    name: 'payment',
    summary: 'payments to BPJS against released bills',
    load: () => one(import('./commands/payment.ts')),
  },
];

/**
 * The top-level command `argv` asks for (`sertakan help X` asks for X), or undefined for `--help`,
 * no command, or an unknown one (commander then lists the commands or says what it did not know).
 */
export function requestedCommand(
  argv: readonly string[],
  entries: readonly CommandEntry[] = COMMANDS,
): CommandEntry | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return entries.find((e) => e.name === name);
}

/**
 * The program for `argv`: the requested command registered by its own modules, every other one as a
 * name and description only (enough for the command list and for "unknown command" suggestions).
 */
export async function buildProgram(
  argv: readonly string[],
  entries: readonly CommandEntry[] = COMMANDS,
): Promise<Command> {
  const program = new Command('sertakan')
    .description('SERTAKAN: payroll deductions to BPJS Ketenagakerjaan coverage for vulnerable workers')
    // After a usage mistake, a pointer to the command's help, not the whole help.
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const wanted = requestedCommand(argv, entries);
  const modules = wanted === undefined ? [] : await wanted.load();
  for (const entry of entries) {
    if (entry === wanted) for (const m of modules) m.register(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/**
 * One line for the user, never a stack trace. Every failure exits 1, as commander's own usage errors
 * do: a usage mistake (CliUsageError, a malformed finance request), a domain error (its code first),
 * a rejected file, anything else. 0 only on success.
 */
export async function describeFailure(err: unknown): Promise<{ message: string; exitCode: number }> {
  // Loaded on failure only: `--help` need not load the error classes' modules (and zod with them).
  const { isDomainError } = await import('#domain/errors.ts');
  const { FinanceRequestError } = await import('#shared/use-cases/finance/requests.ts');
  // A malformed request reads as a usage message, without the code.
  if (err instanceof FinanceRequestError) return { message: err.message, exitCode: 1 };
  if (isDomainError(err)) return { message: `${err.code}: ${err.message}`, exitCode: 1 };
  if (err instanceof Error) return { message: err.message, exitCode: 1 };
  return { message: String(err), exitCode: 1 };
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  // The SDK's Node 20 notice is noise on every command; the local run is supported on Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
    return 0;
  } catch (err) {
    // Commander already printed help, --version or a usage error.
    if (err instanceof CommanderError) return err.exitCode;
    const { message, exitCode } = await describeFailure(err);
    process.stderr.write(`sertakan: ${message}\n`);
    return exitCode;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
