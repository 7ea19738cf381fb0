import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '#shared/cli/main.ts';
import { endpointsFile } from '#shared/local-cloud/local-runtime.ts';
import type { FinanceQueries } from '#shared/use-cases/finance/index.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { buildHistory, nipOf, POOL } from './history.ts';

const cloud = useLocalCloud();
let queries: FinanceQueries;
let dataDir: string;

beforeAll(async () => {
  queries = (await buildHistory(cloud())).queries;
  // What `local up` leaves behind: the CLI must find and use this running cloud.
  dataDir = mkdtempSync(join(tmpdir(), 'sertakan-cli-'));
  const { endpoints, names, region } = cloud();
  writeFileSync(endpointsFile(dataDir), JSON.stringify({ region, endpoints, names }));
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'sertakan', ...args, '--data-dir', dataDir]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('sertakan CLI against a running local cloud', () => {
  it('reconciles a month: JSON equals the query, the table speaks Indonesian', async () => {
    const expected = await queries.reconciliation({ pool: POOL, month: '2026-02' });
    const json = await run('reconcile', '--pool', POOL, '--month', '2026-02', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(expected);
    const table = await run('reconcile', '--pool', POOL, '--month', '2026-02');
    expect(table.out).toMatch(new RegExp(`saldo_akhir\\s+Rp${expected.closing.toLocaleString('de-DE')}`));
    expect(table.out).toContain('seimbang');
  });

  it('exports a month of allocations as CSV for Indonesian Excel, masked', async () => {
    const page = await queries.allocationsByMonth({ pool: POOL, month: '2026-03', limit: 1000 });
    const csv = await run('query', 'allocations', '--pool', POOL, '--month', '2026-03', '--format', 'csv');
    const lines = csv.out.split('\r\n').filter((l) => l !== '');
    expect(csv.out.startsWith('\uFEFFbulan;nik;nama;')).toBe(true);
    expect(lines).toHaveLength(page.items.length + 1);
    expect(csv.out).not.toContain(page.items[0]?.nik ?? 'x');
    const comma = await run(
      'query',
      'allocations',
      '--pool',
      POOL,
      '--month',
      '2026-03',
      '--format',
      'csv',
      '--delimiter',
      ',',
    );
    expect(comma.out.startsWith('\uFEFFbulan,nik,nama,')).toBe(true);
  });

  it('prints a donor statement and a past balance', async () => {
    const expected = await queries.statement(nipOf(4));
    const s = await run('statement', '--nip', nipOf(4), '--format', 'json', '--unmasked');
    expect(JSON.parse(s.out)).toEqual(expected);
    const b = await run('balance', '--pool', POOL, '--as-of', '2026-02-28', '--format', 'json');
    expect(JSON.parse(b.out).balance).toBe(
      (await queries.balance({ pool: POOL, asOf: new Date('2026-02-28T23:59:59.999+07:00') })).balance,
    );
    const bill = await run('bill', '--pool', POOL, '--month', '2026-01');
    expect(bill.out).toMatch(/TOTAL\s+\d+.*Rp[\d.]+/);
  });

  it('says what is wrong in one line, without a stack trace', async () => {
    const bad = await run('reconcile', '--pool', POOL, '--month', '2026-13');
    const unknown = await run('bill', '--pool', '15.99', '--month', '2026-01');
    expect([bad.code, unknown.code]).toEqual([1, 1]); // every failure exits 1 (shared/cli/main.ts)
    expect(bad.err).toMatch(/^sertakan: --month '2026-13': expected a month YYYY-MM, MM 01-12\n$/); // names the option
    expect(unknown.err).toContain('POOL_UNKNOWN');
    expect(unknown.err).toContain('in the data dir'); // the right pool may be in another data dir
    expect(unknown.err).not.toMatch(/\n\s+at /);
  });
});
