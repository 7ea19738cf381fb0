import { z } from 'zod';
import { type Actor, GRANTS } from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';

/**
 * The finance API's callers (docs/access.md, "Machines"): the API is IAM-authorised, so API Gateway
 * has verified who signed each request; this table, written by an administrator into the stage's
 * config (`-c financeCallers=...`, the `FINANCE_CALLERS` env var of the function), says what each may
 * see. A caller not in the table is refused (403), whatever IAM let through.
 *
 * An entry names an IAM role (or user) ARN; a request signed with that role's temporary credentials
 * arrives as `arn:aws:sts::<account>:assumed-role/<role>/<session>` and matches
 * `arn:aws:iam::<account>:role/<role>` (a role with a path must be listed without it).
 */

const poolPrefixSchema = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/);
export const financeCallerSchema = z.strictObject({
  arn: z.string().regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,128}$/, 'an IAM role or user ARN'),
  /** What an auditor reads in the trail: `BKAD Jambi, ekspor bulanan`. */
  name: z.string().min(1).max(100),
  pools: z.array(poolPrefixSchema).min(1).max(50),
  grants: z.array(z.enum(GRANTS)).default([]),
});
export type FinanceCaller = z.output<typeof financeCallerSchema>;
export const financeCallersSchema = z.array(financeCallerSchema);

/** `arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R`; any other ARN as it is. */
export const callerRoleArn = (arn: string): string => {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return assumed === null ? arn : `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`;
};

/** Reads the table (JSON); throws naming the field for a malformed one, so a bad deploy fails at once. */
export const parseFinanceCallers = (json: string): readonly FinanceCaller[] =>
  financeCallersSchema.parse(JSON.parse(json));

/**
 * The actor of a request: the table's entry for the caller's ARN, as a `machine` actor. Throws
 * AccessDeniedError when the request has no verified caller or the table does not list it.
 */
export function callerActor(table: readonly FinanceCaller[], arn: string | undefined): Actor {
  if (arn === undefined) throw new AccessDeniedError('no verified IAM caller');
  const key = callerRoleArn(arn);
  const entry = table.find((c) => c.arn === key);
  if (entry === undefined) throw new AccessDeniedError('caller not in the finance callers table');
  return { id: key, name: entry.name, role: 'machine', pools: entry.pools, grants: entry.grants };
}
