import type { Command } from 'commander';
import { z } from 'zod';
import { ALERT_KINDS } from '#domain/alerts.ts';
import type { AreaAlerts, AreaMonth } from '#domain/areas.ts';
import { poolCodeSchema } from '#domain/pools.ts';
import { regionName } from '#domain/regions.ts';
import { PENDING_LABEL, type Table } from '#shared/csv/export.ts';
import { monthSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { parseOption } from '../usage.ts';

/**
 * `sertakan area month --area 15 --month 2023-01` and `sertakan area alerts --area 15.04 --date D`: a
 * province, regency or district as the sum of its pools (docs/pools-and-areas.md), from the per-pool
 * summaries each run writes, exact to the rupiah.
 */

export function areaMonthTable(a: AreaMonth): Table {
  return {
    header: ['pos', 'nilai'],
    rows: [
      ['wilayah', `${a.area}${regionName(a.area) ? ` ${regionName(a.area)}` : ''}`],
      ['bulan', a.month],
      ['kolam', a.pools],
      ['kolam_berjalan', a.running],
      ['saldo_awal', a.opening],
      ['potongan', a.credits.deductions],
      ['koreksi', a.credits.corrections],
      ['hibah', a.credits.grants],
      ['kredit_total', a.credits.total],
      ['alokasi', a.allocated],
      ['saldo_akhir', a.closing],
      ['pekerja_didanai', a.workers.funded],
      ['pekerja_baru', a.workers.admitted],
      ['tidak_didanai', a.workers.unfunded],
      ['nonaktif', a.workers.lapsed],
      ['antrean', a.workers.waitlisted],
      ['kolam_dengan_tidak_didanai', a.poolsWithUnfunded],
      ['kolam_dengan_nonaktif', a.poolsWithLapsed],
      ['runway_bulan', a.runwayMonths ?? ''],
      ['runway_terpendek', a.shortestRunway ? `${a.shortestRunway.pool}: ${a.shortestRunway.months}` : ''],
      ['seimbang', a.balanced ? 'ya' : `TIDAK (${a.poolsUnbalanced.join(', ')})`],
      ...(a.pendingCorrections === undefined ? [] : [[PENDING_LABEL, a.pendingCorrections]]),
    ],
  };
}

export function areaAlertsTable(a: AreaAlerts): Table {
  return {
    header: ['jenis', 'terbuka', 'baru'],
    rows: ALERT_KINDS.map((k) => [k, a.counts[k].open, a.counts[k].new]),
  };
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export function register(program: Command): void {
  const area = program
    .command('area')
    .description('sums over every pool under an area code (15, 15.04, ...)');
  withOutputOptions(
    area
      .command('month')
      .description('reconciliation, balance, runway and worker counts of an area for a month')
      .requiredOption('--area <code>', 'area code prefix, e.g. 15 (province) or 15.04 (regency)')
      .requiredOption('--month <YYYY-MM>', 'coverage month'),
  ).action(async (opts: CommonOptions & { area: string; month: string }) => {
    const q = {
      area: parseOption(poolCodeSchema, opts.area, '--area'),
      month: parseOption(monthSchema, opts.month, '--month'),
    };
    await withConnection(opts, async ({ areas }) => {
      const a = await areas.month(q);
      process.stdout.write(render(opts.format, opts.delimiter, areaMonthTable(a), a));
    });
  });
  withOutputOptions(
    area
      .command('alerts')
      .description('alert counts of an area from the day’s scans')
      .requiredOption('--area <code>', 'area code prefix, e.g. 15')
      .requiredOption('--date <YYYY-MM-DD>', 'scan date (Asia/Jakarta)'),
  ).action(async (opts: CommonOptions & { area: string; date: string }) => {
    const q = {
      area: parseOption(poolCodeSchema, opts.area, '--area'),
      date: parseOption(dateSchema, opts.date, '--date'),
    };
    await withConnection(opts, async ({ areas }) => {
      const a = await areas.alerts(q);
      process.stdout.write(render(opts.format, opts.delimiter, areaAlertsTable(a), a));
      if (opts.format === 'table')
        process.stdout.write(
          `\n${a.pools} kolam dipindai / pools scanned, ${a.poolsAlerting} dengan peringatan / alerting\n`,
        );
    });
  });
}
