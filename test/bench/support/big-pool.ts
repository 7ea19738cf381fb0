/**
 * Chunked allocation of one large pool, step by step through the real allocate-pool wiring (buildDeps
 * of functions/allocate-pool/handler.ts), so each step is what one Lambda invocation does: the first
 * reads every enrolment and coverage record, orders them and stores the plan, then walks chunk 0; each
 * later step walks one chunk of ALLOCATION_CHUNK_SIZE workers.
 *
 * Set-up writes enrolment items straight to the registry (same shape the worker registry writes) and
 * funds the pool with one grant: registering 1M workers through files is the intake's benchmark, not
 * this one. Run with the pipeline stopped: continuation messages then wait in the queue unconsumed.
 */
import { performance } from 'node:perf_hooks';
import type { Period } from '#domain/model.ts';
import { ALLOCATION_CHUNK_SIZE, buildDeps } from '#functions/allocate-pool/handler.ts';
import { DynamoDbAgencyRegistry } from '#shared/adapters/dynamodb-agency-registry.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { nikOf } from './population.ts';
import { batchWrite, inParallel } from './raw-write.ts';

export type BigPoolResult = {
  readonly workers: number;
  readonly chunkSize: number;
  readonly setupSeconds: number;
  /** First step = planning + chunk 0; planning = first step minus chunk 0 at the later steps' cost per worker. */
  readonly firstStepSeconds: number;
  readonly planningSeconds: number;
  readonly planningMsPerWorker: number;
  /** RSS growth during the first step over RSS before it, per worker. */
  readonly planningBytesPerWorker: number;
  readonly chunkSeconds: readonly number[];
  readonly meanChunkSeconds: number;
  readonly maxChunkSeconds: number;
  readonly funded: number;
  readonly extrapolated: {
    readonly workers: number;
    readonly chunks: number;
    readonly planningSeconds: number;
    readonly planningMemoryMb: number;
    readonly worstInvocationSeconds: number;
    readonly totalSeconds: number;
  };
};

export const runBigPool = async (
  cloud: LocalCloud,
  opts: { workers: number; month: Period; extrapolateTo: number; sampleRss: () => number },
): Promise<BigPoolResult> => {
  const pool = '15.04.01';
  const nikPool = {
    code: pool,
    nikRegency: '15.04',
    agencies: [],
    donors: [0, 0] as const,
    workers: opts.workers,
  };
  const table = cloud.names.tables.registry;
  const clock = new SimulatedClock(new Date(`${opts.month}-09T23:00:00Z`));
  const setupStart = performance.now();
  await new DynamoDbAgencyRegistry({ ddb: cloud.clients.ddb, tableName: table }).ensurePool(
    pool,
    clock.now(),
  );
  await new DynamoDbCreditLedger({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger }).writeGrant(
    {
      pool,
      reference: 'BENCH-BIG-POOL',
      source: 'APBD',
      period: opts.month,
      // Enough to admit every worker sustainably for the 12-month horizon.
      amount: opts.workers * 40_000 * 13,
      fileId: 'bench',
      line: 2,
    },
    clock.now(),
  );
  const batches: Record<string, unknown>[][] = [];
  const enrolledOn = `${opts.month}-01`;
  for (let k = 0; k < opts.workers; k += 25) {
    batches.push(
      Array.from({ length: Math.min(25, opts.workers - k) }, (_, i) => {
        const nik = nikOf(nikPool, k + i);
        return {
          pk: `WORKER#${pool}`,
          sk: nik,
          pool,
          nik,
          name: `Pekerja ${k + i + 1}`,
          tier: (k + i) % 5 === 0 ? 'JKK_JKM_JHT' : 'JKK_JKM',
          occupation: 'petani',
          enrolledOn,
          updatedAt: clock.now().toISOString(),
          fileId: 'bench',
        };
      }),
    );
  }
  await inParallel(batches, 10, (items) => batchWrite(cloud.clients.ddb, table, items));
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const { allocate } = buildDeps({ ...process.env, ...cloud.env }, cloud.clients, clock);
  const steps: number[] = [];
  let rssBefore = 0;
  let rssPeakFirst = 0;
  let funded = 0;
  let planned = 0;
  for (;;) {
    if (steps.length === 0) {
      globalThis.gc?.();
      rssBefore = opts.sampleRss();
      rssPeakFirst = rssBefore;
    }
    const sampler =
      steps.length === 0
        ? setInterval(() => (rssPeakFirst = Math.max(rssPeakFirst, opts.sampleRss())), 25)
        : undefined;
    const started = performance.now();
    const step = await allocate({ pool, month: opts.month });
    steps.push((performance.now() - started) / 1000);
    if (sampler) {
      clearInterval(sampler);
      rssPeakFirst = Math.max(rssPeakFirst, opts.sampleRss());
    }
    funded = step.run.fundedEarlier + step.run.cursor.funded;
    planned = step.run.workersPlanned;
    if (step.state !== 'CONTINUING') break;
  }
  const chunkSeconds = steps.slice(1);
  // Steps after the first walk one chunk each (the last may be short): cost per worker walked.
  const size = (i: number) =>
    Math.max(0, Math.min(ALLOCATION_CHUNK_SIZE, planned - i * ALLOCATION_CHUNK_SIZE));
  const walked = chunkSeconds.reduce((s, _, i) => s + size(i + 1), 0);
  const perWorker = walked > 0 ? chunkSeconds.reduce((s, x) => s + x, 0) / walked : 0;
  const meanChunk = perWorker * ALLOCATION_CHUNK_SIZE;
  const first = steps[0] ?? 0;
  const planning = Math.max(0, first - perWorker * size(0));
  const bytesPerWorker = Math.max(0, rssPeakFirst - rssBefore) / opts.workers;
  const factor = opts.extrapolateTo / opts.workers;
  const chunks = Math.ceil(opts.extrapolateTo / ALLOCATION_CHUNK_SIZE);
  const maxChunk = Math.max(0, ...chunkSeconds);
  return {
    workers: opts.workers,
    chunkSize: ALLOCATION_CHUNK_SIZE,
    setupSeconds,
    firstStepSeconds: first,
    planningSeconds: planning,
    planningMsPerWorker: (planning * 1000) / opts.workers,
    planningBytesPerWorker: bytesPerWorker,
    chunkSeconds,
    meanChunkSeconds: meanChunk,
    maxChunkSeconds: maxChunk,
    funded,
    extrapolated: {
      workers: opts.extrapolateTo,
      chunks,
      // Linear in workers (the sort is n log n: a slight underestimate, stated in the report).
      planningSeconds: planning * factor,
      planningMemoryMb: (bytesPerWorker * opts.extrapolateTo) / 2 ** 20,
      worstInvocationSeconds: Math.max(planning * factor + meanChunk, maxChunk),
      totalSeconds: planning * factor + meanChunk * chunks,
    },
  };
};
