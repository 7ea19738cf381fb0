import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { Tier } from '#domain/model.ts';
import { main } from '#shared/cli/main.ts';

/** What a CLI invocation left: exit code, stdout, stderr. */
export type CliRun = { readonly code: number; readonly out: string; readonly err: string };

/** Runs `sertakan <args>` in this process, capturing what it writes. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const capture = (sink: (s: string) => void) => (chunk: string | Uint8Array) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => (out += s)));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => (err += s)));
  try {
    const code = await main(['node', 'sertakan', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const repo = join(import.meta.dirname, '..', '..', '..');
export const cliEntry = join(repo, 'shared', 'cli', 'main.ts');

/** Starts `sertakan <args>` as a child process (node --import tsx), as a user's shell would. */
export function spawnCli(args: readonly string[]) {
  return spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    cwd: repo,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a child `sertakan <args>` to its end. */
export function runChild(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

export type SmallRegion = {
  readonly workers: readonly { nik: string; tier: Tier }[];
  readonly deductions: readonly { nip: string; amount: number }[];
  /** Lines of the payroll file that must be rejected. */
  readonly badRows: number;
  readonly badAmount: number;
};

/** A few workers and donors of pool 15.04 with valid NIKs and NIPs, plus one bad payroll row. */
export function smallRegion(seed: number): SmallRegion {
  const tiers: Tier[] = ['JKK_JKM', 'JKK_JKM_JHT', 'JKK_JKM'];
  return {
    workers: tiers.map((tier, i) => ({
      nik: makeNik({
        regency: '15.04',
        district: '02',
        birth: '1988-07-21',
        female: i % 2 === 1,
        seq: seed * 10 + i + 1,
      }),
      tier,
    })),
    deductions: [50_000, 25_000, 30_000].map((amount, i) => ({
      nip: makeNip({ birth: '1980-02-11', appointment: '2006-03', gender: 2, seq: seed * 10 + i + 1 }),
      amount,
    })),
    badRows: 1,
    badAmount: 10_000,
  };
}

/** Writes workers.csv, payroll.csv (one bad NIP row) and grant.csv into `dir`; returns their paths. */
export function writeRegionFiles(dir: string, region: SmallRegion, period: string, grantAmount: number) {
  const workers = join(dir, 'workers.csv');
  writeFileSync(
    workers,
    [
      'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
      ...region.workers.map((w, i) => `${w.nik};Pekerja ${i + 1};;${w.tier};buruh tani;2025-12-0${i + 1}`),
    ].join('\n'),
  );
  const payroll = join(dir, 'payroll.csv');
  writeFileSync(
    payroll,
    [
      'nip;nama;periode;jumlah',
      ...region.deductions.map((d, i) => `${d.nip};ASN ${i + 1};${period};${d.amount}`),
      `1234;Salah;${period};${region.badAmount}`,
    ].join('\n'),
  );
  const grant = join(dir, 'grant.csv');
  writeFileSync(
    grant,
    ['referensi;sumber;periode;jumlah', `BKBK-${period};BKBK;${period};${grantAmount}`].join('\n'),
  );
  return { workers, payroll, grant };
}

export const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
