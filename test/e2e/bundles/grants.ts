import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type GrantReason, unusedGrantReasons } from '#infra/grant-reasons.ts';
import { buckets, dlqName, localName, queues, tables, topics } from '#infra/resources.ts';
import type { LocalResourceNames } from '#shared/local-cloud/create-resources.ts';
import type { CfnResolver, DeployedApp, DeployedFunction } from '#shared/local-cloud/deployed-functions.ts';
import { UNRESOLVED } from '#shared/local-cloud/deployed-functions.ts';
import type { AwsCall } from '#shared/runtime/aws-call-log.ts';

/**
 * Granted versus used: each function role's statements from the synthesized template, expanded to
 * (action, resource) grants and resolved to the local cloud, against the AWS calls the function's
 * bundle made (SERTAKAN_AWS_CALL_LOG), each mapped to the IAM action and resource AWS would check.
 */

export type Grant = {
  readonly fn: string;
  readonly action: string;
  /** Local ARN pattern (IAM wildcards) the grant covers. */
  readonly resource: string;
  /** The same pattern with local names replaced by resources.ts keys: stable across runs. */
  readonly pattern: string;
};

export type Need = { readonly action: string; readonly resource: string; readonly operation: string };

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export const grantsOf = (fn: DeployedFunction, resolver: CfnResolver): Grant[] =>
  fn.statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      asArray(s.Action).flatMap((action) =>
        asArray(s.Resource as unknown).map((r) => {
          const resource = resolver.resolve(r);
          return { fn: fn.name, action, resource, pattern: patternOf(resource, resolver) };
        }),
      ),
    );

/** `table:ledger/index/gsi1`, `bucket:reports/plans/*`, `queue:deductions`, `*`, `Processing/<construct>`. */
const patternOf = (resource: string, resolver: CfnResolver): string => {
  if (resource === '*') return '*';
  if (resource.startsWith(UNRESOLVED)) return resource.slice(UNRESOLVED.length).replace(/^[^/]*-/, '');
  const entity = resolver.entityOf(resource);
  if (entity === undefined) return resource;
  const table = /^arn:aws:dynamodb:[^:]+:\d+:table\/[^/]+(.*)$/.exec(resource);
  if (table !== null) return `${entity}${table[1]}`;
  const bucket = /^arn:aws:s3:::[^/]+(.*)$/.exec(resource);
  if (bucket !== null) return `${entity}${bucket[1]}`;
  return entity;
};

/** Names shaped like the local cloud's, to resolve the templates' grants without starting one. */
const syntheticNames = (stage: string): LocalResourceNames => {
  const arn = (service: string, name: string) => `arn:aws:${service}:ap-southeast-3:000000000000:${name}`;
  const map = <T, R>(record: Record<string, T>, fn: (spec: T) => R) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
  return {
    tables: map(tables, (t) => localName(stage, t.name)),
    buckets: map(buckets, (b) => localName(stage, b.name)),
    topics: map(topics, (t) => arn('sns', localName(stage, t.name))),
    queues: map(queues, (q) => {
      const name = localName(stage, q.name);
      const dlq = dlqName(name);
      return {
        name,
        url: `http://127.0.0.1/000000000000/${name}`,
        arn: arn('sqs', name),
        dlqName: dlq,
        dlqUrl: `http://127.0.0.1/000000000000/${dlq}`,
        dlqArn: arn('sqs', dlq),
      };
    }),
  } as LocalResourceNames;
};

const S3_ACTIONS: Readonly<Record<string, string>> = {
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  DeleteObject: 's3:DeleteObject',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
};
const SQS_ACTIONS: Readonly<Record<string, string>> = { SendMessageBatch: 'sqs:SendMessage' };

/**
 * The IAM action AWS authorises a call against (service authorization reference), and its resource in
 * the same stable form as Grant.pattern, so runs on different local clouds compare.
 */
export const needsOf = (call: AwsCall, names: LocalResourceNames): Need[] => {
  const { input } = call;
  const operation = `${call.service}.${call.operation}`;
  const keyOf = (record: Record<string, unknown>, value: unknown, kind: string): string => {
    const hit = Object.entries(record).find(([, v]) => v === value || (v as { url?: string })?.url === value);
    return hit === undefined ? String(value) : `${kind}:${hit[0]}`;
  };
  switch (call.service) {
    case 'DynamoDB': {
      const tablesCalled = input.RequestItems ?? (input.TableName === undefined ? [] : [input.TableName]);
      return tablesCalled.map((name) => {
        const table = keyOf(names.tables, name, 'table');
        const resource = input.IndexName === undefined ? table : `${table}/index/${input.IndexName}`;
        return { action: `dynamodb:${call.operation}`, resource, operation };
      });
    }
    case 'S3': {
      const action = S3_ACTIONS[call.operation] ?? `s3:${call.operation}`;
      const bucket = keyOf(names.buckets, input.Bucket, 'bucket');
      const objectLevel = action !== 's3:ListBucket' && input.Key !== undefined;
      return [{ action, resource: objectLevel ? `${bucket}/${input.Key}` : bucket, operation }];
    }
    case 'SQS': {
      const action = SQS_ACTIONS[call.operation] ?? `sqs:${call.operation}`;
      return [{ action, resource: keyOf(names.queues, input.QueueUrl, 'queue'), operation }];
    }
    case 'SNS':
      return [
        {
          action: `sns:${call.operation}`,
          resource: keyOf(names.topics, input.TopicArn, 'topic'),
          operation,
        },
      ];
    default:
      return [{ action: `${call.service.toLowerCase()}:${call.operation}`, resource: '?', operation }];
  }
};

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

