/**
 * One simulated month on the local cloud, phase by phase, each ending in a drain so the usage counted
 * under a phase's name is that phase's alone: enrollment (first month only), payroll intake (split +
 * ingest), allocation (fan-out message on the allocation-jobs queue), daily scan (fan-out on scan-jobs).
 */
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Period } from '#domain/model.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import type { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import type { UsageMeter } from './metering.ts';
import { type BenchPool, type IntakeFile, payrollFiles, workerFile } from './population.ts';
import { inParallel } from './raw-write.ts';
import { seedWorkers } from './seed.ts';

export type PhaseTiming = { readonly name: string; readonly seconds: number; readonly peakRss: number };

export type MonthResult = {
  readonly period: Period;
  readonly phases: Record<string, PhaseTiming>;
  readonly deductions: number;
  readonly fileBytes: number;
  readonly workers: number;
  readonly funded: number;
  readonly runsCompleted: number;
};

type Ctx = {
  readonly cloud: LocalCloud;
  readonly clock: SimulatedClock;
  readonly meter: UsageMeter;
  readonly pools: readonly BenchPool[];
  readonly drainTimeoutMs: number;
  /** Resets the RSS peak and returns the peak since the last reset. */
  readonly rssPeak: () => number;
  readonly progress: (line: string) => void;
  /** 'files': enrollment files through register-workers; 'direct': registry items seeded in batches. */
  readonly enroll: 'files' | 'direct';
};

const putFiles = (ctx: Ctx, files: readonly IntakeFile[]) =>
  inParallel(files, 8, (f) =>
    ctx.cloud.clients.s3.send(
      new PutObjectCommand({ Bucket: ctx.cloud.names.buckets.intake, Key: f.key, Body: f.body }),
    ),
  );

const phase = async (ctx: Ctx, name: string, at: string, work: () => Promise<void>): Promise<PhaseTiming> => {
  ctx.clock.set(new Date(at));
  ctx.meter.enter(name);
  ctx.rssPeak();
  const started = performance.now();
  // Long phases (100k workers) say every 30 s that they are moving.
  const heartbeat = setInterval(() => {
    const lambda = Object.entries(ctx.meter.usage(name).lambda);
    const done = lambda.map(([fn, l]) => `${fn} ${l.invocations} calls/${l.records} records`).join(', ');
    ctx.progress(
      `  ${name}: ${((performance.now() - started) / 1000).toFixed(0)} s so far; ${done || 'starting'}`,
    );
  }, 30_000);
  try {
    await work();
    await ctx.cloud.drain({ timeoutMs: ctx.drainTimeoutMs });
  } finally {
    clearInterval(heartbeat);
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.meter.enter('between');
  ctx.progress(`  ${name}: ${seconds.toFixed(1)} s`);
  return { name, seconds, peakRss: ctx.rssPeak() };
};

const send = (ctx: Ctx, url: string, body: object) =>
  ctx.cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }));

export const runMonth = async (ctx: Ctx, period: Period, first: boolean): Promise<MonthResult> => {
  const phases: Record<string, PhaseTiming> = {};
  if (first) {
    const at = `${period}-01T01:00:00Z`;
    phases.enroll =
      ctx.enroll === 'files'
        ? await phase(ctx, 'enroll', at, () =>
            putFiles(
              ctx,
              ctx.pools.map((p) => workerFile(p, period)),
            ),
          )
        : await phase(ctx, 'enroll', at, () => seedWorkers(ctx.cloud, ctx.pools, period, new Date(at)));
  }
  const payroll = ctx.pools.flatMap((p) => payrollFiles(p, period));
  const fileBytes = payroll.reduce((s, f) => s + Buffer.byteLength(f.body), 0);
  phases.intake = await phase(ctx, `intake ${period}`, `${period}-02T01:00:00Z`, () =>
    putFiles(ctx, payroll),
  );
  // Day 10 06:00 WIB, as the monthly schedule; one FAN_OUT message as EventBridge Scheduler sends.
  phases.allocation = await phase(ctx, `allocation ${period}`, `${period}-09T23:00:00Z`, async () => {
    await send(ctx, ctx.cloud.names.queues.allocationJobs.url, { kind: 'FAN_OUT', month: period });
  });
  phases.scan = await phase(ctx, `scan ${period}`, `${period}-11T00:00:00Z`, async () => {
    await send(ctx, ctx.cloud.names.queues.scanJobs.url, { kind: 'FAN_OUT', date: `${period}-11` });
  });

  // Read back what happened (not billed: counted under 'verify').
  ctx.meter.enter('verify');
  const ledger = new DynamoDbCreditLedger({
    ddb: ctx.cloud.clients.ddb,
    tableName: ctx.cloud.names.tables.ledger,
  });
  const log = new DynamoDbAllocationLog({
    ddb: ctx.cloud.clients.ddb,
    tableName: ctx.cloud.names.tables.ledger,
  });
  let deductions = 0;
  let funded = 0;
  let runsCompleted = 0;
  for (const p of ctx.pools) {
    const credits = await ledger.creditsByPeriod(p.code);
    deductions += credits.find((c) => c.period === period)?.deductionRows ?? 0;
    const run = (await log.listRuns(p.code)).filter((r) => r.month === period).at(-1);
    if (run?.status === 'COMPLETED') runsCompleted++;
    funded += run ? run.fundedEarlier + run.cursor.funded : 0;
  }
  ctx.meter.enter('between');
  return {
    period,
    phases,
    deductions,
    fileBytes,
    workers: ctx.pools.reduce((s, p) => s + p.workers, 0),
    funded,
    runsCompleted,
  };
};
