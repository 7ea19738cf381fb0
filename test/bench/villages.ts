/**
 * `npm run bench -- --villages 1562`: Jambi's BKBK year through the real handlers on the local cloud
 * (docs/pools-and-areas.md). Each village pool gets a workers file (50-60 vulnerable workers, JKK+JKM)
 * and one Rp10,000,000 BKBK grant file; nothing else funds it. Then the twelve monthly schedules of
 * 2023 as EventBridge Scheduler sends them (one FAN_OUT per month, which pages the pool directory and
 * sends one ALLOCATE per pool), one daily scan fan-out after December's run, and one allocation
 * sweep (SWEEP pages over the directory; nothing left to resume, so it only reads).
 *
 * Prints the seed figure (workers funded in every month of the year, read back from the allocation log:
 * the intersection of each pool's twelve NIK sets), the fan-out's wall time, Lambda invocations and
 * billed DynamoDB units per month, and the province's area view. Never fails on a time.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { makeNik } from '#domain/identifiers.ts';
import type { Period } from '#domain/model.ts';
import { functions } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { FAN_OUT_PAGE_SIZE } from '#shared/use-cases/allocation/fan-out-allocation.ts';
import { SWEEP_PAGE_SIZE } from '#shared/use-cases/allocation/sweep-allocations.ts';
import { makeAreaQueries } from '#shared/use-cases/area-views.ts';
import { captureLogs, out } from './support/log-capture.ts';
import { lambdaTotals, type PhaseUsage, UsageMeter } from './support/metering.ts';
import { inParallel } from './support/raw-write.ts';
import { startRssSampler } from './support/rss.ts';

const GRANT = 10_000_000;
const YEAR: Period[] = Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`);
/** Jambi's regencies and cities (Kemendagri codes); villages are spread over them and their districts. */
const REGENCIES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '71', '72'];

type Village = { readonly code: string; readonly workers: readonly string[] };

/** Village i: regency i mod 11, district (i div 11) mod 10 + 1, village number 2001 + i div 110. */
export function villages(count: number): Village[] {
  return Array.from({ length: count }, (_, i) => {
    const regency = REGENCIES[i % REGENCIES.length] as string;
    const district = String((Math.floor(i / REGENCIES.length) % 10) + 1).padStart(2, '0');
    const local = Math.floor(i / (REGENCIES.length * 10));
    const size = 50 + ((i * 7) % 11); // 50-60 workers, deterministic
    const workers = Array.from({ length: size }, (_, k) =>
      makeNik({
        regency: `15.${regency}`,
        district,
        birth: `19${70 + (k % 30)}-0${(k % 9) + 1}-1${k % 9}`,
        female: k % 2 === 1,
        // Distinct per village of a district: 60 sequence numbers each.
        seq: local * 60 + k + 1,
      }),
    );
    return { code: `15.${regency}.${district}.${2001 + local}`, workers };
  });
}

const workersCsv = (v: Village) =>
  [
    'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
    ...v.workers.map((nik, k) => `${nik};Warga ${k + 1};;JKK_JKM;petani;2022-12-15`),
  ].join('\n');
