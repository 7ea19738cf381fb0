import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A started emulator: where to reach it and how to shut it down. */
export type RunningEmulator = { readonly endpoint: string; stop(): Promise<void> };

type Listen = { readonly host: string; readonly port: number };

const endpointOf = (host: string, port: number): string => `http://${host}:${port}`;

/**
 * dynalite reads Query and Scan results through a stream over a LevelDB iterator and, when that stream
 * ends or is dropped, closes the iterator only through `iterator.return()`, which abstract-level's
 * iterators lack (they have `close()`). Every Query and Scan then left an iterator open until the
 * database closed, pinning LevelDB's memtables and read buffers: the village bench's process grew by
 * ~0.6 MB per pool-month, 17.8 GB over a 1,562-pool year (docs/figures.md). This gives the iterators
 * a `return()` that closes them, so dynalite's own clean-up works. Plain JavaScript, evaluated in the
 * emulator's worker (with a `require` that resolves as dynalite's `level` does) and by its test.
 */
export const CLOSE_LEVEL_ITERATORS_ON_DESTROY = `(requireFromLevel) => {
  const { AbstractIterator } = requireFromLevel('abstract-level');
  const common = Object.getPrototypeOf(AbstractIterator.prototype);
  if (typeof common.return === 'function') return;
  common.return = function () {
    return this.close().then(() => ({ done: true, value: undefined }));
  };
}`;

/**
 * Each emulator runs in a worker thread of its own (plain JS: a worker needs no TypeScript loader).
 * The pipeline's handlers and SDK clients keep the main thread busy; the emulators' own work (LevelDB,
 * S3's file store, SQS's queues, their HTTP servers) then runs beside them instead of between them.
 * s3rver's notification events come back as messages; a shared counter tells the main thread how many
 * were emitted, so a drain never looks before an event it has not received yet.
 */
