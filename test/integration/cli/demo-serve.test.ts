import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addMonths, periodOf } from '#domain/period.ts';
import { runCli, spawnCli } from './cli-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'sertakan-demo-serve-'));
const dataDir = join(dir, 'demo');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const until = async (what: string, probe: () => boolean, ms = 120_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('npm start -- --serve', () => {
  it('announces its cloud, so a CLI query on the same data dir goes to it instead of opening the tables again', async () => {
    // prepare: a one-month demo of a small region, kept up after its summary
    const demo = spawnCli([
      'demo',
      '--serve',
      '--months',
      '1',
      '--donors',
      '40',
      '--workers',
      '40',
      '--agencies',
      '3',
      '--no-villages',
      '--data-dir',
      dataDir,
    ]);
    let out = '';
    demo.stdout?.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    try {
      await until('the console line', () => out.includes('Konsol / console:'));
      // The demo simulates the complete month before today, and says which month to query.
      const month = /--month (\d{4}-\d{2})/.exec(out)?.[1];
      expect(month).toBe(addMonths(periodOf(new Date()), -1));
      // act
      const rec = await runCli('reconcile', '--pool', '15.04', '--month', month ?? '', '--data-dir', dataDir);
      // The CLI reads the cloud's clock (where the demo stopped), as the console it serves does.
      const balance = await runCli('balance', '--pool', '15.04', '--format', 'json', '--data-dir', dataDir);
      const clock = JSON.parse(readFileSync(join(dataDir, 'clock.json'), 'utf8')) as { now: string };
      expect(JSON.parse(balance.out)).toMatchObject({ asOf: clock.now, lastMonth: month });
      // assess
      expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(true);
      expect(out).toContain('Tanya data demo / query the demo');
      // Before the announcement this died with dynalite's "Database is closed" and a stack trace.
      expect(rec.code, rec.err).toBe(0);
      expect(rec.err).toBe('');
      expect(rec.out).toMatch(/seimbang\s+YA/);
    } finally {
      demo.kill('SIGTERM');
      await exited;
    }
    // The announcement goes with the cloud.
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(false);
    // A demo run as a child, then two CLI processes: the console line alone may take `until`'s 120 s on a
    // loaded machine (DynamoDB Local's JVM in CI's second pass), so the test's own limit lies beyond it.
  }, 240_000);
});
