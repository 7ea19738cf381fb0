import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from 'fauxqs';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';

/** A started emulator: where to reach it and how to shut it down. */
export type RunningEmulator = { readonly endpoint: string; stop(): Promise<void> };

type Listen = { readonly host: string; readonly port: number };

const endpointOf = (host: string, port: number): string => `http://${host}:${port}`;

/**
 * dynalite's server, run in a worker thread (plain JS: the worker needs no TypeScript loader). The
 * pipeline's handlers and SDK clients keep the main thread busy; DynamoDB's own work (LevelDB, item
 * encoding, JSON) then runs beside them on the second core instead of between them.
 */
const DYNALITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const server = dynalite(workerData.options);
server.once('error', (err) => parentPort.postMessage({ error: String(err && err.message) }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  server.close(() => parentPort.postMessage({ stopped: true }));
  server.closeAllConnections();
});
`;

const workerReply = (worker: Worker, key: 'port' | 'stopped'): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (typeof m.error === 'string') finish(() => reject(new Error(`dynalite: ${m.error}`)));
      else if (key in m) finish(() => resolve(m));
    };
    const onError = (err: Error) => finish(() => reject(err));
    const onExit = (code: number) => finish(() => reject(new Error(`dynalite worker exited (${code})`)));
    const finish = (settle: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });

/** dynalite: pure-JS DynamoDB in a worker thread of this process; LevelDB on disk under `dataDir` when given. */
export const startDynalite = async (
  opts: Listen & { readonly dataDir?: string },
): Promise<RunningEmulator> => {
  if (opts.dataDir !== undefined) await mkdir(opts.dataDir, { recursive: true });
  const worker = new Worker(DYNALITE_WORKER, {
    eval: true,
    workerData: {
      dynalitePath: createRequire(import.meta.url).resolve('dynalite'),
      host: opts.host,
      port: opts.port,
      // createTableMs 0: tables go ACTIVE at once instead of after dynalite's default 500 ms.
      options: {
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(opts.dataDir === undefined ? {} : { path: opts.dataDir }),
      },
    },
  });
  let port: number;
  try {
    port = Number((await workerReply(worker, 'port')).port);
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    endpoint: endpointOf(opts.host, port),
    stop: async () => {
      const stopped = workerReply(worker, 'stopped');
      worker.postMessage('stop');
      await stopped;
      // The server is closed and LevelDB flushed by dynalite's close; the thread can go.
      await worker.terminate();
    },
  };
};

/** fauxqs: SQS + SNS (with SNS->SQS delivery and DLQ redrive), in memory only. */
export const startFauxqs = async (opts: Listen & { readonly region: string }): Promise<RunningEmulator> => {
  // buildApp + our own listen, because startFauxqs binds 0.0.0.0 and nothing may listen off-host.
  const app = buildApp({ logger: false, defaultRegion: opts.region });
  const address = await app.listen({ port: opts.port, host: opts.host });
  const port = Number(new URL(address).port);
  return { endpoint: endpointOf(opts.host, port), stop: () => app.close() };
};

export type S3Event = { readonly Records: readonly unknown[] };

export type RunningS3 = RunningEmulator & {
  /** s3rver's own notification events (put, post, copy, delete), before any bridging. */
  onEvent(listener: (event: S3Event) => void): void;
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
  for (const id of opts.accessKeyIds) AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, id);
  const directory = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'sertakan-s3-')));
  await mkdir(directory, { recursive: true });
  const s3rver = new S3rver({
    address: opts.host,
    port: opts.port,
    silent: true,
    directory,
    vhostBuckets: false,
  });
  const { port } = await s3rver.run();
  return {
    endpoint: endpointOf(opts.host, port),
    onEvent: (listener) => {
      s3rver.on('event', listener);
    },
    stop: async () => {
      s3rver.removeAllListeners('event');
      await s3rver.close();
      if (opts.dataDir === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
};
