import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, smallRegion, sum, writeRegionFiles } from './cli-support.ts';

/**
 * What a treasurer is told is what the ledger holds (docs/intake.md), through the CLI on an embedded
 * runtime: a grant sent twice under two names, a file sent by mistake withdrawn after its month was
 * allocated, and the next run counting the reversal.
 */
const dir = mkdtempSync(join(tmpdir(), 'sertakan-truth-'));
const dataDir = join(dir, 'data');
const region = smallRegion(4);
const GRANT = 500_000;
const files = writeRegionFiles(dir, region, '2026-01', GRANT);
const at = ['--data-dir', dataDir];
const json = (out: string) => JSON.parse(out.slice(out.indexOf('{')));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one truth through the CLI', () => {
  const deducted = sum(region.deductions.map((d) => d.amount));

  it('submit, allocate, withdraw the payroll file, confirm, next run: the money follows', async () => {
    const payroll = json(
      (
        await runCli(
          'submit',
          'payroll',
          files.payroll,
          '--pool',
          '15.04',
          '--period',
          '2026-01',
          '--agency',
          'WRONG',
          '--format',
          'json',
          ...at,
        )
      ).out,
    );
    expect(payroll).toMatchObject({
      status: 'PARTIALLY_REJECTED',
      acceptedAmount: deducted,
      monthTotal: deducted,
    });
    const run1 = await runCli('allocate', '--pool', '15.04', '--month', '2026-01', '--format', 'json', ...at);
    expect(run1.code, run1.err).toBe(0);
    expect(json(run1.out).runs[0]).toMatchObject({ status: 'COMPLETED', available: deducted });

    const asked = await runCli(
      'file',
      'withdraw',
      '--file',
      payroll.fileId,
      '--by',
      'bendahara',
      '--reason',
      'salah OPD',
      ...at,
    );
    expect(asked.code, asked.err).toBe(0);
    expect(asked.out).toMatch(/status\s+PENDING_CONFIRMATION/);
    expect(asked.out).toMatch(/dana_berkurang\s+105\.000/);
    expect(asked.out).toMatch(/donatur_dihapus\s+3/);
    expect(asked.out).toContain('MENUNGGU KONFIRMASI');
    const requestId = /file_id\s+([0-9a-f]{24})/.exec(asked.out)?.[1] ?? '';
    const confirmed = json(
      (await runCli('file', 'confirm', '--file', requestId, '--by', 'bendahara', '--format', 'json', ...at))
        .out,
    );
    expect(confirmed).toMatchObject({
      status: 'ACCEPTED',
      mode: 'WITHDRAWAL',
      delta: -deducted,
      monthTotal: 0,
      reason: 'salah OPD',
      decision: { action: 'CONFIRMED', by: 'bendahara' },
    });
    // Both decisions are in the audit trail, naming who, what and which file.
    const trail = JSON.parse((await runCli('audit', '--pool', '15.04', '--format', 'json', ...at)).out) as {
      kind: string;
      actor: { name: string };
      ref: string;
      month: string;
    }[];
    expect(trail.map((r) => [r.kind, r.actor.name, r.ref, r.month])).toEqual([
      ['REPLACEMENT_WITHDRAWN', 'bendahara', payroll.fileId, '2026-01'],
      ['REPLACEMENT_CONFIRMED', 'bendahara', requestId, '2026-01'],
    ]);
    const run2 = await runCli('allocate', '--pool', '15.04', '--month', '2026-02', '--format', 'json', ...at);
    expect(run2.code, run2.err).toBe(0);
    const balance = json((await runCli('balance', '--pool', '15.04', '--format', 'json', ...at)).out);
    // Nothing was allocated (no workers): the withdrawn money left the pool whole.
    expect(balance.credits.total).toBe(0);
  });

  it('the same grant under another file name says DUPLICATE and credits nothing new', async () => {
    const first = json(
      (await runCli('submit', 'grant', files.grant, '--pool', '15.04', '--format', 'json', ...at)).out,
    );
    const copy = join(dir, 'grant (1).csv');
    copyFileSync(files.grant, copy);
    const second = json(
      (await runCli('submit', 'grant', copy, '--pool', '15.04', '--format', 'json', ...at)).out,
    );
    expect(first).toMatchObject({ status: 'ACCEPTED', acceptedAmount: GRANT });
    expect(second).toMatchObject({
      status: 'DUPLICATE',
      acceptedAmount: 0,
      duplicateOf: first.fileId,
      firstReceivedAt: first.receivedAt,
    });
    const balance = json((await runCli('balance', '--pool', '15.04', '--format', 'json', ...at)).out);
    expect(balance.credits.total).toBe(GRANT);
  });

  it('a month outside the window is rejected with its reason in Bahasa, Rp0 accepted', async () => {
    const old = join(dir, 'old.csv');
    writeFileSync(old, `nip;nama;periode;jumlah\n${region.deductions[0]?.nip};ASN;2020-01;16800\n`);
    const r = await runCli(
      'submit',
      'payroll',
      old,
      '--pool',
      '15.04',
      '--period',
      '2020-01',
      '--agency',
      'OLD',
      ...at,
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /alasan_tolak\s+PERIOD_BEFORE_PROGRAMME: Periode berkas sebelum program SERTAKAN dimulai/,
    );
    expect(r.out).toMatch(/total_diterima\s+Rp0/);
  });
});
