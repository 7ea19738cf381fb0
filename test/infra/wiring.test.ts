import { describe, expect, it } from 'vitest';
import { allocationDeadlineOf } from '#domain/period.ts';
import { deadlineYears } from '#infra/deadline-schedules.ts';
import {
  buckets,
  type FunctionSpec,
  functions,
  queues,
  type ScheduleSpec,
  schedules,
  tables,
  topics,
} from '#infra/resources.ts';
import { logicalIdOf, resourceById, resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

const synthesised = synthesise('dev');
const { stateful, processing, processingTemplate } = synthesised;
const functionEntries = Object.entries(functions) as [keyof typeof functions, FunctionSpec][];
const fnId = (key: keyof typeof functions): string => logicalIdOf(processing.functions[key].fn);
const json = (value: unknown): string => JSON.stringify(value);

describe('functions', () => {
  it.each(functionEntries)(
    '%s runs on Node 22 ARM64 with tracing, its spec sizes and Powertools env',
    (key, spec) => {
      const props = resourceById(processingTemplate, fnId(key)).Properties ?? {};

      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.MemorySize).toBe(spec.memoryMb);
      expect(props.Timeout).toBe(spec.timeoutSeconds);
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(spec.name);
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('Sertakan');
    },
  );

  it.each(functionEntries)('%s gets exactly the resource env vars of its access', (key, spec) => {
    const props = resourceById(processingTemplate, fnId(key)).Properties ?? {};
    const env = (props.Environment as { Variables: object }).Variables;
    const expected = [
      ...Object.keys(spec.access.tables ?? {}).map((t) => tables[t as keyof typeof tables].envVar),
      ...Object.keys(spec.access.buckets ?? {}).map((b) => buckets[b as keyof typeof buckets].envVar),
      ...(spec.access.sendTo ?? []).map((q) => queues[q].envVar),
      ...(spec.access.publishTo ?? []).map((t) => topics[t].envVar),
    ].sort();
    const allResourceVars = new Set(
      [tables, buckets, queues, topics].flatMap((group) => Object.values(group).map((s) => s.envVar)),
    );

    expect(
      Object.keys(env)
        .filter((name) => allResourceVars.has(name))
        .sort(),
    ).toEqual(expected);
  });
});