const grantCsv = (v: Village) =>
  ['referensi;sumber;periode;jumlah', `BKBK-2023-${v.code};BKBK;2023-01;${GRANT}`].join('\n');

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
/** This process's memory now: resident, the main thread's V8 heap, and what lives outside V8's heaps. */
const memoryNow = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)} MB (heap ${mb(m.heapUsed)} MB, external ${mb(m.external)} MB)`;
};

/** CPU seconds of this process's main thread so far (Linux /proc; 0 elsewhere), where the handlers run. */
const mainThreadCpu = (): number => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return 0;
  }
};

const seconds = (from: number) => (performance.now() - from) / 1000;
const billedUnits = (u: PhaseUsage) => ({
  wcu: Math.round(u.ddb.wcu + u.ddb.estimatedWcu),
  rcu: Math.round(u.ddb.rcu),
});

export async function runVillageBench(opts: {
  readonly villages: number;
  readonly ddb: 'dynalite' | 'dynamodb-local';
  /** The first `months` months of 2023 (default all 12): fewer for a quick look at the fan-out's cost. */
  readonly months?: number;
}) {
  const all = villages(opts.villages);
  const MONTHS = YEAR.slice(0, Math.min(12, opts.months ?? 12));
  const last = MONTHS.at(-1) as Period;
  const scanDate = `${last}-11`;
  // The village year prints no storage growth: no JSON of every item put (a few % of the main thread).
  const meter = new UsageMeter({ bytesPut: false });
  const logs = captureLogs(meter);
  const rss = startRssSampler(250);
  const dataDir = mkdtempSync(join(tmpdir(), 'sertakan-villages-'));
  const cloud = await startLocalCloud({ ddb: opts.ddb, stage: 'bench', dataDir });
  const started = performance.now();
  try {
    meter.attach(cloud.clients);
    const clock = new SimulatedClock(new Date('2023-01-02T01:00:00Z'));
    const pipeline = await startPipeline(cloud, {
      clock,
      maxBatchingWindowSeconds: 0,
      onInvoke: (fn, ms, records) => meter.recordInvocation(fn, ms, records, functions[fn].memoryMb),
    });
    const drain = () => cloud.drain({ timeoutMs: 4 * 60 * 60_000 });
    const put = (key: string, body: string) =>
      cloud.clients.s3.send(
        new PutObjectCommand({ Bucket: cloud.names.buckets.intake, Key: key, Body: body }),
      );
    out(
      `[villages] ${all.length} village pools, ${all.reduce((s, v) => s + v.workers.length, 0)} workers, ${opts.ddb}`,
    );

    meter.enter('intake');
    const intakeStart = performance.now();
    await inParallel(all, 8, (v) => put(`incoming/workers/${v.code}/bkbk-2023.csv`, workersCsv(v)));
    await inParallel(all, 8, (v) => put(`incoming/grants/${v.code}/bkbk-2023.csv`, grantCsv(v)));
    await drain();
    const intakeSeconds = seconds(intakeStart);
    out(`[villages] intake (workers + grant files): ${intakeSeconds.toFixed(1)} s; ${memoryNow()}`);

    /** Sends one scheduled message as EventBridge Scheduler would, drains, and returns the wall seconds. */
    const scheduled = async (phase: string, queueUrl: string, body: object): Promise<number> => {
      meter.enter(phase);
      const t = performance.now();
      await cloud.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }),
      );
      await drain();
      return seconds(t);
    };
    const { allocationJobs, scanJobs } = cloud.names.queues;
    const perMonth: { month: Period; seconds: number; usage: PhaseUsage }[] = [];
    for (const month of MONTHS) {
      const at = `${month}-09T23:00:00Z`; // day 10, 06:00 WIB, as the monthly schedule
      clock.set(new Date(at));
      const cpu = process.cpuUsage();
      const mainCpu = mainThreadCpu();
      const s = await scheduled(`allocation ${month}`, allocationJobs.url, {
        kind: 'FAN_OUT',
        scheduledTime: at,
      });
      const { user, system } = process.cpuUsage(cpu);
      const main = mainThreadCpu() - mainCpu;
      perMonth.push({ month, seconds: s, usage: meter.usage(`allocation ${month}`) });
      const l = lambdaTotals(meter.usage(`allocation ${month}`));
      out(
        `[villages] ${month}: ${s.toFixed(1)} s, ${l.invocations} invocations; CPU ${((user + system) / 1e6).toFixed(1)} s (all threads), main thread ${main.toFixed(1)} s; ${memoryNow()}; load ${(loadavg()[0] ?? 0).toFixed(1)}`,
      );
    }
    clock.set(new Date(`${scanDate}T00:00:00Z`));
    const scanSeconds = await scheduled(`scan ${scanDate}`, scanJobs.url, {
      kind: 'FAN_OUT',
      date: scanDate,
    });
    // One allocation sweep as the hourly schedule sends it on the 11th, 07:00 WIB: every run is
    // complete by now, so this is what the sweeper costs when it has nothing to do (reads only).
    const sweepAt = `${scanDate}T00:00:00Z`;
    const sweepSeconds = await scheduled(`sweep ${sweepAt}`, allocationJobs.url, {
      kind: 'SWEEP',
      scheduledTime: sweepAt,
    });
    await pipeline.stop();

    // Read back (not billed): the workers funded in every month of 2023, per pool.
    meter.enter('verify');
    const log = new DynamoDbAllocationLog({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger });
    let fundedAllYear = 0;
    await inParallel(all, 8, async (v) => {
      let common: Set<string> | undefined;
      for (const month of MONTHS) {
        const niks = new Set<string>();
        for await (const page of log.allocations(v.code, month)) for (const e of page) niks.add(e.nik);
        common = common === undefined ? niks : new Set([...common].filter((n) => niks.has(n)));
      }
      fundedAllYear += common?.size ?? 0;
    });
    const areas = makeAreaQueries({
      summaries: new DynamoDbAreaSummaries({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger }),
    });
    const areaStart = performance.now();
    const province = await areas.month({ area: '15', month: last });
    const areaMs = seconds(areaStart) * 1000;
    const alerts = await areas.alerts({ area: '15', date: scanDate });

    const fmt = (n: number) => n.toLocaleString('en');
    out('\n== BKBK year, village pools funded by one grant each ==');
    out(
      `villages: ${fmt(all.length)}; workers enrolled: ${fmt(all.reduce((s, v) => s + v.workers.length, 0))}`,
    );
    out(
      `workers funded in all ${MONTHS.length} months of 2023: ${fmt(fundedAllYear)} (expected ${fmt(all.length)} x 49 = ${fmt(all.length * 49)})`,
    );
    out(
      `province 15, ${last}: ${fmt(province.pools)} pools, ${fmt(province.workers.funded)} funded, ${fmt(province.workers.unfunded)} unfunded, ${fmt(province.workers.lapsed)} lapsed, closing Rp${fmt(province.closing)} (expected Rp${fmt(all.length * (GRANT - MONTHS.length * 49 * 16_800))}), balanced ${province.balanced}; query ${areaMs.toFixed(0)} ms`,
    );
    out(
      `province 15 alerts ${scanDate}: ${fmt(alerts.pools)} pools scanned, ${fmt(alerts.poolsAlerting)} alerting`,
    );
    out(`\nfan-out per month (FAN_OUT pages of ${FAN_OUT_PAGE_SIZE} pools, then one ALLOCATE per pool):`);
    out('month    wall s  invocations  lambda GB-s  WCU      RCU      SQS requests');
    for (const m of perMonth) {
      const l = lambdaTotals(m.usage);
      const u = billedUnits(m.usage);
      const sqs = Object.values(m.usage.sqs).reduce((s, n) => s + n, 0);
      out(
        `${m.month}  ${m.seconds.toFixed(1).padStart(6)}  ${String(l.invocations).padStart(11)}  ${l.gbSeconds.toFixed(0).padStart(11)}  ${String(u.wcu).padStart(7)}  ${String(u.rcu).padStart(7)}  ${sqs} (${Object.entries(
          m.usage.sqs,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
      );
    }
    const lastUsage = (perMonth.at(-1) as (typeof perMonth)[number]).usage;
    out(
      `DynamoDB requests, ${last}: ${Object.entries(lastUsage.ddb.requests)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    const scan = meter.usage(`scan ${scanDate}`);
    out(
      `scan fan-out ${scanDate}: ${scanSeconds.toFixed(1)} s, ${lambdaTotals(scan).invocations} invocations, WCU ${billedUnits(scan).wcu}, RCU ${billedUnits(scan).rcu}`,
    );
    const sweep = meter.usage(`sweep ${sweepAt}`);
    out(
      `allocation sweep ${sweepAt} (nothing to resume): ${sweepSeconds.toFixed(1)} s, ${lambdaTotals(sweep).invocations} invocations (SWEEP pages of ${SWEEP_PAGE_SIZE}), RCU ${billedUnits(sweep).rcu}, WCU ${billedUnits(sweep).wcu}`,
    );
    out(
      `intake: ${intakeSeconds.toFixed(1)} s, ${lambdaTotals(meter.usage('intake')).invocations} invocations`,
    );
    out(`total wall time: ${seconds(started).toFixed(0)} s`);
    out(
      `peak RSS: this process ${mb(rss.peakRss())} MB${opts.ddb === 'dynamodb-local' ? `, DynamoDB Local's JVM ${mb(rss.peakChildRss())} MB` : ''} (sampled every 250 ms)`,
    );
    if (logs.errorLines.length > 0)
      out(`${logs.errorLines.length} error line(s) from handlers, first: ${logs.errorLines[0]}`);
  } finally {
    logs.restore();
    rss.stop();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
