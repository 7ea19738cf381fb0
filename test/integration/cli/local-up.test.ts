import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNip } from '#domain/identifiers.ts';
import { defaultRateTable, rateFor } from '#domain/rates.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { localCredentials, makeAwsClients } from '#shared/runtime/aws-clients.ts';
import { runChild, runCli, smallRegion, spawnCli, sum, writeRegionFiles } from './cli-support.ts';

/**
 * The local cloud's promise: `sertakan local up` in its own process, an outside AWS SDK client dropping a payroll
 * file into its intake bucket as a payroll system would, `sertakan submit` and queries against the same
 * running cloud (in this process: they only talk to its endpoints), a second `local up` refused, and a
 * clean stop on SIGTERM.
 */
const dir = mkdtempSync(join(tmpdir(), 'sertakan-up-'));
const dataDir = join(dir, 'data');
const endpointsPath = join(dataDir, 'endpoints.json');
const region = smallRegion(2);
const files = writeRegionFiles(dir, region, '2026-01', 500_000);
let up: ChildProcess;
let upExit: Promise<number | null>;
let upOut = '';

type Endpoints = {
  region: string;
  endpoints: { s3: string; dynamodb: string };
  names: { buckets: { intake: string }; tables: { ledger: string } };
};

const until = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> => {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  up = spawnCli(['local', 'up', '--data-dir', dataDir, '--json']);
  up.stdout?.on('data', (d) => (upOut += String(d)));
  upExit = new Promise((resolve) => up.on('exit', (code) => resolve(code)));
  await until('endpoints.json', () => (existsSync(endpointsPath) ? true : undefined));
  // The file is written before the console is up; the JSON on stdout comes last, once all is served.
  await until('the JSON on stdout', () => {
    try {
      return JSON.parse(upOut) as unknown;
    } catch {
      return undefined;
    }
  });
});

afterAll(async () => {
  if (up.exitCode === null) {
    up.kill('SIGTERM');
    await upExit;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('sertakan local up with outside clients', () => {
  it('processes a file an outside S3 client drops, next to submit, and answers queries', async () => {
    // prepare
    const running = JSON.parse(readFileSync(endpointsPath, 'utf8')) as Endpoints;
    const outside = new S3Client({
      endpoint: running.endpoints.s3,
      region: running.region,
      credentials: localCredentials,
      forcePathStyle: true,
    });
    const other = [70_000, 20_000].map((amount, i) => ({
      nip: makeNip({ birth: '1979-09-30', appointment: '2004-01', gender: 1, seq: 50 + i }),
      amount,
    }));
    const otherCsv = [
      'nip;nama;periode;jumlah',
      ...other.map((d) => `${d.nip};ASN;2026-01;${d.amount}`),
    ].join('\n');
    const disdik = join(dir, 'disdik.csv');
    writeFileSync(disdik, otherCsv);
    const ledger = new DynamoDbCreditLedger({
      ddb: makeAwsClients({ endpoints: running.endpoints, region: running.region }).ddb,
      tableName: running.names.tables.ledger,
    });
    const expected = sum(region.deductions.map((d) => d.amount)) + sum(other.map((d) => d.amount));
    const cost = sum(region.workers.map((w) => rateFor(defaultRateTable, w.tier, '2026-01')));
    // act
    await outside.send(
      new PutObjectCommand({
        Bucket: running.names.buckets.intake,
        Key: 'incoming/payroll/15.04/2026-01/DINKES.csv',
        Body: readFileSync(files.payroll),
      }),
    );
    const at = ['--data-dir', dataDir, '--format', 'json'];
    const [workers, second] = await Promise.all([
      runCli('submit', 'workers', files.workers, '--pool', '15.04', ...at),
      runChild(['local', 'up', '--data-dir', dataDir]),
    ]);
    const payroll = await runCli(
      ...['submit', 'payroll', disdik, '--pool', '15.04', '--period', '2026-01', '--agency', 'DISDIK', ...at],
    );
    const credited = await until('both payroll files in the ledger', async () => {
      const credits = await ledger.creditsByPeriod('15.04');
      return credits.find((c) => c.period === '2026-01' && c.deductions === expected);
    });
    const run = await runCli('allocate', '--pool', '15.04', '--month', '2026-01', ...at);
    const rec = await runCli('reconcile', '--pool', '15.04', '--month', '2026-01', ...at);
    outside.destroy();
    // assess
    expect(JSON.parse(upOut).endpoints.s3).toBe(running.endpoints.s3);
    expect(workers.code, workers.err).toBe(0);
    expect(workers.err).toContain('via local up');
    expect(JSON.parse(workers.out)).toMatchObject({
      status: 'ACCEPTED',
      acceptedRows: region.workers.length,
    });
    expect(second.code).toBe(1);
    expect(second.err).toContain('already running');
    expect(payroll.code, payroll.err).toBe(0);
    expect(JSON.parse(payroll.out)).toMatchObject({
      status: 'ACCEPTED',
      agencyRegistered: true,
      acceptedAmount: 90_000,
    });
    expect(credited.deductionRows).toBe(region.deductions.length + other.length);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out).runs[0]).toMatchObject({ available: expected, cursor: { allocated: cost } });
    expect(JSON.parse(rec.out)).toMatchObject({ closing: expected - cost, balanced: true });
  });

  it('stops cleanly on SIGTERM and removes its endpoints file', async () => {
    // act
    up.kill('SIGTERM');
    const code = await upExit;
    // assess
    expect(code).toBe(0);
    expect(existsSync(endpointsPath)).toBe(false);
  });
});
