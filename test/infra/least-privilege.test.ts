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
const TABLE_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
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
    'touches table %s only as its access says',
    (table) => {
      const granted = actionsOn(statements, logicalIdOf(stateful.tables[table]));
      const mode = access.tables?.[table];

      if (mode === undefined) expect([...granted]).toEqual([]);
      else expect(granted.has('dynamodb:GetItem')).toBe(true);
      expect(TABLE_WRITES.some((a) => granted.has(a))).toBe(mode === 'readWrite');
    },
  );

  it.each(['intake', 'reports'] as BucketName[])('touches bucket %s only as its access says', (bucket) => {
    const granted = actionsOn(statements, bucketMarker(bucket));
    const mode = access.buckets?.[bucket];

    expect(granted.has('s3:GetObject')).toBe(mode === 'read' || mode === 'readWrite');
    expect(granted.has('s3:PutObject')).toBe(mode === 'write' || mode === 'readWrite');
    if (mode === undefined) expect([...granted]).toEqual([]);
  });

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
    const roles = resourcesOfType(processingTemplate, 'AWS::IAM::Role');

    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter(([, r]) => r.Properties?.ManagedPolicyArns !== undefined)).toEqual([]);
  });
});