const EMULATOR_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const fail = (err) => parentPort.postMessage({ error: String((err && err.message) || err) });
const closeLevelIteratorsOnDestroy = ${CLOSE_LEVEL_ITERATORS_ON_DESTROY};
const starters = {
  async dynalite() {
    const { createRequire } = require('node:module');
    closeLevelIteratorsOnDestroy(createRequire(createRequire(w.modulePath).resolve('level')));
    const server = require(w.modulePath)(w.options);
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(w.port, w.host, resolve);
    });
    return {
      port: server.address().port,
      stop: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
    };
  },
  async fauxqs() {
    const { buildApp } = await import(w.moduleUrl);
    const app = buildApp(w.options);
    const address = await app.listen({ port: w.port, host: w.host });
    return { port: Number(new URL(address).port), stop: () => app.close() };
  },
  async s3rver() {
    const S3rver = require(w.modulePath);
    const AWSAccount = require(w.accountPath);
    for (const id of w.accessKeyIds) AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, id);
    const s3rver = new S3rver({ ...w.options, address: w.host, port: w.port });
    const emitted = new Int32Array(w.eventCounter);
    s3rver.on('event', (event) => {
      Atomics.add(emitted, 0, 1);
      parentPort.postMessage({ event: JSON.parse(JSON.stringify(event)) });
    });
    const { port } = await s3rver.run();
    return { port, stop: () => s3rver.close() };
  },
};
starters[w.kind]().then((running) => {
  parentPort.on('message', (m) => {
    if (m === 'stop') running.stop().then(() => parentPort.postMessage({ stopped: true }), fail);
  });
  parentPort.postMessage({ port: running.port });
}, fail);
`;

type EmulatorKind = 'dynalite' | 'fauxqs' | 's3rver';

const workerReply = (
  worker: Worker,
  kind: EmulatorKind,
  key: 'port' | 'stopped',
): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (typeof m.error === 'string') finish(() => reject(new Error(`${kind}: ${m.error}`)));
      else if (key in m) finish(() => resolve(m));
    };
    const onError = (err: Error) => finish(() => reject(err));
    const onExit = (code: number) => finish(() => reject(new Error(`${kind} worker exited (${code})`)));
    const finish = (settle: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });

/** Starts one emulator in its own worker thread; resolves once it listens. */
const startInWorker = async (
  kind: EmulatorKind,
  listen: Listen,
  workerData: Record<string, unknown>,
): Promise<{ worker: Worker; endpoint: string; stop(): Promise<void> }> => {
  const worker = new Worker(EMULATOR_WORKER, { eval: true, workerData: { kind, ...listen, ...workerData } });
  let port: number;
  try {
    port = Number((await workerReply(worker, kind, 'port')).port);
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    worker,
    endpoint: endpointOf(listen.host, port),
    stop: async () => {
      const stopped = workerReply(worker, kind, 'stopped');
      worker.postMessage('stop');
      await stopped;
      // The server is closed (and dynalite's LevelDB flushed); the thread can go.
      await worker.terminate();
    },
  };
};

const requireHere = createRequire(import.meta.url);

/** dynalite: pure-JS DynamoDB; LevelDB on disk under `dataDir` when given. */
export const startDynalite = async (
  opts: Listen & { readonly dataDir?: string },
): Promise<RunningEmulator> => {
  if (opts.dataDir !== undefined) await mkdir(opts.dataDir, { recursive: true });
  const { endpoint, stop } = await startInWorker(
    'dynalite',
    { host: opts.host, port: opts.port },
    {
      modulePath: requireHere.resolve('dynalite'),
      // createTableMs 0: tables go ACTIVE at once instead of after dynalite's default 500 ms.
      options: {
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(opts.dataDir === undefined ? {} : { path: opts.dataDir }),
      },
    },
  );
  return { endpoint, stop };
};

/** fauxqs: SQS + SNS (with SNS->SQS delivery and DLQ redrive), in memory only. */
export const startFauxqs = async (opts: Listen & { readonly region: string }): Promise<RunningEmulator> => {
  // buildApp + our own listen, because startFauxqs binds 0.0.0.0 and nothing may listen off-host.
  const { endpoint, stop } = await startInWorker(
    'fauxqs',
    { host: opts.host, port: opts.port },
    { moduleUrl: import.meta.resolve('fauxqs'), options: { logger: false, defaultRegion: opts.region } },
  );
  return { endpoint, stop };
};

export type S3Event = { readonly Records: readonly unknown[] };

export type RunningS3 = RunningEmulator & {
  /** s3rver's own notification events (put, post, copy, delete), before any bridging. */
  onEvent(listener: (event: S3Event) => void): void;
  /** Events s3rver has emitted that have not reached this thread's listeners yet. */
  pendingEvents(): number;
};

/**
 * s3rver: S3 on the file system (s3rver has no in-memory store, so without `dataDir` it uses a temp
 * directory removed on stop). s3rver checks only the access key id of SigV4 requests and knows only
 * `S3RVER` by default, so the keys in `accessKeyIds` are registered too (the AWS CLI then works
 * with the same dummy credentials as every other service).
 */
export const startS3rver = async (
  opts: Listen & { readonly dataDir?: string; readonly accessKeyIds: readonly string[] },
): Promise<RunningS3> => {
  const directory = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'sertakan-s3-')));
  await mkdir(directory, { recursive: true });
  const eventCounter = new SharedArrayBuffer(4);
  const emitted = new Int32Array(eventCounter);
  let received = 0;
  const running = await startInWorker(
    's3rver',
    { host: opts.host, port: opts.port },
    {
      modulePath: requireHere.resolve('s3rver'),
      accountPath: requireHere.resolve('s3rver/lib/models/account.js'),
      accessKeyIds: opts.accessKeyIds,
      options: { silent: true, directory, vhostBuckets: false },
      eventCounter,
    },
  );
  const listeners: ((event: S3Event) => void)[] = [];
  running.worker.on('message', (m: { event?: S3Event }) => {
    if (m.event === undefined) return;
    received += 1;
    for (const listener of listeners) listener(m.event);
  });
  return {
    endpoint: running.endpoint,
    onEvent: (listener) => {
      listeners.push(listener);
    },
    pendingEvents: () => Atomics.load(emitted, 0) - received,
    stop: async () => {
      listeners.length = 0;
      await running.stop();
      if (opts.dataDir === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
};
