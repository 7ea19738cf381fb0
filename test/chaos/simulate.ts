/**
 * One chaos seed end to end: the scenario's months through the real handlers on the local cloud, with
 * faults, checked against the independent model after every phase of every month.
 *
 * A month: INTAKE (payroll, worker, grant files of days 1-9; re-uploads and late corrections of
 * allocated months) → ALLOCATION (the monthly schedule on the 10th, fired 1-3 times, plus overlapping
 * direct invocations) → AFTER (the daily scan on the 11th, fired 1-2 times; files of days 10-28).
 * The emulators restart once, between two phases, on the same data dir.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { jakartaInstant } from '#domain/period.ts';
import { isMonthDone } from '#domain/ports/allocation/run-record.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { buckets } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { DEFAULT_POOL_SETTINGS } from '#shared/adapters/dynamodb-pool-settings.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { confirmDemoCorrections } from '#shared/demo/demo-confirmations.ts';
import { makeRng, shuffled } from '#shared/demo/prng.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { toAwsS3Record } from '#shared/local-cloud/s3-bridge.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { logger } from '#shared/runtime/powertools.ts';
import { makeAbortAllocation } from '#shared/use-cases/allocation/abort-allocation.ts';
import { captureOutput } from './capture.ts';
import {
  checkAllocations,
  checkCoverageBilled,
  checkCredits,
  checkDigests,
  checkDlqs,
  checkDonorRows,
  checkMonthDone,
  checkPersonalData,
  checkReports,
  checkRunAlerts,
  monthsOf,
} from './check.ts';
import { type FaultCounts, FaultInjector, type FaultOptions, InjectedCrashError } from './faults.ts';
import { PoolModel } from './model.ts';
import {
  readAlertIds,
  readAllocations,
  readCoverageAndBill,
  readDlqs,
  readDonorRows,
  readLedger,
  readMonthOutputs,
  readReportObjects,
  reportRows,
} from './observe.ts';
import {
  buildScenario,
  checkScenario,
  type Phase,
  type PoisonPlan,
  type Put,
  type Upload,
} from './scenario.ts';
import { type SimCloud, startSimCloud } from './sim-cloud.ts';

let sequence = 0;

/** One more copy of the S3 notification of `key`, as S3 sends it (and sometimes repeats it). */
async function repeatNotification(cloud: LocalCloud, key: string, size: number, eTag: string): Promise<void> {
  const target = buckets.intake.notifications.find((n) => key.startsWith(n.prefix));
  if (target === undefined) return;
  sequence += 1;
  const record = toAwsS3Record(
    {
      eventName: 'ObjectCreated:Put',
      eventTime: new Date().toISOString(),
      s3: {
        bucket: { name: cloud.names.buckets.intake },
        object: { key, size, eTag: eTag.replaceAll('"', ''), sequencer: sequence.toString(16).toUpperCase() },
      },
    },
    cloud.region,
    `${target.queue}-notification`,
  );
  await cloud.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: cloud.names.queues[target.queue].url,
      MessageBody: JSON.stringify({ Records: [record] }),
    }),
  );
}

export type SeedResult = {
  readonly seed: number;
  readonly months: number;
  readonly events: number;
  readonly faults: FaultCounts;
  readonly faultTotal: number;
  readonly violations: readonly string[];
  readonly ms: number;
  /** Log and digest text searched for personal data (0 would mean the check saw nothing). */
  readonly searchedChars: number;
  /** Months whose run was not done after the allocation phase and that the sweeper finished. */
  readonly sweeperRescues: readonly string[];
  /** A failing seed's captured handler logs (partial-batch failures are only there), kept for diagnosis. */
  readonly logFile?: string;
};

const DRAIN_MS = 90_000;
/** Sweeps tried per month before the check (the real sweeper has ~100 hourly chances before the 15th). */
const SWEEP_HOURS = 6;

