import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IsoDate, Period } from '#domain/model.ts';
import { addMonths, jakartaDateOf, jakartaInstant } from '#domain/period.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { writeCloudClock } from '#shared/local-cloud/cloud-clock.ts';
import type { DdbBackend } from '#shared/local-cloud/local-cloud.ts';
import {
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from '#shared/local-cloud/local-runtime.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { confirmDemoCorrections } from './demo-confirmations.ts';
import { collectDemoResult, type DemoResult, type MonthCoverage } from './demo-result.ts';
import { generateSyntheticRegion } from './synthetic-region.ts';
import type { FileDrop, SyntheticRegionOptions } from './types.ts';
import { collectVillages, type DemoVillages, villageDrops } from './village-pools.ts';

/**
 * `sertakan demo` (what `npm start` runs): a synthetic Batanghari region driven through the real
 * pipeline on the embedded local cloud, day by day on a simulated clock:
 * 06:00 WIB the monthly allocation fires (day 10), 07:00 the daily lapse scan, from 08:00 the files of
 * the day arrive in the intake bucket. Every step goes through S3 events, SQS and the same handler
 * modules that run on AWS; the driver only moves the clock, drops files and waits for the queues.
 */

export type DemoOptions = SyntheticRegionOptions & {
  /** Called with the still-running cloud after the demo (`npm start -- --serve`); the cloud stops when it resolves. */
  readonly afterRun?: (rt: LocalRuntime, result: DemoRun) => Promise<void>;
  /** Tables and reports persist here so the CLI can query them after the demo. */
  readonly dataDir: string;
  readonly ddb?: DdbBackend;
  readonly onProgress?: (p: DemoProgress) => void;
  readonly onInvoke?: LocalRuntimeOptions['onInvoke'];
  /** BKBK village pools in the last month (docs/pools-and-areas.md); default on. */
  readonly villages?: boolean;
};

export type DemoProgress = {
  readonly day: number;
  readonly days: number;
  readonly date: IsoDate;
  readonly note: string;
};

const MARKER = 'SERTAKAN-DEMO';
/** Where the demo's morning stops, Asia/Jakarta: after the allocation (06:00), after the scan (07:30). */
const MORNING_STEPS = [
  [6, 0],
  [7, 30],
] as const;

/** The demo owns its data dir: it wipes only a dir it created (or an empty one), never someone's data. */
function freshDataDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new Error(`${dir} is not empty and was not made by the demo: choose another --data-dir`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Created by `sertakan demo`; safe to delete.\n');
}

function* daysOf(first: Period, months: number): Generator<IsoDate> {
  const end = addMonths(first, months);
  for (let t = jakartaInstant(`${first}-01`); jakartaDateOf(t) < `${end}-01`; ) {
    yield jakartaDateOf(t);
    t = new Date(t.getTime() + 86_400_000);
  }
}

async function coverageSnapshot(rt: LocalRuntime, pool: string): Promise<StoredCoverage[]> {
  const store = new DynamoDbCoverageStore({
    ddb: rt.cloud.clients.ddb,
    tableName: rt.cloud.names.tables.registry,
  });
  const all: StoredCoverage[] = [];
  for await (const page of store.list(pool)) all.push(...page);
  return all;
}

/** What a demo run found: the region's months and, with the villages, their pools. */
export type DemoRun = DemoResult & { readonly villages?: DemoVillages };

export async function runDemo(opts: DemoOptions): Promise<DemoRun> {
  const started = Date.now();
  const region = generateSyntheticRegion(opts);
  freshDataDir(opts.dataDir);
  const first = region.periods[0] as Period;
  const clock = new SimulatedClock(jakartaInstant(`${first}-01`));
  const rt = await startLocalRuntime({
    dataDir: opts.dataDir,
    clock,
    maxBatchingWindowSeconds: 0,
    ...(opts.onInvoke === undefined ? {} : { onInvoke: opts.onInvoke }),
    ...(opts.ddb === undefined ? {} : { ddb: opts.ddb }),
  });
  const drops = new Map<IsoDate, FileDrop[]>();
  const last = region.periods.at(-1) as Period;
  const villageFiles = opts.villages === false ? [] : villageDrops(last);
  for (const d of [...region.months.flatMap((m) => m.drops), ...villageFiles])
    drops.set(d.deliverOn, [...(drops.get(d.deliverOn) ?? []), d]);
  const coverage: MonthCoverage[] = [];
  try {
    const days = [...daysOf(first, region.periods.length)];
    for (const [i, date] of days.entries()) {
      const notes: string[] = [];
      // On the monthly allocation's day, two steps, the queues drained after each: up to 06:00 (the
      // daily sweep at 05:30 and the allocation), then up to 07:30 (the scan at 07:00, the sweeps at
      // :30). The allocation is done before a sweep could judge its run missing and start a second
      // walker, and before the scan. On any other day the sweeps only read finished runs, so the
      // morning is one step: its sweeps and scan run side by side and the queues drain once.
      const allocating = rt.cloud.scheduler
        .dueBetween(clock.now(), jakartaInstant(date, 6, 0))
        .includes('monthlyAllocation');
      const steps = allocating ? MORNING_STEPS : MORNING_STEPS.slice(1);
      for (const [hour, minute] of steps) {
        const fired = await rt.cloud.scheduler.advance(clock, jakartaInstant(date, hour, minute));
        if (fired.length > 0) {
          await rt.cloud.drain({ timeoutMs: 300_000 });
          notes.push(...fired.map((f) => f.schedule));
        }
      }
      if (date.endsWith('-10')) {
        coverage.push({ month: date.slice(0, 7), records: await coverageSnapshot(rt, region.pool) });
      }
      const today = drops.get(date) ?? [];
      if (today.length > 0) {
        clock.advanceTo(jakartaInstant(date, 8, 0));
        // Each payroll system uploads on its own: the day's files arrive together.
        await Promise.all(
          today.map((d) =>
            rt.cloud.clients.s3.send(
              new PutObjectCommand({ Bucket: rt.cloud.names.buckets.intake, Key: d.key, Body: d.body }),
            ),
          ),
        );
        await rt.cloud.drain({ timeoutMs: 300_000 });
        notes.push(`${today.length} berkas/files`);
        // A correction that removes a donor waits for its treasurer, who confirms it the same day.
        if ((await confirmDemoCorrections(rt.cloud, clock, today)) > 0) {
          await rt.cloud.drain({ timeoutMs: 300_000 });
          notes.push('koreksi dikonfirmasi / correction confirmed');
        }
      }
      opts.onProgress?.({ day: i + 1, days: days.length, date, note: notes.join(', ') });
    }
    const result = await collectDemoResult({
      rt,
      region,
      coverage,
      dataDir: opts.dataDir,
      startedAt: started,
    });
    const full =
      villageFiles.length === 0 ? result : { ...result, villages: await collectVillages(rt, last) };
    // The cloud's time is where the simulation stopped: every later client of this data dir (the
    // console it may serve, the CLI) reads it from here (cloud-clock.ts).
    writeCloudClock(opts.dataDir, { kind: 'fixed', now: clock.now().toISOString(), by: 'sertakan demo' });
    await opts.afterRun?.(rt, full);
    return full;
  } finally {
    await rt.close();
  }
}
