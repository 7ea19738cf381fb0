import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { buckets, functions, queues, tables, topics } from '#infra/resources.ts';
import type { LocalResourceNames } from './create-resources.ts';

/**
 * What `cdk synth` would deploy, read back from its output directory: for every function of
 * infra/resources.ts, its bundled asset (index.mjs), its handler, its environment and its role's
 * policy statements exactly as the templates hold them. The bundle runtime (bundle-functions.ts)
 * runs these assets; the least-privilege test compares these statements with the calls they made.
 */

export type FunctionKey = keyof typeof functions;

/** An unresolved CloudFormation value: a string or an intrinsic ({Ref}, {Fn::Join}, {Fn::ImportValue} ...). */
export type CfnValue = unknown;

export type PolicyStatement = {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: CfnValue;
  readonly Condition?: unknown;
};

export type DeployedFunction = {
  readonly key: FunctionKey;
  readonly name: string;
  readonly logicalId: string;
  /** Absolute path of the bundle directory CDK would zip and upload. */
  readonly assetDir: string;
  /** File and export Lambda loads, from `Handler` (`index.handler` -> index.mjs, handler). */
  readonly entryFile: string;
  readonly exportName: string;
  readonly runtime: string;
  readonly environment: Readonly<Record<string, CfnValue>>;
  readonly statements: readonly PolicyStatement[];
};

export type DeployedApp = {
  readonly outdir: string;
  readonly stage: string;
  readonly functions: readonly DeployedFunction[];
  /** Resolves a template value to what it means on the local cloud (names, URLs, ARNs). */
  readonly resolver: (names: LocalResourceNames, region: string) => CfnResolver;
};

export type CfnResolver = {
  /** A local name, URL or ARN; `cdk:<construct path>` for a resource the local cloud does not have. */
  resolve(value: CfnValue): string;
  /** The resources.ts entity a resolved name, URL or ARN belongs to, e.g. `table:ledger`. */
  entityOf(resolved: string): string | undefined;
};

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({
  Resources: z.record(z.string(), resourceSchema),
  Outputs: z
    .record(z.string(), z.object({ Value: z.unknown(), Export: z.object({ Name: z.string() }).optional() }))
    .optional(),
});
const policyDocumentSchema = z.object({
  Statement: z.array(
    z.object({
      Effect: z.string(),
      Action: z.union([z.string(), z.array(z.string())]),
      Resource: z.unknown(),
    }),
  ),
});
type Template = z.infer<typeof templateSchema>;

const pathOf = (resource: z.infer<typeof resourceSchema>): string => {
  const path = resource.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : '';
};

/** The stateful stack's construct ids are `<resources.ts key><Kind>` (stateful-stack.ts). */
const KINDS = [
  ['Table', tables],
  ['Queue', queues],
  ['Dlq', queues],
  ['Topic', topics],
  ['Bucket', buckets],
] as const;

const entityOfPath = (cdkPath: string): string | undefined => {
  const id = cdkPath.split('/')[1] ?? '';
  for (const [suffix, record] of KINDS) {
    const key = id.slice(0, -suffix.length);
    if (id.endsWith(suffix) && key in record) return `${suffix.toLowerCase()}:${key}`;
  }
  return undefined;
};

