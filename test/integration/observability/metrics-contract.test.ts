import { resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { type FunctionSpec, functions, type QueueName } from '#infra/resources.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import type { SqsPoller } from '#shared/local-cloud/sqs-poller.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';
import { captureOutput } from '#test/chaos/capture.ts';
import { resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';
import { FINANCE_CALLER, iamContext } from '#test/support/audit.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * The metrics contract (docs/runbooks/): every custom metric that an alarm or the dashboard of the synthesized
 * template reads must be emitted by the real handlers, as CloudWatch embedded-metric-format lines, in the
 * template's namespace and with exactly the dimensions the alarm or dashboard names. Each function runs
 * with the Powertools environment its template sets (module registry reset per function, so each gets
 * its own Powertools singletons as each Lambda would), on the local cloud, through a thin slice.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const cloud = useLocalCloud();
const { processingTemplate } = synthesise('dev');

type Props = Record<string, unknown>;
type Emf = { namespace: string; dimensions: string[]; values: Record<string, unknown>; metrics: string[] };
type Read = { metric: string; dimensions: Record<string, string | undefined>; by: string };

const props = (r: { Properties?: Props }): Props => r.Properties ?? {};

/** What the template reads: alarms on a metric of the namespace, and the dashboard's SEARCH expressions. */
function metricsRead(namespace: string): Read[] {
  const reads: Read[] = [];
  for (const [id, alarm] of resourcesOfType(processingTemplate, 'AWS::CloudWatch::Alarm')) {
    const p = props(alarm);
    if (p.Namespace !== namespace) continue;
    const dims = (p.Dimensions ?? []) as { Name: string; Value: string }[];
    reads.push({
      metric: String(p.MetricName),
      dimensions: Object.fromEntries(dims.map((d) => [d.Name, d.Value])),
      by: `alarm ${id}`,
    });
  }
  for (const [id, dashboard] of resourcesOfType(processingTemplate, 'AWS::CloudWatch::Dashboard')) {
    const body = JSON.stringify(props(dashboard).DashboardBody);
    const search = new RegExp(`\\{${namespace},service\\} MetricName=\\\\+"(\\w+)`, 'g');
    for (const m of body.matchAll(search))
      reads.push({ metric: m[1] ?? '', dimensions: { service: undefined }, by: `dashboard ${id}` });
  }
  return reads;
}

/** Metrics the infrastructure itself publishes (a schedule's PutMetricData), not a function. */
function publishedBySchedules(): Set<string> {
  const names = new Set<string>();
  for (const [, schedule] of resourcesOfType(processingTemplate, 'AWS::Scheduler::Schedule')) {
    const input = JSON.stringify(props(schedule).Target ?? {});
    for (const m of input.matchAll(/MetricName\\+":\\+"(\w+)/g)) names.add(m[1] ?? '');
  }
  return names;
}

/** Each function's Powertools environment, as the template sets it. */
function powertoolsEnvOf(spec: FunctionSpec): Record<string, string> {
  for (const [, fn] of resourcesOfType(processingTemplate, 'AWS::Lambda::Function')) {
    const vars = ((props(fn).Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {}) as Record<string, unknown>;
    if (vars.POWERTOOLS_SERVICE_NAME !== spec.name) continue;
    return Object.fromEntries(
      Object.entries(vars).filter(([k, v]) => k.startsWith('POWERTOOLS_') && typeof v === 'string'),
    ) as Record<string, string>;
  }
  throw new Error(`no function with POWERTOOLS_SERVICE_NAME=${spec.name} in the template`);
}

function emfLines(text: string): Emf[] {
  const out: Emf[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const doc = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    for (const d of doc._aws.CloudWatchMetrics)
      for (const dims of d.Dimensions)
        out.push({
          namespace: d.Namespace,
          dimensions: dims,
          values: doc,
          metrics: d.Metrics.map((m) => m.Name),
        });
  }
  return out;
}

type FunctionModule = {
  makeHandler(deps: never): (event: SQSEvent, context: never) => Promise<unknown>;
  buildDeps(env: NodeJS.ProcessEnv, clients: AwsClients, clock: Clock): unknown;
};

const pollers: SqsPoller[] = [];
afterAll(async () => {
  for (const p of pollers) await p.stop();
});

describe('metrics contract between the handlers and the alarms/dashboard', () => {
  it('every metric the template reads is emitted with exactly those dimensions', {
    timeout: 180_000,
  }, async () => {
    // prepare: each queue-driven function with its own Powertools env and singletons
    const clock = new SimulatedClock(new Date('2026-01-02T01:00:00Z'));
    const saved = { ...process.env };
    const capture = captureOutput();
    try {
      for (const spec of Object.values(functions) as FunctionSpec[]) {
        if (!spec.source) continue;
        Object.assign(process.env, powertoolsEnvOf(spec), { POWERTOOLS_METRICS_DISABLED: 'false' });
        vi.resetModules();
        const mod = (await import(resolve(ROOT, spec.entry))) as FunctionModule;
        const lambda = mod.makeHandler(
          mod.buildDeps({ ...process.env, ...cloud().env }, cloud().clients, clock) as never,
        );
        pollers.push(
          cloud().consume(spec.source.queue as QueueName, lambda as never, { maxBatchingWindowSeconds: 0 }),
        );
      }
      // act: the thin slice, one bad payroll row and a pool that cannot fund everyone
      const niks = [1, 2, 3].map((seq) =>
        makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: false, seq }),
      );
      const nip = makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq: 1 });
      const put = (key: string, body: string) =>
        cloud().clients.s3.send(
          new PutObjectCommand({ Bucket: cloud().names.buckets.intake, Key: key, Body: body }),
        );
      await put(
        'incoming/workers/15.04/awal.csv',
        [
          'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
          ...niks.map((n) => `${n};Pekerja;;JKK_JKM;buruh tani;2025-12-01`),
        ].join('\n'),
      );
      await put(
        'incoming/payroll/15.04/2026-01/DINKES.csv',
        ['nip;nama;periode;jumlah', `${nip};A;2026-01;20000`, '123;X;2026-01;1'].join('\n'),
      );
      await put(
        'incoming/grants/15.04/hibah.csv',
        ['referensi;sumber;periode;jumlah', 'BKBK-1;BKBK;2026-01;16800'].join('\n'),
      );
      await cloud().drain({ timeoutMs: 60_000 });
      clock.set(new Date('2026-01-09T23:00:00Z'));
      const send = (queue: QueueName, body: object) =>
        cloud().clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: cloud().names.queues[queue].url,
            MessageBody: JSON.stringify(body),
          }),
        );
      await send('allocationJobs', {
        kind: 'ALLOCATE',
        pool: '15.04',
        month: '2026-01',
        cause: 'operator:contract',
      });
      await cloud().drain({ timeoutMs: 60_000 });
      clock.set(new Date('2026-01-11T00:00:00Z'));
      await send('scanJobs', { kind: 'FAN_OUT', date: '2026-01-11' });
      await cloud().drain({ timeoutMs: 60_000 });
      // BPJS's answer for January: one worker confirmed
      await put(
        'incoming/bpjs/15.04/2026-01/konfirmasi.csv',
        [
          'KPJ;NIK;Bulan;Program;Jumlah;Status;KPJ_Baru;Keterangan',
          `;${niks[0]};2026-01;JKK_JKM;16800;DITERIMA;;`,
        ].join('\n'),
      );
      await cloud().drain({ timeoutMs: 60_000 });
      // The HTTP functions: a request that fails inside (a table that is not there, a key set that
      // cannot be fetched) is answered 500 by the wrapper, which counts it.
      for (const spec of [functions.financeApi, functions.consoleApi] as FunctionSpec[]) {
        Object.assign(process.env, powertoolsEnvOf(spec), { POWERTOOLS_METRICS_DISABLED: 'false' });
        vi.resetModules();
        const mod = (await import(resolve(ROOT, spec.entry))) as {
          makeHandler(deps: never): (event: never) => Promise<{ statusCode: number }>;
          buildDeps(env: NodeJS.ProcessEnv, clients: AwsClients, clock: Clock): unknown;
        };
        const deps =
          spec === functions.financeApi
            ? mod.buildDeps(
                {
                  ...process.env,
                  ...cloud().env,
                  LEDGER_TABLE_NAME: 'no-such-table',
                  FINANCE_CALLERS: JSON.stringify([FINANCE_CALLER]),
                },
                cloud().clients,
                clock,
              )
            : { console: {}, verify: async () => Promise.reject(new Error('key set unreachable')) };
        const reply = await mod.makeHandler(deps as never)({
          rawPath: spec === functions.financeApi ? '/pools/15.04/runs' : '/api/me',
          rawQueryString: '',
          headers: { authorization: 'Bearer x' },
          // a caller in the table, so the request reaches the (broken) ledger and answers 500
          requestContext: { http: { method: 'GET' }, ...iamContext() },
        } as never);
        expect(reply.statusCode, spec.name).toBe(500);
      }
    } finally {
      capture.stop();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    // assess
    const emitted = emfLines(capture.text());
    const skip = publishedBySchedules();
    const reads = metricsRead('Sertakan').filter((r) => !skip.has(r.metric));
    const missing = reads.filter(
      (r) =>
        !emitted.some(
          (e) =>
            e.namespace === 'Sertakan' &&
            e.metrics.includes(r.metric) &&
            [...e.dimensions].sort().join(',') === Object.keys(r.dimensions).sort().join(',') &&
            Object.entries(r.dimensions).every(([k, v]) => v === undefined || e.values[k] === v),
        ),
    );
    expect(missing.map((r) => `${r.metric} ${JSON.stringify(r.dimensions)} (${r.by})`)).toEqual([]);
    // The check itself sees something: alarms and the dashboard read several metrics, handlers emit them.
    expect(new Set(reads.map((r) => r.metric)).size).toBeGreaterThanOrEqual(8);
    expect(
      reads.some((r) => r.metric === 'AllocationRunsCompleted' && r.dimensions.service === 'allocate-pool'),
    ).toBe(true);
    const services = new Set(emitted.map((e) => e.values.service));
    expect([...services].sort()).toEqual(
      (Object.values(functions) as FunctionSpec[])
        .filter((f) => f.source || f === functions.financeApi || f === functions.consoleApi)
        .map((f) => f.name)
        .sort(),
    );
  });
});
