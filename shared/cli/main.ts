#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isDomainError } from '#domain/errors.ts';
import { FinanceRequestError } from '#shared/use-cases/finance/requests.ts';
import * as abortRun from './commands/abort-run.ts';
import * as agency from './commands/agency.ts';
import * as allocate from './commands/allocate.ts';
import * as area from './commands/area.ts';
import * as audit from './commands/audit.ts';
import * as balance from './commands/balance.ts';
import * as bill from './commands/bill.ts';
import * as billApproval from './commands/bill-approval.ts';
import * as change from './commands/change.ts';
import * as coverage from './commands/coverage.ts';
import * as demo from './commands/demo.ts';
import * as dlq from './commands/dlq.ts';
import * as file from './commands/file.ts';
import * as forecast from './commands/forecast.ts';
import * as localUp from './commands/local-up.ts';
import * as payment from './commands/payment.ts';
import * as pool from './commands/pool.ts';
import * as queryAllocations from './commands/query-allocations.ts';
import * as reconcile from './commands/reconcile.ts';
import * as reports from './commands/reports.ts';
import * as runs from './commands/runs.ts';
import * as scan from './commands/scan.ts';
import * as statement from './commands/statement.ts';
import * as submit from './commands/submit.ts';
import * as template from './commands/template.ts';
import * as user from './commands/user.ts';

/**
 * `sertakan`: one program for pilots, finance and the local run (docs/design.md#the-cli).
 *
 * Extension point: one file per command under shared/cli/commands/, exporting
 * `register(program: Command)`; add it to COMMANDS below. Data commands build their options with
 * `withOutputOptions` / `withConnectionOptions` (shared/cli/output.ts) and reach the data through
 * `connect()` (shared/cli/connect.ts); pipeline commands (submit, allocate, scan, forecast) reach a
 * running `local up`, an embedded runtime or a deployed stack through shared/cli/target.ts (the one module that resolves where a command works).
 */
export type CommandModule = { register(program: Command): void };

export const COMMANDS: readonly CommandModule[] = [
  // Local run and pipeline (docs/design.md#the-cli).
  demo,
  localUp,
  submit,
  file,
  template,
  pool,
  agency,
  allocate,
  runs,
  abortRun,
  dlq,
  scan,
  forecast,
  reports,
  // Finance.
  queryAllocations,
  coverage,
  reconcile,
  bill,
  statement,
  balance,
  area,
  // Who may do what, and who did what (docs/access.md).
  change,
  audit,
  user,
  // Closing the loop with BPJS (docs/bpjs-loop.md): after `bill`, whose subcommands some of these are.
  billApproval,
  payment,
];

export function buildProgram(): Command {
  const program = new Command('sertakan')
    .description('SERTAKAN: payroll deductions to BPJS Ketenagakerjaan coverage for vulnerable workers')
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/**
 * One line for the user, never a stack trace. Every failure exits 1, as commander's own usage errors
 * do: a usage mistake (CliUsageError, a malformed finance request), a domain error (its code first),
 * a rejected file, anything else. 0 only on success.
 */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
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
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    // Commander already printed help, --version or a usage error.
    if (err instanceof CommanderError) return err.exitCode;
    const { message, exitCode } = describeFailure(err);
    process.stderr.write(`sertakan: ${message}\n`);
    return exitCode;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
