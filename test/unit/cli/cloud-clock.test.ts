import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetClock } from '#shared/cli/target.ts';
import { clockFile, readCloudClock, writeCloudClock } from '#shared/local-cloud/cloud-clock.ts';

const root = mkdtempSync(join(tmpdir(), 'sertakan-clock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('one clock per local cloud', () => {
  it("a data dir whose demo stopped its clock gives every client that time, not the process's", () => {
    const d = mkdtempSync(join(root, 'demo-'));
    writeCloudClock(d, { kind: 'fixed', now: '2026-11-30T00:30:00.000Z', by: 'sertakan demo' });
    expect(readCloudClock(d).now().toISOString()).toBe('2026-11-30T00:30:00.000Z');
    expect(targetClock({ target: 'local', stage: 'local', dataDir: d }).now().toISOString()).toBe(
      '2026-11-30T00:30:00.000Z',
    );
    // The deployed stack runs on real time whatever a local data dir says.
    const aws = targetClock({ target: 'aws', stage: 'prod', dataDir: d }).now().getTime();
    expect(Math.abs(aws - Date.now())).toBeLessThan(5_000);
  });

  it('real time without a file, or when local up recorded real time', () => {
    const none = mkdtempSync(join(root, 'none-'));
    expect(Math.abs(readCloudClock(none).now().getTime() - Date.now())).toBeLessThan(5_000);
    const up = mkdtempSync(join(root, 'up-'));
    writeCloudClock(up, { kind: 'real' });
    expect(Math.abs(readCloudClock(up).now().getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('refuses a malformed clock file, naming it', () => {
    const bad = mkdtempSync(join(root, 'bad-'));
    writeFileSync(clockFile(bad), '{"kind":"fixed","now":"yesterday"}');
    expect(() => readCloudClock(bad)).toThrow(clockFile(bad));
    writeFileSync(clockFile(bad), 'not json');
    expect(() => readCloudClock(bad)).toThrow(/not JSON/);
  });
});
