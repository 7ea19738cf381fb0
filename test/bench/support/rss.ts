/**
 * Peak memory, sampled: this process (handlers and the in-process emulators: dynalite, fauxqs, s3rver)
 * and, separately, its child processes (DynamoDB Local's JVM), read from /proc where there is one.
 */
import { readFileSync } from 'node:fs';

const childPids = (pid: number): number[] => {
  try {
    const direct = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return direct.flatMap((c) => [c, ...childPids(c)]);
  } catch {
    return [];
  }
};

const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

export type RssSampler = {
  readonly peakRss: () => number;
  readonly peakChildRss: () => number;
  /** Restarts the peaks (e.g. per phase), returning the previous ones. */
  reset(): { rss: number; childRss: number };
  stop(): void;
};

export const startRssSampler = (intervalMs = 100): RssSampler => {
  let peak = process.memoryUsage().rss;
  let childPeak = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    // /proc reads are slower: every 5th tick is enough for a JVM whose heap moves slowly.
    if (ticks++ % 5 === 0)
      childPeak = Math.max(
        childPeak,
        childPids(process.pid).reduce((s, p) => s + rssOf(p), 0),
      );
  }, intervalMs);
  timer.unref();
  return {
    peakRss: () => peak,
    peakChildRss: () => childPeak,
    reset: () => {
      const before = { rss: peak, childRss: childPeak };
      peak = process.memoryUsage().rss;
      childPeak = 0;
      return before;
    },
    stop: () => clearInterval(timer),
  };
};