const readTemplate = (outdir: string, stackName: string): Template =>
  templateSchema.parse(JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8')));

/** Prefix of a resolved value that has no local counterpart (see CfnResolver.resolve). */
export const UNRESOLVED = 'cdk:';

const functionKeys = Object.keys(functions) as FunctionKey[];

export const readDeployedApp = (outdir: string): DeployedApp => {
  const stackNames = readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => f.slice(0, -'.template.json'.length));
  const processingName = stackNames.find((n) => n.endsWith('-Processing'));
  const statefulName = stackNames.find((n) => n.endsWith('-Stateful'));
  if (processingName === undefined || statefulName === undefined) {
    throw new Error(
      `${outdir} holds no Sertakan-<stage>-Processing/-Stateful templates: run cdk synth first`,
    );
  }
  const stage = processingName.split('-')[1] ?? '';
  const processing = readTemplate(outdir, processingName);
  const stateful = readTemplate(outdir, statefulName);

  const policiesOfRole = (roleLogicalId: string): PolicyStatement[] =>
    Object.values(processing.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => JSON.stringify(r.Properties?.Roles ?? []).includes(`"${roleLogicalId}"`))
      .flatMap(
        (r) => policyDocumentSchema.parse(r.Properties?.PolicyDocument).Statement as PolicyStatement[],
      );

  const deployed: DeployedFunction[] = [];
  for (const [logicalId, resource] of Object.entries(processing.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    // Our functions are `<key>Function/Fn`; CDK's own helpers (custom resources) are not.
    const [, constructId, child] = pathOf(resource).split('/');
    const key = functionKeys.find((k) => `${k}Function` === constructId);
    if (key === undefined || child !== 'Fn') continue;
    const props = resource.Properties ?? {};
    const asset = resource.Metadata?.['aws:asset:path'];
    const handler = z.string().parse(props.Handler);
    const [file, exportName] = handler.split('.');
    const role = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }).parse(props.Role);
    const environment =
      (props.Environment as { Variables?: Record<string, CfnValue> } | undefined)?.Variables ?? {};
    deployed.push({
      key,
      name: functions[key].name,
      logicalId,
      assetDir: join(outdir, z.string().parse(asset)),
      entryFile: join(outdir, z.string().parse(asset), `${file}.mjs`),
      exportName: exportName ?? 'handler',
      runtime: z.string().parse(props.Runtime),
      environment,
      statements: policiesOfRole(role['Fn::GetAtt'][0]),
    });
  }

  const exportsByName = new Map<string, CfnValue>();
  for (const output of Object.values(stateful.Outputs ?? {})) {
    if (output.Export !== undefined) exportsByName.set(output.Export.Name, output.Value);
  }

  const resolver = (names: LocalResourceNames, region: string): CfnResolver => {
    const account = '000000000000';
    /** What Ref / GetAtt Arn of a stateful resource means locally. */
    const localValue = (logicalId: string, attribute: 'Ref' | 'Arn'): string => {
      const resource = stateful.Resources[logicalId];
      const entity = resource === undefined ? undefined : entityOfPath(pathOf(resource));
      const [kind, key] = (entity ?? ':').split(':') as [string, string];
      if (kind === 'table') {
        const name = names.tables[key as keyof typeof tables];
        return attribute === 'Ref' ? name : `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      }
      if (kind === 'queue' || kind === 'dlq') {
        const q = names.queues[key as keyof typeof queues];
        if (kind === 'dlq') return attribute === 'Ref' ? q.dlqUrl : q.dlqArn;
        return attribute === 'Ref' ? q.url : q.arn;
      }
      if (kind === 'topic') return names.topics[key as keyof typeof topics];
      if (kind === 'bucket') {
        const name = names.buckets[key as keyof typeof buckets];
        return attribute === 'Ref' ? name : `arn:aws:s3:::${name}`;
      }
      // No local counterpart (a KMS key, a log group): name it by its construct path.
      const other = resource ?? processing.Resources[logicalId];
      return `${UNRESOLVED}${other === undefined ? logicalId : pathOf(other).replace(/\/Resource$/, '')}`;
    };

    const resolveIn = (value: CfnValue): string => {
      if (typeof value === 'string') return value;
      const v = value as Record<string, unknown>;
      if (typeof v.Ref === 'string') {
        if (v.Ref === 'AWS::AccountId') return account;
        if (v.Ref === 'AWS::Region') return region;
        if (v.Ref === 'AWS::Partition') return 'aws';
        if (v.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
        return localValue(v.Ref, 'Ref');
      }
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return localValue(String(getAtt[0]), 'Arn');
      const join = v['Fn::Join'];
      if (Array.isArray(join)) {
        const [sep, parts] = join as [string, CfnValue[]];
        return parts.map(resolveIn).join(sep);
      }
      const imported = v['Fn::ImportValue'];
      if (typeof imported === 'string') {
        const exported = exportsByName.get(imported);
        if (exported === undefined) throw new Error(`no export ${imported} in the stateful template`);
        return resolveIn(exported);
      }
      throw new Error(`cannot resolve ${JSON.stringify(value)}`);
    };

    // Buckets have fixed physical names on AWS (naming.ts); locally each has its own name.
    const bucketByAwsName = new Map<string, string>();
    const entityByLocal = new Map<string, string>();
    for (const resource of Object.values(stateful.Resources)) {
      const entity = entityOfPath(pathOf(resource));
      if (entity === undefined || resource.Type !== 'AWS::S3::Bucket') continue;
      const key = entity.split(':')[1] as keyof typeof buckets;
      bucketByAwsName.set(resolveIn(resource.Properties?.BucketName), names.buckets[key]);
    }
    for (const [key, name] of Object.entries(names.tables)) entityByLocal.set(name, `table:${key}`);
    for (const [key, q] of Object.entries(names.queues)) {
      for (const v of [q.url, q.arn, q.name]) entityByLocal.set(v, `queue:${key}`);
      for (const v of [q.dlqUrl, q.dlqArn, q.dlqName]) entityByLocal.set(v, `dlq:${key}`);
    }
    for (const [key, arn] of Object.entries(names.topics)) entityByLocal.set(arn, `topic:${key}`);
    for (const [key, name] of Object.entries(names.buckets)) entityByLocal.set(name, `bucket:${key}`);

    const resolve = (value: CfnValue): string => {
      const out = resolveIn(value);
      // A bucket name or an ARN inside it ("arn:aws:s3:::<name>/..."): swap in the local bucket.
      for (const [awsName, localName] of bucketByAwsName) {
        if (out === awsName || out.startsWith(`arn:aws:s3:::${awsName}`))
          return out.replace(awsName, localName);
      }
      return out;
    };
    const entityOf = (resolved: string): string | undefined => {
      const direct = entityByLocal.get(resolved);
      if (direct !== undefined) return direct;
      const table = /^arn:aws:dynamodb:[^:]+:\d+:table\/([^/]+)/.exec(resolved)?.[1];
      if (table !== undefined) return entityByLocal.get(table);
      const bucket = /^arn:aws:s3:::([^/]+)/.exec(resolved)?.[1];
      return bucket === undefined ? undefined : entityByLocal.get(bucket);
    };
    return { resolve, entityOf };
  };

  return { outdir, stage, functions: deployed, resolver };
};
