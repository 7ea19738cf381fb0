import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRupiah } from '#domain/money.ts';
import { defaultRateTable, rateFor } from '#domain/rates.ts';
import { runCli, smallRegion, sum, writeRegionFiles } from './cli-support.ts';

/**
 * The pipeline commands in-process on an embedded runtime over one temp data dir: each command starts
 * the local cloud on the dir and stops it, so everything a later command sees has persisted there.
 */
const dir = mkdtempSync(join(tmpdir(), 'sertakan-cli-'));
const dataDir = join(dir, 'data');
const region = smallRegion(1);
const GRANT = 1_000_000;
const files = writeRegionFiles(dir, region, '2026-01', GRANT);
const at = ['--data-dir', dataDir];
const payrollArgs = ['--pool', '15.04', '--period', '2026-01', '--agency', 'DINKES', ...at];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (out: string) => JSON.parse(out);

describe('sertakan submit / allocate / scan / forecast on an embedded runtime', () => {
  const deducted = sum(region.deductions.map((d) => d.amount));
  const cost = sum(region.workers.map((w) => rateFor(defaultRateTable, w.tier, '2026-01')));

  it('submits workers, payroll and a grant and reports each outcome once processed', async () => {
    // act
    const workers = await runCli(
      'submit',
      'workers',
      files.workers,
      '--pool',
      '15.04',
      '--format',
      'json',
      ...at,
    );
    const payroll = await runCli('submit', 'payroll', files.payroll, ...payrollArgs, '--format', 'json');
    const grant = await runCli('submit', 'grant', files.grant, '--pool', '15.04', '--format', 'json', ...at);
    const again = await runCli('submit', 'payroll', files.payroll, ...payrollArgs);
    // assess
    expect(workers.code, workers.err).toBe(0);
    expect(json(workers.out)).toMatchObject({
      kind: 'WORKERS',
      status: 'ACCEPTED',
      acceptedRows: region.workers.length,
    });
    expect(payroll.code, payroll.err).toBe(0);
    const p = json(payroll.out);
    expect(p).toMatchObject({
      kind: 'PAYROLL',
      status: 'PARTIALLY_REJECTED',
      acceptedRows: region.deductions.length,
      acceptedAmount: deducted,
      rejectedRows: region.badRows,
      rejectedAmount: region.badAmount,
      agencyRegistered: true,
      key: 'incoming/payroll/15.04/2026-01/DINKES.csv',
      receivedBefore: false,
    });
    expect(p.reportUri).toBe(`s3://sertakan-local-reports/${p.reportKey}`);
    expect(json(grant.out)).toMatchObject({ kind: 'GRANTS', status: 'ACCEPTED', acceptedAmount: GRANT });
    // The same bytes again change nothing, and say so: DUPLICATE of the first file, nothing credited.
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(p.fileId);
    expect(again.out).toMatch(/status\s+DUPLICATE/);
    expect(again.out).toMatch(/total_diterima\s+Rp0/);
    expect(again.out).toContain('tidak ada / nothing new');
    // The first upload registered DINKES; this one did not.
    expect(again.out).toMatch(/opd_baru_terdaftar\s+tidak/);
  });

  it('allocates the month from that money and prints the run summary', async () => {
    // act
    const run = await runCli('allocate', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    const table = await runCli(
      'reconcile',
      '--pool',
      '15.04',
      '--month',
      '2026-01',
      '--format',
      'json',
      ...at,
    );
    // assess
    expect(run.code, run.err).toBe(0);
    const [summary] = json(run.out).runs;
    expect(summary).toMatchObject({
      pool: '15.04',
      month: '2026-01',
      status: 'COMPLETED',
      available: deducted + GRANT,
      cursor: { funded: region.workers.length, allocated: cost },
    });
    expect(json(table.out)).toMatchObject({
      allocated: cost,
      closing: deducted + GRANT - cost,
      balanced: true,
    });
  });

  it('re-runs a month without funding anyone twice, printed in Indonesian format', async () => {
    // act
    // A completed month re-runs only with a second person's approval (docs/access.md, "Four eyes").
    const ask = await runCli('allocate', '--pool', '15.04', '--month', '2026-01', '--by', 'Ana', ...at);
    const id = /change approve (\S+)/.exec(ask.out)?.[1] ?? '';
    const rerun = await runCli('change', 'approve', id, '--by', 'Budi', ...at);
    const runs = await runCli('runs', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    const bill = await runCli('bill', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    // assess: a re-run funds nobody twice and leaves the closing balance where it was
    expect(ask.code, ask.err).toBe(0);
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toContain('re-run of 15.04 2026-01 requested');
    const second = (json(runs.out) as { runId: string; state: string }[]).find(
      (r) => r.runId === '15.04/2026-01/002',
    );
    expect(second?.state).toBe('DONE');
    const rec = await runCli('reconcile', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    expect(json(rec.out)).toMatchObject({ closing: deducted + GRANT - cost });
    expect(formatRupiah(deducted + GRANT - cost)).toMatch(/^Rp/);
    expect(json(bill.out)).toMatchObject({ workers: region.workers.length, total: cost });
  });

  it('lists the runs with what asked for each, progress and outputs', async () => {
    // act
    const runs = await runCli('runs', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    const table = await runCli('runs', '--pool', '15.04', ...at);
    // assess: two runs, both operator requests, both done with their bill and reconciliation
    expect(runs.code, runs.err).toBe(0);
    const items = json(runs.out) as {
      runId: string;
      state: string;
      cause: string;
      chunksDone: number;
      chunkCount: number;
    }[];
    expect(items.map((r) => [r.runId, r.state])).toEqual([
      ['15.04/2026-01/001', 'DONE'],
      ['15.04/2026-01/002', 'DONE'],
    ]);
    expect(items.every((r) => r.cause.startsWith('operator:') && r.chunksDone === r.chunkCount)).toBe(true);
    expect(table.out).toContain('keadaan');
    expect(table.out).not.toContain('Lanjutkan run');
  });

  it('refuses to abort a run that is not running, and an abort without a reason', async () => {
    // act
    const done = await runCli(
      'abort-run',
      '--pool',
      '15.04',
      '--month',
      '2026-01',
      '--reason',
      'x',
      '--by',
      'Ana',
      ...at,
    );
    const noReason = await runCli('abort-run', '--pool', '15.04', '--month', '2026-01', ...at);
    const runs = await runCli('runs', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    // assess: nothing changed on the completed runs
    expect(done.code).toBe(1);
    expect(done.err).toContain('NO_RUNNING_RUN');
    expect(noReason.code).toBe(1); // commander's exit code for a missing option
    expect(noReason.err).toContain('--reason');
    expect((json(runs.out) as { state: string }[]).map((r) => r.state)).toEqual(['DONE', 'DONE']);
    // A finished run is not "idle": no minutes are counted for it.
    expect((json(runs.out) as { idleMinutes?: number }[]).map((r) => r.idleMinutes)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('scans a day and forecasts the pool from the same tables', async () => {
    // act
    const scan = await runCli('scan', '--date', '2026-01-20', '--format', 'json', ...at);
    const forecast = await runCli(
      'forecast',
      '--pool',
      '15.04',
      '--date',
      '2026-01-20',
      '--format',
      'json',
      ...at,
    );
    const csv = await runCli('forecast', '--pool', '15.04', '--date', '2026-01-20', '--format', 'csv', ...at);
    // assess
    expect(scan.code, scan.err).toBe(0);
    const [pool] = json(scan.out);
    expect(pool).toMatchObject({ pool: '15.04', date: '2026-01-20', workersScanned: region.workers.length });
    expect(pool.csv).toMatch(/^s3:\/\/sertakan-local-reports\/reports\/alerts\/15\.04\/2026-01-20/);
    expect(Object.keys(pool.counts).sort()).toEqual([
      'ALLOCATION_LATE',
      'ALLOCATION_STALLED',
      'AT_RISK',
      'FILE_MISSING',
      'LAPSED',
      'PAYMENT_UNCONFIRMED',
      'RUNWAY_LOW',
      'UNFUNDED',
    ]);
    expect(forecast.code, forecast.err).toBe(0);
    const f = json(forecast.out);
    expect(f.start).toBe('2026-02');
    expect(f.months).toHaveLength(12);
    expect(f.months[0]).toMatchObject({ opening: deducted + GRANT - cost, active: region.workers.length });
    const lines = csv.out
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    expect(lines[0]?.split(';')[0]).toBe('bulan');
    expect(lines).toHaveLength(13);
  });

  it('says what is wrong in one line, exit 1, for a user mistake', async () => {
    // act
    const noPeriod = await runCli(
      'submit',
      'payroll',
      files.payroll,
      '--pool',
      '15.04',
      '--agency',
      'X',
      ...at,
    );
    const badPool = await runCli('submit', 'workers', files.workers, '--pool', '15.4', ...at);
    const badFile = await runCli('submit', 'grant', join(dir, 'missing.csv'), '--pool', '15.04', ...at);
    const unknownPool = await runCli('allocate', '--pool', '15.01', '--month', '2026-01', ...at);
    const closed = await runCli('allocate', '--pool', '15.04', '--month', '2025-12', ...at);
    const badDate = await runCli('scan', '--date', '2026-02-30', ...at);
    const neither = await runCli('allocate', '--month', '2026-02', ...at);
    // assess
    for (const r of [noPeriod, badPool, badFile, unknownPool, closed, badDate, neither]) {
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => !l.includes('via ')).length,
      ).toBe(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(noPeriod.err).toContain('--period');
    expect(badPool.err).toContain('--pool');
    expect(badFile.err).toContain('no such file');
    expect(unknownPool.err).toContain('not registered');
    expect(closed.err).toContain('already ran 2026-01');
    expect(badDate.err).toContain('--date');
    expect(neither.err).toContain('--all-pools');
  });

  it("allocates every registered pool with --all-pools (the schedule's fan-out)", async () => {
    // act
    const all = await runCli('allocate', '--all-pools', '--month', '2026-02', '--format', 'json', ...at);
    // assess: February has no new credits, so the pool carries its workers from January's surplus
    expect(all.code, all.err).toBe(0);
    const { runs, skipped } = json(all.out);
    expect(skipped).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      pool: '15.04',
      month: '2026-02',
      status: 'COMPLETED',
      previousClosing: deducted + GRANT - cost,
    });
  });

  it('prints the first 20 rejected rows of a file, counts the rest, and saves the whole report', async () => {
    // prepare: one good row and 25 bad ones (wrong NIP lengths), in a month nothing else uses
    const donor = region.deductions[0];
    const bad = Array.from({ length: 25 }, (_, i) => `19800211200603200${i + 10};Salah ${i};2026-03;5000`);
    const path = join(dir, 'payroll-bad.csv');
    writeFileSync(path, ['nip;nama;periode;jumlah', `${donor?.nip};ASN 1;2026-03;5000`, ...bad].join('\n'));
    const out = join(dir, 'out', 'penolakan.csv');
    const args = ['--pool', '15.04', '--period', '2026-03', '--agency', 'DINSOS', ...at];
    // act
    const table = await runCli('submit', 'payroll', path, ...args, '--report-out', out);
    const again = await runCli('submit', 'payroll', path, ...args, '--format', 'json');
    // assess: 20 rows shown (line, column, masked value, reason id + en), 5 counted, all 25 saved
    expect(table.code, table.err).toBe(0);
    const shown = table.out.split('\n').filter((l) => /^\s*\d+\s+nip\s/.test(l));
    expect(shown).toHaveLength(20);
    expect(shown[0]).toMatch(
      /^\s*3\s+nip\s+\*{18}\s+NIP_FORMAT\s+NIP harus 18 angka\.\s+The NIP must be 18 digits\.$/,
    );
    expect(table.out).toContain('(20 dari / of 25)');
    expect(table.out).toContain('dan 5 baris lagi / and 5 more rows');
    expect(table.out).not.toContain('198002112006032001');
    const saved = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    expect(saved).toHaveLength(26);
    // the default place is the report's key under the data dir, and `reports get` fetches the same bytes
    const { reportKey, reportFile } = json(again.out);
    expect(reportFile).toBe(join(dataDir, reportKey));
    expect(readFileSync(reportFile, 'utf8')).toBe(readFileSync(out, 'utf8'));
    const got = await runCli('reports', 'get', reportKey, '--out', '-', ...at);
    const missing = await runCli('reports', 'get', 'reports/rejections/none.csv', ...at);
    expect(got.code, got.err).toBe(0);
    expect(got.out).toBe(readFileSync(out, 'utf8'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no such report');
  });

  it('prints the outcome of a wholly rejected file and exits 1, so a script sees nothing was taken', async () => {
    // prepare: every row is for another period than the file's
    const donor = region.deductions[0];
    const path = join(dir, 'payroll-wrong-period.csv');
    writeFileSync(path, ['nip;nama;periode;jumlah', `${donor?.nip};ASN 1;2025-12;5000`].join('\n'));
    const args = ['--pool', '15.04', '--period', '2026-04', '--agency', 'DINSOS', ...at];
    // act
    const r = await runCli('submit', 'payroll', path, ...args, '--format', 'json');
    // assess
    expect(r.code).toBe(1);
    expect(json(r.out)).toMatchObject({ kind: 'PAYROLL', status: 'REJECTED', acceptedRows: 0 });
    expect(r.err.trim().split('\n').at(-1)).toMatch(
      /^sertakan: berkas ditolak seluruhnya.*the whole file was rejected/,
    );
  });
});
