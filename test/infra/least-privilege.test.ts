import { describe, expect, it } from 'vitest';
import {
  type BucketName,
  type FunctionSpec,
  functions,
  type QueueName,
  type TableName,
} from '#infra/resources.ts';
import { logicalIdOf, resourceById, resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

const { stateful, processing, processingTemplate } = synthesise('dev');

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const json = (value: unknown): string => JSON.stringify(value);

const statementsOf = (key: keyof typeof functions): Statement[] => {
  const policy = processing.functions[key].role.node.findChild('DefaultPolicy');
  const document = resourceById(processingTemplate, logicalIdOf(policy)).Properties?.PolicyDocument;
  return (document as { Statement: Statement[] }).Statement;
};

/** Actions granted on any resource whose rendered ARN contains `marker`. */
const actionsOn = (statements: Statement[], marker: string): Set<string> =>
  new Set(statements.filter((s) => resourcesOf(s).some((r) => json(r).includes(marker))).flatMap(actionsOf));

const entries = Object.entries(functions) as [keyof typeof functions, FunctionSpec][];
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
/** `incoming/payroll/` from `{Fn::Join: ['', [..., '/incoming/payroll/*']]}` (bucket.arnForObjects). */
const objectPrefix = (resource: unknown): string | undefined => {
  const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [];
  const last = parts.at(-1);
  return typeof last === 'string' && last.startsWith('/') && last.endsWith('*')
    ? last.slice(1, -1)
    : undefined;
};
const bucketMarker = (name: string): string => `sertakan-dev-${name}-`;

describe.each(entries)('IAM of %s', (key, spec) => {
  const statements = statementsOf(key);
  const access = spec.access;

  it('has no wildcard action and no deny-less "*" resource beyond X-Ray', () => {
    expect(statements.flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
    const starStatements = statements.filter((s) => resourcesOf(s).includes('*'));
    expect(starStatements.flatMap(actionsOf).every((a) => a.startsWith('xray:'))).toBe(true);
  });

  it.each(Object.keys(stateful.tables) as TableName[])(
    'touches table %s with exactly the actions its access lists, and only the indexes it names',
    (table) => {
      const granted = actionsOn(statements, logicalIdOf(stateful.tables[table]));
      const access = spec.access.tables?.[table];
      const expected =
        access === undefined
          ? []
          : access === 'read'
            ? TABLE_READ
            : access === 'readWrite'
              ? [...TABLE_READ, ...TABLE_WRITES]
              : access.map((a) => `dynamodb:${a}`);

      expect([...granted].sort()).toEqual([...expected].sort());
      // Index ARNs: Query only, on exactly the indexes the access names for this table.
      const onIndexes = statements.filter(
        (s) =>
          json(s.Resource).includes('/index/') &&
          json(s.Resource).includes(logicalIdOf(stateful.tables[table])),
      );
      const named = spec.access.indexes?.[table] ?? [];
      expect(onIndexes.flatMap(actionsOf)).toEqual(named.length === 0 ? [] : ['dynamodb:Query']);
      expect(onIndexes.flatMap(resourcesOf).map((r) => /\/index\/([^"\]]+)/.exec(json(r))?.[1])).toEqual(
        named,
      );
    },
  );

  it.each(['intake', 'reports'] as BucketName[])(
    'touches bucket %s only under its access prefixes',
    (bucket) => {
      const onBucket = statements.filter((s) =>
        resourcesOf(s).some((r) => json(r).includes(bucketMarker(bucket))),
      );
      const access = spec.access.buckets?.[bucket];
      const prefixes =
        access === undefined
          ? { read: [], write: [] }
          : typeof access === 'string'
            ? { read: access === 'write' ? [] : [''], write: access === 'read' ? [] : [''] }
            : { read: access.read ?? [], write: access.write ?? [] };
      const objectsFor = (action: string) =>
        onBucket
          .filter((s) => actionsOf(s).includes(action))
          .flatMap(resourcesOf)
          .filter((r) => json(r).includes(bucketMarker(bucket)))
          .map(objectPrefix)
          .filter((p) => p !== undefined)
          .sort();

      expect(objectsFor('s3:GetObject')).toEqual([...prefixes.read].sort());
      expect(objectsFor('s3:PutObject')).toEqual([...prefixes.write].sort());
      if (access === undefined) expect(onBucket).toEqual([]);
    },
  );

  it.each(Object.keys(stateful.queues) as QueueName[])(
    'sends to queue %s only if listed in sendTo',
    (queue) => {
      const pair = stateful.queues[queue];
      const granted = actionsOn(statements, logicalIdOf(pair.queue));
      const consumes = 'source' in spec && spec.source?.queue === queue;

      expect(granted.has('sqs:SendMessage')).toBe(access.sendTo?.includes(queue) ?? false);
      expect(granted.has('sqs:ReceiveMessage')).toBe(consumes);
      expect([...actionsOn(statements, logicalIdOf(pair.dlq))]).toEqual([]);
    },
  );

  it('publishes to ops-alerts only if listed in publishTo, and never to the alarm topic', () => {
    const publishes = access.publishTo?.includes('opsAlerts') ?? false;

    expect(actionsOn(statements, logicalIdOf(stateful.topics.opsAlerts)).has('sns:Publish')).toBe(publishes);
    expect([...actionsOn(statements, logicalIdOf(stateful.opsAlarmsTopic))]).toEqual([]);
  });

  it('writes logs only to its own log group', () => {
    const logStatements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    const ownLogGroup = logicalIdOf(processing.functions[key].node.findChild('Logs'));

    expect(logStatements.length).toBeGreaterThan(0);
    expect(logStatements.every((s) => resourcesOf(s).every((r) => json(r).includes(ownLogGroup)))).toBe(true);
  });
});

describe('roles', () => {
  it('carry no AWS managed policies in the processing stack', () => {
    // Except CDK's own deploy-time function that copies the built console into its bucket.
    const roles = resourcesOfType(processingTemplate, 'AWS::IAM::Role').filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    );

    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter(([, r]) => r.Properties?.ManagedPolicyArns !== undefined)).toEqual([]);
  });
});