export const covers = (grant: Grant, need: Need): boolean =>
  grant.action === need.action && globToRegExp(grant.pattern).test(need.resource);

export type GrantRow = {
  readonly fn: string;
  readonly action: string;
  readonly pattern: string;
  /** used: some call needed it; reason: unused, explained; unused: neither; missing: a call without a grant. */
  readonly kind: 'used' | 'reason' | 'unused' | 'missing';
  readonly usedBy: readonly string[];
  readonly reason?: string;
};

const reasonFor = (fn: string, action: string, pattern: string): GrantReason | undefined =>
  unusedGrantReasons.find(
    (r) =>
      (r.functions === undefined || r.functions.includes(fn)) &&
      globToRegExp(r.action).test(action) &&
      globToRegExp(r.pattern).test(pattern),
  );

/** One row per granted (function, action, resource) and per call no grant covers. */
export const grantTable = (
  app: DeployedApp,
  needsByFunction: ReadonlyMap<string, readonly Need[]>,
): GrantRow[] => {
  const resolver = app.resolver(syntheticNames(app.stage), 'ap-southeast-3');
  const rows: GrantRow[] = [];
  for (const fn of app.functions) {
    const grants = grantsOf(fn, resolver);
    const needs = needsByFunction.get(fn.key) ?? [];
    const seen = new Set<string>();
    for (const grant of grants) {
      const id = `${grant.action} ${grant.pattern}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const usedBy = [...new Set(needs.filter((n) => covers(grant, n)).map((n) => n.operation))].sort();
      const reason = usedBy.length > 0 ? undefined : reasonFor(fn.name, grant.action, grant.pattern);
      rows.push({
        fn: fn.name,
        action: grant.action,
        pattern: grant.pattern,
        kind: usedBy.length > 0 ? 'used' : reason === undefined ? 'unused' : 'reason',
        usedBy,
        ...(reason === undefined ? {} : { reason: reason.reason }),
      });
    }
    const missing = new Map<string, Set<string>>();
    for (const need of needs) {
      if (grants.some((g) => covers(g, need))) continue;
      const id = `${need.action} ${need.resource}`;
      missing.set(id, (missing.get(id) ?? new Set()).add(need.operation));
    }
    for (const [id, ops] of missing) {
      const [action = '', pattern = ''] = id.split(' ');
      rows.push({ fn: fn.name, action, pattern, kind: 'missing', usedBy: [...ops].sort() });
    }
  }
  return rows;
};

/** Reasons that explain no unused grant any more (the grant went, or the code now uses it). */
export const staleReasons = (rows: readonly GrantRow[]): GrantReason[] =>
  unusedGrantReasons.filter(
    (r) =>
      !rows.some(
        (row) =>
          row.kind === 'reason' &&
          (r.functions === undefined || r.functions.includes(row.fn)) &&
          globToRegExp(r.action).test(row.action) &&
          globToRegExp(r.pattern).test(row.pattern),
      ),
  );

const README = path.resolve(import.meta.dirname, '..', '..', '..', 'infra', 'README.md');
const BEGIN = '<!-- grants:begin -->';
const END = '<!-- grants:end -->';

export const grantsMarkdown = (rows: readonly GrantRow[]): string => {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    '| function | action | resource pattern | used by |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => {
      const usedBy =
        row.kind === 'used'
          ? row.usedBy.join(', ')
          : row.kind === 'reason'
            ? `not called by our code: ${row.reason}`
            : row.kind === 'missing'
              ? `**NOT GRANTED**: ${row.usedBy.join(', ')}`
              : '**UNUSED, no reason**';
      return `| ${row.fn} | \`${row.action}\` | \`${cell(row.pattern)}\` | ${cell(usedBy)} |`;
    }),
  ];
  return lines.join('\n');
};

export const readGrantsSection = (): string => {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return '';
  return text.slice(start + BEGIN.length, end).trim();
};

export const writeGrantsSection = (markdown: string): void => {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const section = `${BEGIN}\n${markdown}\n${END}`;
  const next =
    start < 0 || end < start
      ? `${text.trimEnd()}\n\n${section}\n`
      : `${text.slice(0, start)}${section}${text.slice(end + END.length)}`;
  writeFileSync(README, next);
};
