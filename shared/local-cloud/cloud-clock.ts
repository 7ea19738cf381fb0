import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Clock, systemClock } from '#domain/ports/clock.ts';

/**
 * One clock per local cloud (docs/one-truth.md). A data dir's cloud runs either on real time (`local
 * up`, the CLI's embedded cloud) or on the time a simulation left it at (`sertakan demo`, which drives
 * a simulated clock through its months and stops there). Whoever drives the cloud records which in
 * `<data-dir>/clock.json`; every client of that data dir (the CLI's finance queries, forecast and
 * operator commands, the embedded cloud's functions) reads its time from there, never from its own
 * process, so the console and the CLI on one data dir agree on "now". No file: real time.
 */

export const clockFileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('real') }),
  z.object({
    kind: z.literal('fixed'),
    /** ISO instant the cloud's time stands at. */
    now: z.iso.datetime(),
    /** What set it (e.g. `sertakan demo`), for whoever opens the file. */
    by: z.string(),
  }),
]);
export type ClockFile = z.infer<typeof clockFileSchema>;

export const clockFile = (dataDir: string): string => join(dataDir, 'clock.json');

export function writeCloudClock(dataDir: string, record: ClockFile): void {
  writeFileSync(clockFile(dataDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** The clock a data dir's file describes; a malformed file is an error naming it, never a guess. */
export function clockOf(record: ClockFile): Clock {
  if (record.kind === 'real') return systemClock;
  const at = new Date(record.now);
  return { now: () => new Date(at) };
}

/** The clock of `dataDir`'s cloud: its clock.json, or real time when there is none. */
export function readCloudClock(dataDir: string): Clock {
  const path = clockFile(dataDir);
  if (!existsSync(path)) return systemClock;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(
      `${path}: not JSON (written by \`sertakan demo\` or \`local up\`; remove it for real time)`,
    );
  }
  const parsed = clockFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${path}: not a clock file (${parsed.error.issues.map((i) => i.path.join('.') || i.code).join(', ')}); remove it for real time`,
    );
  }
  return clockOf(parsed.data);
}
