import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#infra/resources.ts';
import { resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

/**
 * What the synthesized processing template must say about personal data in traces, the console's
 * CloudFront error scope, alarms (each with its runbook), capacity bounds and queue timeouts.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const app = synthesise('dev');
const template = app.processingTemplate;
const propsOf = (type: string) =>
  resourcesOfType(template, type).map(([id, r]) => [id, r.Properties ?? {}] as const);

const functionByService = (name: string) => {
  const found = propsOf('AWS::Lambda::Function').find(
    ([, p]) =>
      (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
        ?.POWERTOOLS_SERVICE_NAME === name,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found;
};

describe('personal data in traces', () => {
  it('every traced function keeps response capture off (statements, bills, presigned URLs)', () => {
    const fns = propsOf('AWS::Lambda::Function').filter(
      ([, p]) => (p.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active',
    );
    expect(fns.length).toBe(Object.keys(functions).length);
    for (const [id, p] of fns) {
      const vars = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars.POWERTOOLS_TRACER_CAPTURE_RESPONSE, id).toBe('false');
    }
  });
});

describe('console CloudFront', () => {
  it('keeps the page-route fallback off /api/*: no distribution-wide error responses', () => {
    const [[, dist]] = propsOf('AWS::CloudFront::Distribution') as [[string, Record<string, unknown>]];
    const config = dist.DistributionConfig as Record<string, unknown>;
    expect(config.CustomErrorResponses).toBeUndefined();
    const def = config.DefaultCacheBehavior as Record<string, unknown>;
    expect(def.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    const api = (config.CacheBehaviors as Record<string, unknown>[]).find((b) => b.PathPattern === '/api/*');
    expect(api).toBeDefined();
    expect(api?.FunctionAssociations).toBeUndefined();
  });
});

describe('alarms', () => {
  const alarms = propsOf('AWS::CloudWatch::Alarm');

  it('alarm on the HTTP API 5xx and on the HTTP wrapper own error metric of both API functions', () => {
    expect(alarms.some(([, p]) => p.Namespace === 'AWS/ApiGateway' && p.MetricName === '5xx')).toBe(true);
    for (const fn of [functions.financeApi, functions.consoleApi]) {
      expect(
        alarms.some(
          ([, p]) =>
            p.MetricName === 'HttpServerErrors' &&
            JSON.stringify(p.Dimensions) === JSON.stringify([{ Name: 'service', Value: fn.name }]),
        ),
        fn.name,
      ).toBe(true);
    }
  });

  it('every alarm (composite too) links an existing runbook in its description', () => {
    const all = [...alarms, ...propsOf('AWS::CloudWatch::CompositeAlarm')];
    expect(all.length).toBeGreaterThan(20);
    for (const [id, p] of all) {
      const text = JSON.stringify(p.AlarmDescription ?? '');
      const link = /Runbook: (docs\/runbooks\/[a-z0-9-]+\.md)/.exec(text)?.[1];
      expect(link, id).toBeDefined();
      expect(existsSync(path.join(ROOT, link ?? 'missing')), `${id}: ${link}`).toBe(true);
    }
  });
});

describe('capacity and timeouts', () => {
  const mappings = propsOf('AWS::Lambda::EventSourceMapping');
  const mappingOf = (name: string) => {
    const [id] = functionByService(name);
    return mappings.find(([, p]) => JSON.stringify(p.FunctionName).includes(id))?.[1];
  };

  it('bounds the allocation and scan fan-outs with maxConcurrency', () => {
    for (const fn of [functions.allocatePool, functions.scanLapses]) {
      const scaling = mappingOf(fn.name)?.ScalingConfig as { MaximumConcurrency?: number } | undefined;
      expect(scaling?.MaximumConcurrency, fn.name).toBeGreaterThanOrEqual(2);
      expect(scaling?.MaximumConcurrency, fn.name).toBeLessThanOrEqual(10);
    }
  });

  it('gives the console and the finance API their own route throttles', () => {
    const [[, stage]] = propsOf('AWS::ApiGatewayV2::Stage') as [[string, Record<string, unknown>]];
    const routes = stage.RouteSettings as Record<string, { ThrottlingRateLimit?: number }>;
    expect(Object.keys(routes).sort()).toEqual(['GET /api/{proxy+}', 'GET /{proxy+}', 'POST /api/{proxy+}']);
    for (const r of Object.values(routes)) expect(r.ThrottlingRateLimit).toBeGreaterThan(0);
  });

  it("every SQS source queue's visibility timeout is at least 6x its function's timeout", () => {
    const stateful = resourcesOfType(app.statefulTemplate, 'AWS::SQS::Queue');
    for (const spec of Object.values(functions) as FunctionSpec[]) {
      if (!spec.source) continue;
      const [, fn] = functionByService(spec.name);
      const id = new RegExp(`^${spec.source.queue}Queue[0-9A-F]{8}$`);
      const queue = stateful.find(([qid]) => id.test(qid))?.[1].Properties;
      expect(queue, spec.name).toBeDefined();
      expect(Number(queue?.VisibilityTimeout), spec.name).toBeGreaterThanOrEqual(6 * Number(fn.Timeout));
    }
  });

  it('grants the data key only through S3, and only to functions that touch the data buckets', () => {
    for (const [key, spec] of Object.entries(functions) as [string, FunctionSpec][]) {
      const role = JSON.stringify(
        propsOf('AWS::IAM::Policy').filter(([pid]) => pid.startsWith(`${key}FunctionRole`)),
      );
      expect(role.length, key).toBeGreaterThan(10);
      const touches = spec.access.buckets !== undefined;
      expect(role.includes('kms:Decrypt') && role.includes('kms:ViaService'), spec.name).toBe(touches);
    }
  });
});
