import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isDomainError } from '#domain/errors.ts';
import { tryLockDataDir } from './data-dir-lock.ts';
import { findRunningLocalUp, type RunningLocalUp } from './running-local-up.ts';
import { CliUsageError } from './usage.ts';

/** Handler logs and metrics go to stdout in Lambda style: keep a CLI's output readable unless asked. */
export function quietFunctionLogs(): void {
  // Emulators only: never let the SDK probe the EC2 metadata address off this machine.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
}

/**
 * A command that only reads (a query, a report) on a data dir that holds no tables: most likely the
 * wrong `--data-dir` (a typo, or the default `.sertakan` where the demo's data is `.sertakan/demo`).
 * Said before anything starts, so no empty tables are made there and no query answers "unknown pool"
 * about data that is elsewhere.
 * @throws CliUsageError naming the data dir and where the data usually is
 */
export function requireLocalData(dataDir: string): void {
  if (existsSync(join(dataDir, 'dynamodb'))) return;
  throw new CliUsageError(
    `${dataDir} holds no data (no ${join(dataDir, 'dynamodb')}): give --data-dir the directory your data is in (npm start's demo: .sertakan/demo), or put data there first (sertakan submit, sertakan local up)`,
  );
}

/**
 * An unknown pool on a local data dir is most often the right pool in the wrong data dir: the error
 * says which data dir was asked. Anything else is rethrown as it is.
 */
export function namingDataDir(
  err: unknown,
  target: { readonly target: string; readonly dataDir: string },
): unknown {
  if (target.target !== 'local' || !isDomainError(err) || err.code !== 'POOL_UNKNOWN') return err;
  return new CliUsageError(
    `${err.code}: ${err.message} in the data dir ${target.dataDir} (is it another --data-dir?)`,
  );
}

/**
 * The local half of opening: a running `local up` for the data dir, else the data dir's lock and an
 * embedded cloud, waiting up to `lockWaitMs` for another process to let go. `needsData`: the command
 * only reads, so without a running `local up` a data dir without tables is an error
 * ({@link requireLocalData}).
 */
export async function openLocal<T extends { close(): Promise<void> }>(
  dataDir: string,
  { lockWaitMs, needsData = false }: { readonly lockWaitMs: number; readonly needsData?: boolean },
  open: { running(running: RunningLocalUp): Promise<T>; embedded(): Promise<T> },
): Promise<T> {
  quietFunctionLogs();
  const deadline = Date.now() + lockWaitMs;
  let told = false;
  while (true) {
    const running = await findRunningLocalUp(dataDir);
    if (running !== undefined) return open.running(running);
    if (needsData) requireLocalData(dataDir);
    const lock = tryLockDataDir(dataDir);
    if ('release' in lock) {
      try {
        const target = await open.embedded();
        return { ...target, close: () => target.close().finally(lock.release) };
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    if (Date.now() > deadline) {
      throw new CliUsageError(
        `${dataDir} is in use by another sertakan process (pid ${lock.heldBy}); to share it between commands, run \`sertakan local up --data-dir ${dataDir}\``,
      );
    }
    if (!told) process.stderr.write(`sertakan: ${dataDir} is in use by pid ${lock.heldBy}; waiting\n`);
    told = true;
    await delay(300);
  }
}
