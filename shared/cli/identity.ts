import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { type Actor, ALL_POOLS } from '#domain/access.ts';
import { callerRoleArn } from '#shared/finance-api/callers.ts';
import type { TargetOptions } from './target.ts';
import { CliUsageError } from './usage.ts';

/**
 * Who is at the CLI, for the audit trail (docs/access.md): an `operator` of every pool. On AWS the
 * identity is the one the AWS credentials prove (STS GetCallerIdentity: the role or user ARN), with
 * `--by` as the readable name; locally there are no credentials to prove anything, so `--by` is
 * required and is the id.
 */

export type ByOptions = { readonly by?: string };

/** Adds `--by <name>` to a command that acts (and is recorded). */
export const withBy = (cmd: Command): Command =>
  cmd.option(
    '--by <name>',
    'who does this, for the audit trail (required locally; on AWS your credentials say)',
  );

const BY = /^[\p{L}\p{N} ._@-]{2,80}$/u;

export async function operatorOf(opts: TargetOptions & ByOptions): Promise<Actor> {
  const by = opts.by?.trim();
  if (by !== undefined && !BY.test(by))
    throw new CliUsageError('--by: 2-80 letters, digits, spaces, dots, @, dashes (a name or e-mail)');
  if (opts.target === 'aws') {
    const sts = new STSClient({});
    try {
      const who = await sts.send(new GetCallerIdentityCommand({}));
      const id = callerRoleArn(who.Arn ?? '');
      if (id === '') throw new CliUsageError('the AWS credentials did not say who you are (STS)');
      return { id, name: by ?? id, role: 'operator', pools: [ALL_POOLS] };
    } finally {
      sts.destroy();
    }
  }
  if (by === undefined)
    throw new CliUsageError('--by <name> is required: who does this, recorded in the audit trail');
  return { id: `local:${by}`, name: by, role: 'operator', pools: [ALL_POOLS] };
}

/** The operator's name as the abort record's `by` accepts it (1-40 of A-Z a-z 0-9 . _ -). */
export const operatorId = (a: Actor): string =>
  (a.name ?? a.id).replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'operator';
