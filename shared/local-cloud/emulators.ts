import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';

/** A started emulator: where to reach it and how to shut it down. */
export type RunningEmulator = { readonly endpoint: string; stop(): Promise<void> };

type Listen = { readonly host: string; readonly port: number };

const endpointOf = (host: string, port: number): string => `http://${host}:${port}`;

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Idle keep-alive sockets from SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });

/** dynalite: pure-JS DynamoDB in this process; LevelDB on disk under `dataDir` when given. */
export const startDynalite = async (
  opts: Listen & { readonly dataDir?: string },
): Promise<RunningEmulator> => {
  if (opts.dataDir !== undefined) await mkdir(opts.dataDir, { recursive: true });
  // createTableMs 0: tables go ACTIVE at once instead of after dynalite's default 500 ms.
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.dataDir === undefined ? {} : { path: opts.dataDir }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: endpointOf(opts.host, port), stop: () => closeServer(server) };
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