describe('SQS event sources', () => {
  const mappings = resourcesOfType(processingTemplate, 'AWS::Lambda::EventSourceMapping');
  const queueDriven = functionEntries.filter(([, spec]) => spec.source !== undefined);

  it('exist only for queue-driven functions, one each', () => {
    expect(mappings).toHaveLength(queueDriven.length);
  });

  it.each(queueDriven)(
    '%s: batch size, window, concurrency from resources.ts, partial batch failures',
    (key, spec) => {
      const source = spec.source;
      if (source === undefined) throw new Error('queue-driven function without source');
      const mine = mappings.filter(([, m]) => json(m.Properties?.FunctionName) === json({ Ref: fnId(key) }));

      expect(mine).toHaveLength(1);
      const props = mine[0]?.[1].Properties ?? {};
      expect(json(props.EventSourceArn)).toContain(logicalIdOf(stateful.queues[source.queue].queue));
      expect(props.BatchSize).toBe(source.batchSize);
      expect(props.MaximumBatchingWindowInSeconds).toBe(
        source.maxBatchingWindowSeconds > 0 ? source.maxBatchingWindowSeconds : undefined,
      );
      expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect((props.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency).toBe(
        source.maxConcurrency,
      );
    },
  );
});

describe('schedules', () => {
  const all = resourcesOfType(processingTemplate, 'AWS::Scheduler::Schedule').map(
    ([, r]) => r.Properties ?? {},
  );

  it.each(Object.entries(schedules) as [string, ScheduleSpec][])(
    '%s: cron in Asia/Jakarta sending the spec message to its queue',
    (_, spec) => {
      const mine = all.filter((s) => s.ScheduleExpression === spec.cron);

      expect(mine).toHaveLength(1);
      const schedule = mine[0] ?? {};
      expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Jakarta');
      const target = schedule.Target as { Arn: unknown; Input: string; DeadLetterConfig: { Arn: unknown } };
      expect(json(target.Arn)).toContain(logicalIdOf(stateful.queues[spec.queue].queue));
      expect(json(target.DeadLetterConfig.Arn)).toContain(logicalIdOf(stateful.queues[spec.queue].dlq));
      expect(JSON.parse(target.Input)).toEqual({
        ...spec.message,
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
    },
  );

  it('marks the allocation deadline on the working day before each due date, from the holiday calendar', () => {
    const deadline = all.filter((s) => json(s.Target).includes('AllocationDeadlineReached'));
    // Every date a deadline schedule fires on, expanded from its cron (day, months, year).
    const fires = new Map<string, number>();
    let fallback: Record<string, unknown> | undefined;
    for (const s of deadline) {
      expect(s.ScheduleExpressionTimezone).toBe('Asia/Jakarta');
      const m = /^cron\(0 9 (\d{1,2}) ([\d,]+|\*) \? (\d{4}|\*)\)$/.exec(String(s.ScheduleExpression));
      expect(m, String(s.ScheduleExpression)).not.toBeNull();
      const [, day = '', months = '', year = ''] = m ?? [];
      if (year === '*') {
        fallback = s;
        continue;
      }
      for (const month of months.split(',')) {
        const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
        fires.set(date, (fires.get(date) ?? 0) + 1);
      }
    }
    const years = deadlineYears();
    const expected = years.flatMap((y) =>
      Array.from({ length: 12 }, (_, i) => allocationDeadlineOf(`${y}-${String(i + 1).padStart(2, '0')}`)),
    );
    expect([...fires.keys()].sort()).toEqual(expected.sort());
    expect([...fires.values()].every((n) => n === 1)).toBe(true);
    // March 2026: the 15th is a Sunday, due Monday the 16th, deadline Friday the 13th.
    expect(fires.has('2026-03-13')).toBe(true);
    expect(fires.has('2026-03-14')).toBe(false);
    // After the calendar's years, a recurring 14th from 1 January (WIB) of the first year not listed.
    const after = (years.at(-1) ?? 0) + 1;
    expect(fallback).toMatchObject({
      ScheduleExpression: 'cron(0 9 14 * ? *)',
      StartDate: new Date(Date.UTC(after, 0, 1) - 7 * 3_600_000).toISOString(),
    });
  });

  it('lets the deadline marker put only the Sertakan metric', () => {
    const policies = resourcesOfType(processingTemplate, 'AWS::IAM::Policy').filter(([id]) =>
      id.includes('DeadlineMarkerRole'),
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]?.[1].Properties?.PolicyDocument as { Statement: unknown[] } | undefined;
    const statements = document?.Statement;
    expect(statements).toEqual([
      {
        Action: 'cloudwatch:PutMetricData',
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Sertakan' } },
      },
    ]);
  });
});

describe('finance HTTP API', () => {
  it('routes GET /{proxy+} to finance-api behind IAM authorisation, with access logs', () => {
    // The console's routes (/api/..., JWT) are checked in console.test.ts.
    const routes = resourcesOfType(processingTemplate, 'AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties)
      .filter((r) => !String(r?.RouteKey).includes('/api/'));
    const integrations = resourcesOfType(processingTemplate, 'AWS::ApiGatewayV2::Integration').filter(
      ([, r]) => !json(r.Properties?.IntegrationUri).includes(fnId('consoleApi')),
    );
    const stages = resourcesOfType(processingTemplate, 'AWS::ApiGatewayV2::Stage').map(
      ([, r]) => r.Properties,
    );

    expect(routes).toHaveLength(1);
    expect(routes[0]?.RouteKey).toBe('GET /{proxy+}');
    expect(routes[0]?.AuthorizationType).toBe('AWS_IAM');
    expect(integrations).toHaveLength(1);
    expect(json(integrations[0]?.[1].Properties?.IntegrationUri)).toContain(fnId('financeApi'));
    expect(stages).toHaveLength(1);
    expect(stages[0]?.AccessLogSettings).toBeDefined();
  });
});

describe('alarms', () => {
  const alarms = resourcesOfType(processingTemplate, 'AWS::CloudWatch::Alarm').map(([id, r]) => ({
    id,
    props: r.Properties ?? {},
  }));
  const alarmTopic = logicalIdOf(stateful.opsAlarmsTopic);
  const notifiesOps = (props: Record<string, unknown>): boolean =>
    json(props.AlarmActions).includes(alarmTopic);

  it.each(Object.keys(queues) as (keyof typeof queues)[])(
    '%s-dlq: depth > 0 notifies the ops-alarms topic',
    (q) => {
      const dlq = logicalIdOf(stateful.queues[q].dlq);
      const mine = alarms.filter(
        (a) =>
          a.props.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          json(a.props.Dimensions).includes(dlq),
      );

      expect(mine).toHaveLength(1);
      expect(mine[0]?.props.Threshold).toBe(0);
      expect(mine[0]?.props.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(notifiesOps(mine[0]?.props ?? {})).toBe(true);
    },
  );

  it.each(functionEntries)('%s: errors and throttles alarms notify the ops-alarms topic', (key) => {
    const dimension = json([{ Name: 'FunctionName', Value: { Ref: fnId(key) } }]);
    for (const metric of ['Errors', 'Throttles']) {
      const mine = alarms.filter(
        (a) => a.props.MetricName === metric && json(a.props.Dimensions) === dimension,
      );

      expect(mine, metric).toHaveLength(1);
      expect(notifiesOps(mine[0]?.props ?? {})).toBe(true);
    }
  });

  it('watches the age of the oldest message in the deductions queue', () => {
    const queue = logicalIdOf(stateful.queues.deductions.queue);
    const mine = alarms.filter(
      (a) =>
        a.props.MetricName === 'ApproximateAgeOfOldestMessage' && json(a.props.Dimensions).includes(queue),
    );

    expect(mine).toHaveLength(1);
    expect(notifiesOps(mine[0]?.props ?? {})).toBe(true);
  });

  it('pages when no allocation run completed by the deadline on the 14th', () => {
    const completions = alarms.filter((a) => a.props.MetricName === 'AllocationRunsCompleted');
    const deadline = alarms.filter((a) => a.props.MetricName === 'AllocationDeadlineReached');
    const composites = resourcesOfType(processingTemplate, 'AWS::CloudWatch::CompositeAlarm');

    expect(completions).toHaveLength(1);
    expect(completions[0]?.props).toMatchObject({
      Namespace: 'Sertakan',
      Dimensions: [{ Name: 'service', Value: functions.allocatePool.name }],
      Period: 86_400,
      TreatMissingData: 'breaching',
    });
    expect(deadline).toHaveLength(1);
    expect(composites).toHaveLength(1);
    const rule = json(composites[0]?.[1].Properties?.AlarmRule);
    expect(rule).toContain(completions[0]?.id);
    expect(rule).toContain(deadline[0]?.id);
    expect(notifiesOps(composites[0]?.[1].Properties ?? {})).toBe(true);
  });

  it('every alarm that notifies anyone notifies only the ops-alarms topic', () => {
    const withActions = alarms.filter((a) => a.props.AlarmActions !== undefined);

    expect(withActions.length).toBe(alarms.length - 2);
    expect(withActions.every((a) => notifiesOps(a.props))).toBe(true);
  });
});

describe('dashboard', () => {
  it('shows every pipeline metric by its published name', () => {
    const dashboards = resourcesOfType(processingTemplate, 'AWS::CloudWatch::Dashboard');
    const body = json(dashboards[0]?.[1].Properties?.DashboardBody);

    expect(dashboards).toHaveLength(1);
    for (const name of [
      'FilesReceived',
      'RowsAccepted',
      'RowsRejected',
      'DeductionsIngested',
      'WorkersFunded',
      'WorkersUnfunded',
      'AlertsSent',
    ]) {
      expect(body).toContain(`MetricName=\\\\\\"${name}\\\\\\"`);
    }
  });
});
