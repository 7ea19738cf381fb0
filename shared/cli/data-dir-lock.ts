import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * dynalite holds its LevelDB for the life of the process; a second process opening the same data dir
 * dies inside dynalite. One process per data dir, by a pid file `<data-dir>/sertakan.lock` (a dead
 * holder's file is taken over). Every embedded target and `local up` take it (shared/cli/target.ts).
 */
export function tryLockDataDir(dataDir: string): { release(): void } | { heldBy: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'sertakan.lock');
  const holder = () => (existsSync(path) ? readFileSync(path, 'utf8').trim() : '');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return {
        release: () => (holder() === String(process.pid) ? rmSync(path, { force: true }) : undefined),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(holder());
      if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) return { heldBy: holder() || '?' };
      rmSync(path, { force: true });
    }
  }
  return { heldBy: holder() || '?' };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