export async function runSeed(
  seed: number,
  opts: {
    readonly print?: (line: string) => void;
    readonly faults?: FaultOptions;
    /** false: never send the sweeper's job (shows what the sweeper rescues). Default true. */
    readonly sweeper?: boolean;
  } = {},
): Promise<SeedResult> {
  const started = Date.now();
  const scenario = buildScenario(seed);
  const violations: string[] = [...checkScenario(scenario)];
  const model = new PoolModel(scenario.horizonMonths);
  const faults = new FaultInjector(makeRng(seed).fork('injector'), scenario.crashProbability, opts.faults);
  const pool = scenario.pool;
  const clock = new SimulatedClock(jakartaInstant(`${scenario.months[0]?.period}-01`, 8));
  const dataDir = await mkdtemp(join(tmpdir(), `sertakan-chaos-${seed}-`));
  const stage = `chaos${seed}`;
  const handlerErrors: string[] = [];
  const onHandlerError = (err: unknown, fn: string) => {
    if (err instanceof InjectedCrashError) return;
    handlerErrors.push(`${fn}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  };
  const delivered: Upload[] = [];
  const dlqSeen: { queue: string; body: string }[] = [];
  const digestTexts: string[] = [];
  const capture = captureOutput();
  let searchedChars = 0;
  let logFile: string | undefined;
  logger.setLogLevel('DEBUG');
  const print = opts.print ?? capture.print;
  let sim: SimCloud = await startSimCloud({ dataDir, stage, clock, faults, onHandlerError });

  const trace = process.env.CHAOS_TRACE === '1';
  let mark = Date.now();
  const lap = (what: string) => {
    if (trace) print(`  ${what}: ${Date.now() - mark} ms`);
    mark = Date.now();
  };
  const sweeperRescues = new Set<string>();
  const sendAllocationJob = (body: object) =>
    sim.cloud.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: sim.cloud.names.queues.allocationJobs.url,
        MessageBody: JSON.stringify(body),
      }),
    );
  /**
   * `sertakan abort-run` on the month's run while its walkers may be in flight. The operator's clock runs
   * 25 minutes ahead, so a moving run can look idle and the abort may be applied mid-chunk: the harshest
   * timing the rule (abort only a stalled run) cannot fully exclude on AWS (a walker may start just
   * before the run turns idle). Refusals are the expected answer for a moving run.
   */
  const operatorAbort = async (period: string) => {
    const { ddb, sqs, s3 } = sim.cloud.clients;
    const abort = makeAbortAllocation({
      log: new DynamoDbAllocationLog({ ddb, tableName: sim.cloud.names.tables.ledger }),
      jobs: new SqsJobQueue(sqs, sim.cloud.names.queues.allocationJobs.url),
      plans: new ObjectStorePlanStore(new S3ObjectStore({ s3 }), sim.cloud.names.buckets.reports),
      coverage: new DynamoDbCoverageStore({ ddb, tableName: sim.cloud.names.tables.registry }),
      rates: defaultRateTable,
      clock: { now: () => new Date(clock.now().getTime() + 25 * 60_000) },
    });
    faults.counts.operatorAborts += 1;
    try {
      await abort({ pool, month: period, reason: 'chaos: operator abort', by: 'ops.chaos', rerun: true });
      faults.counts.abortsApplied += 1;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'RUN_NOT_STALLED' && code !== 'NO_RUNNING_RUN' && code !== 'RUN_MOVED') throw err;
    }
  };
  const settle = async () => {
    for (;;) {
      await faults.settled();
      await sim.drain(DRAIN_MS);
      if (faults.pending() === 0) return;
    }
  };
  const fail = (phase: string, found: readonly string[]) => {
    for (const v of found) violations.push(`${phase}: ${v}`);
  };
  /**
   * Each file is put once; its extra deliveries are copies of the S3 notification sent to the same
   * queue a little later (out of order with the rest). Re-putting the object would do too on AWS, but
   * s3rver overwrites non-atomically: a read racing the rewrite sees an empty file, which S3 never shows.
   */
  const putAll = async (puts: readonly Put[]) => {
    const rng = makeRng(seed).fork(`puts-${delivered.length}`);
    await Promise.all(
      shuffled(rng, [...puts]).map(async (p) => {
        const out = await sim.cloud.clients.s3.send(
          new PutObjectCommand({
            Bucket: sim.cloud.names.buckets.intake,
            Key: p.upload.key,
            Body: p.upload.body,
          }),
        );
        for (let i = 1; i < p.copies; i++) {
          faults.counts.duplicateS3Events += 1;
          faults.later(rng.int(0, 40), () =>
            repeatNotification(sim.cloud, p.upload.key, Buffer.byteLength(p.upload.body), out.ETag ?? ''),
          );
        }
      }),
    );
    for (const p of puts) {
      model.deliver(p.upload);
      delivered.push(p.upload);
    }
  };
  /**
   * The treasurer confirms what they sent on purpose: a version that removes a donor waits for a
   * person (docs/intake.md#pending-confirmation), then the intake applies it.
   */
  const confirmHeld = async (puts: readonly Put[]) => {
    const drops = puts
      .filter((p) => p.upload.kind === 'payroll')
      .map((p) => ({ kind: 'payroll' as const, key: p.upload.key, body: p.upload.body, deliverOn: '' }));
    if ((await confirmDemoCorrections(sim.cloud, clock, drops)) > 0) await settle();
  };
  const restartIf = async (month: number, phase: Phase) => {
    if (scenario.restart.month !== month || scenario.restart.before !== phase) return;
    await settle();
    for (const d of await readDlqs(sim.cloud))
      for (const body of d.bodies) dlqSeen.push({ queue: d.queue, body });
    digestTexts.push(...(await sim.readInbox()).map((d) => `${d.subject}\n${d.message}`));
    await sim.stop();
    sim = await startSimCloud({ dataDir, stage, clock, faults, onHandlerError });
    faults.counts.restarts += 1;
    lap('restart');
  };

  try {
    // The pool's settings item, as an operator would set it before the first file (never overwritten).
    await sim.cloud.clients.ddb.send(
      new PutCommand({
        TableName: sim.cloud.names.tables.registry,
        Item: {
          pk: 'POOL',
          sk: pool,
          ...DEFAULT_POOL_SETTINGS,
          horizonMonths: scenario.horizonMonths,
          createdAt: clock.now().toISOString(),
        },
      }),
    );
    for (const p of scenario.poison) {
      await sim.cloud.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: sim.cloud.names.queues[p.queue].url, MessageBody: p.body }),
      );
      faults.counts.poison += 1;
    }
    for (const month of scenario.months) {
      const { period, index } = month;
      await restartIf(index, 'INTAKE');
      const putKeys = new Set<string>();
      for (const [g, group] of month.intake.entries()) {
        // A new version of a key put moments ago waits for the first (s3rver overwrites are not atomic).
        if (g > 0 && (month.settleBetweenGroups || group.some((p) => putKeys.has(p.upload.key))))
          await settle();
        clock.set(jakartaInstant(`${period}-0${2 + g}`, 8));
        await putAll(group);
        for (const p of group) putKeys.add(p.upload.key);
      }
      await settle();
      await confirmHeld(month.intake.flat());
      lap(`${period} intake`);
      fail(`${period} intake`, checkCredits(model, await readLedger(sim.cloud, pool)));

      await restartIf(index, 'ALLOCATION');
      const at = jakartaInstant(`${period}-10`, 6);
      clock.set(at);
      for (let i = 0; i < month.scheduleFires; i++)
        await sim.cloud.scheduler.fireBetween(new Date(at.getTime() - 60_000), at);
      faults.counts.scheduleRepeats += month.scheduleFires - 1;
      const job = JSON.stringify({ kind: 'ALLOCATE', pool, month: period });
      if (month.operatorAbortAfterMs !== undefined) {
        const errors = handlerErrors;
        faults.later(month.operatorAbortAfterMs, () =>
          operatorAbort(period).catch((err: unknown) => {
            errors.push(`operator abort: ${err instanceof Error ? err.message : String(err)}`);
            violations.push(`${period} allocation: operator abort failed: ${String(err)}`);
          }),
        );
      }
      await Promise.all(Array.from({ length: month.overlappingRuns }, () => sim.invokeAllocate(job)));
      faults.counts.overlappingRuns += month.overlappingRuns;
      await settle();
      // A late, second occurrence of the monthly schedule (new cause, no new money): must change nothing.
      if (month.lateFanOut) {
        await sendAllocationJob({
          kind: 'FAN_OUT',
          scheduledTime: jakartaInstant(`${period}-10`, 6, 45).toISOString(),
        });
        faults.counts.scheduleRepeats += 1;
        await settle();
      }
      // The sweeper, hourly from 07:30 on the 10th (each occurrence delivered 1-2 times), until every run
      // of the month is done; at least one sweep a month, which must then change nothing.
      for (let hour = 0; hour < (opts.sweeper === false ? 0 : SWEEP_HOURS); hour++) {
        const runs = (await readAllocations(sim.cloud, pool, [])).runs.filter((r) => r.month === period);
        const done = isMonthDone(runs) && runs.every((r) => r.status !== 'RUNNING');
        if (hour > 0 && done) break;
        if (!done) sweeperRescues.add(period);
        const sweepAt = jakartaInstant(`${period}-10`, 7 + hour, 30);
        clock.set(sweepAt);
        for (let i = 0; i < month.scanFires; i++) {
          await sendAllocationJob({ kind: 'SWEEP', scheduledTime: sweepAt.toISOString() });
          faults.counts.sweeps += 1;
        }
        await settle();
      }
      lap(`${period} allocation`);
      const outcome = model.run(period);
      const view = await readAllocations(sim.cloud, pool, monthsOf(scenario));
      fail(`${period} allocation`, checkAllocations(model, outcome, view));
      fail(
        `${period} allocation`,
        checkCoverageBilled(period, await readCoverageAndBill(sim.cloud, pool, period), view),
      );
      fail(
        `${period} allocation`,
        checkMonthDone(
          period,
          view.runs,
          await readMonthOutputs(sim.cloud, pool, period),
          jakartaInstant(`${period}-15`),
        ),
      );

      await restartIf(index, 'AFTER');
      const scanAt = jakartaInstant(`${period}-11`, 7);
      clock.set(scanAt);
      for (let i = 0; i < month.scanFires; i++)
        await sim.cloud.scheduler.fireBetween(new Date(scanAt.getTime() - 60_000), scanAt);
      faults.counts.scheduleRepeats += month.scanFires - 1;
      await settle();
      lap(`${period} scan`);
      fail(`${period} scan`, checkRunAlerts(pool, outcome, await readAlertIds(sim.cloud, pool)));
      const digests = await sim.readInbox();
      digestTexts.push(...digests.map((d) => `${d.subject}\n${d.message}`));
      fail(`${period} scan`, checkDigests(`${period}-11`, digests));
      for (const group of month.after) {
        clock.set(jakartaInstant(`${period}-20`, 8));
        await putAll(group);
      }
      await settle();
      await confirmHeld(month.after.flat());
      lap(`${period} after`);
      fail(`${period} after`, checkCredits(model, await readLedger(sim.cloud, pool)));
    }

    const reports = await readReportObjects(sim.cloud, `reports/rejections/${pool}/`);
    fail(
      'end',
      checkReports(
        scenario,
        delivered,
        reports.map((r) => ({ key: r.key, rows: reportRows(r.text) })),
      ),
    );
    for (const [key, f] of model.payroll) {
      const want = new Map<string, number>();
      for (const r of f.rows) want.set(r.nip, (want.get(r.nip) ?? 0) + r.amount);
      fail('end', checkDonorRows(key, want, await readDonorRows(sim.cloud, pool, f.period, f.agency)));
    }
    for (const d of await readDlqs(sim.cloud))
      for (const body of d.bodies) dlqSeen.push({ queue: d.queue, body });
    fail(
      'end',
      checkDlqs([...scenario.poison, ...faults.expectedDlq('allocationJobs')] as PoisonPlan[], dlqSeen),
    );
    const alertLists = await readReportObjects(sim.cloud, 'reports/alerts/');
    capture.stop();
    const searched = [
      { name: 'logs', text: capture.text() },
      { name: 'SNS digests', text: digestTexts.join('\n') },
      ...alertLists.map((a) => ({ name: a.key, text: a.text })),
    ];
    searchedChars = searched.reduce((n, s) => n + s.text.length, 0);
    fail('security', checkPersonalData(scenario, searched));
  } catch (err) {
    violations.push(`crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    if (violations.length > 0 && handlerErrors.length > 0) {
      const distinct = [...new Set(handlerErrors.map((e) => e.replace(/\s+/g, ' ').slice(0, 240)))];
      violations.push(
        `handler errors (${handlerErrors.length}, distinct shown):\n    ${distinct.slice(0, 12).join('\n    ')}`,
      );
    }
    if (violations.length > 0) {
      logFile = join(tmpdir(), `sertakan-chaos-${seed}-${Date.now()}.log`);
      await writeFile(logFile, capture.text());
    }
    capture.stop();
    logger.setLogLevel('WARN');
    await sim.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  const result: SeedResult = {
    seed,
    months: scenario.months.length,
    events: faults.events,
    faults: faults.counts,
    faultTotal: faults.total,
    violations,
    ms: Date.now() - started,
    searchedChars,
    sweeperRescues: [...sweeperRescues],
    ...(logFile === undefined ? {} : { logFile }),
  };
  print(
    `seed ${seed}: ${result.months} months, ${result.events} events, ${result.faultTotal} faults ` +
      `(${Object.entries(result.faults)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ` +
      `${sweeperRescues.size > 0 ? `sweeper finished ${[...sweeperRescues].join(' ')}, ` : ''}` +
      `${violations.length} violations, ${(result.ms / 1000).toFixed(1)} s`,
  );
  return result;
}
