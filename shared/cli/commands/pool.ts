import type { Command } from 'commander';
import { z } from 'zod';
import {
  type PoolRecord,
  type PoolSettingsInput,
  poolCodeSchema,
  poolSettingsSchema,
} from '#domain/pools.ts';
import { regionName } from '#domain/regions.ts';
import type { Table } from '#shared/csv/export.ts';
import { settingsDetail } from '#shared/finance-api/pool-routes.ts';
import { GUARDED_SETTINGS } from '#shared/use-cases/four-eyes.ts';
import { governance } from '../governance.ts';
import { type ByOptions, operatorOf, withBy } from '../identity.ts';
import { type CommonOptions, render, withConnection, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { CliUsageError, parseOption } from '../usage.ts';

/**
 * `sertakan pool add|list|show|set`: pools as records (docs/pools-and-areas.md). Any intake file
 * registers its pool with the defaults; these commands create one ahead of its files (a BKBK village
 * before its grant arrives) or change its settings: name, parent area, commitment horizon (months),
 * payroll file cutoff day (1-28), runway alert (months), default package for blank `paket` cells.
 */

type SettingOptions = {
  readonly name?: string;
  readonly level?: string;
  readonly parent?: string;
  readonly horizon?: string;
  readonly cutoffDay?: string;
  readonly runwayAlert?: string;
  readonly tierDefault?: string;
};

const whole = z
  .string()
  .regex(/^\d{1,4}$/, 'a whole number')
  .transform(Number);

/** The settings given on the command line, each checked as the API checks it. */
export function settingsFrom(o: SettingOptions): PoolSettingsInput {
  const n = (v: string | undefined, flag: string) =>
    v === undefined ? undefined : parseOption(whole, v, flag);
  const given = {
    name: o.name,
    level: o.level?.toUpperCase(),
    parent: o.parent,
    horizonMonths: n(o.horizon, '--horizon'),
    fileCutoffDay: n(o.cutoffDay, '--cutoff-day'),
    runwayAlertMonths: n(o.runwayAlert, '--runway-alert'),
    tierDefault: o.tierDefault?.toUpperCase(),
  };
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const parsed = poolSettingsSchema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw parseFailure(String(issue?.path[0] ?? 'setting'), issue?.message ?? 'invalid');
}

const FLAGS: Readonly<Record<string, string>> = {
  name: '--name',
  level: '--level',
  parent: '--parent',
  horizonMonths: '--horizon',
  fileCutoffDay: '--cutoff-day',
  runwayAlertMonths: '--runway-alert',
  tierDefault: '--tier-default',
};
const parseFailure = (field: string, message: string) =>
  new CliUsageError(`${FLAGS[field] ?? field}: ${message}`);

export function poolsTable(pools: readonly PoolRecord[]): Table {
  return {
    header: [
      'kolam',
      'nama',
      'tingkat',
      'induk',
      'horizon_bulan',
      'batas_file',
      'paket_bawaan',
      'didaftarkan_oleh',
    ],
    rows: pools.map((p) => [
      p.pool,
      p.name ?? regionName(p.pool) ?? '',
      p.level,
      p.parent ?? '',
      p.horizonMonths,
      p.fileCutoffDay,
      p.tierDefault ?? '',
      p.registeredBy,
    ]),
  };
}

function withSettingOptions(cmd: Command): Command {
  return cmd
    .option('--name <text>', 'the pool’s name, e.g. Desa Kembang Paseban')
    .option('--level <level>', 'province | regency | district | village (must match the code)')
    .option('--parent <code>', 'the area above it, e.g. 15.04.01 (default: one level up)')
    .option('--horizon <months>', 'commitment horizon in months (default 12)')
    .option('--cutoff-day <day>', 'day of the month payroll files are due, 1-28 (default 5)')
    .option('--runway-alert <months>', 'RUNWAY_LOW below this many months (default 2)')
    .option('--tier-default <tier>', 'package for blank paket cells: JKK_JKM | JKK_JKM_JHT')
    .option('--reason <text>', 'why (pool set: shown to the approver)');
}

type PoolOptions = CommonOptions & SettingOptions;
/** Tables only: no queue consumers for a pool record. */
const READ_TABLES = { readOnly: true } as const;

export function register(program: Command): void {
  const pool = program
    .command('pool')
    .description('create, configure and list pools (any Kemendagri area code)');
  const code = (text: string, option = 'pool code') => parseOption(poolCodeSchema, text, option);
  const print = (opts: CommonOptions, pools: readonly PoolRecord[], json: unknown) =>
    process.stdout.write(render(opts.format, opts.delimiter, poolsTable(pools), json));

  withBy(
    withSettingOptions(
      withOutputOptions(pool.command('add <code>').description('register a pool explicitly')),
    ),
  ).action(async (c: string, opts: PoolOptions & ByOptions) => {
    const p = code(c);
    const settings = settingsFrom(opts);
    const operator = await operatorOf(opts);
    await withTarget(
      opts,
      async (target) => {
        const g = governance(target, operator, opts);
        const created = await g.pools.add(p, settings);
        await g.record({ kind: 'POOL_ADDED', pool: p, detail: settingsDetail(settings) });
        print(opts, [created], created);
      },
      READ_TABLES,
    );
  });
  withBy(
    withSettingOptions(
      withOutputOptions(
        pool
          .command('set <code>')
          .description(
            'change a pool’s settings (horizon, cutoff day, default package: a second person approves)',
          ),
      ),
    ),
  ).action(async (c: string, opts: PoolOptions & ByOptions & { reason?: string }) => {
    const p = code(c);
    const settings = settingsFrom(opts);
    if (Object.keys(settings).length === 0) throw new CliUsageError('give at least one setting to change');
    const operator = await operatorOf(opts);
    await withTarget(
      opts,
      async (target) => {
        const g = governance(target, operator, opts);
        if (GUARDED_SETTINGS.some((k) => settings[k] !== undefined)) {
          await g.pools.show(p);
          const r = await g.fourEyes.request(g.origin, {
            kind: 'POOL_SETTINGS',
            pool: p,
            settings,
            reason: opts.reason ?? 'pool set',
          });
          const pending = { status: 'PENDING_APPROVAL', request: r };
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(pending, null, 2)}\n`);
          else
            process.stdout.write(
              `Permintaan / request ${r.id}: ${Object.entries(settings)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(
                  ', ',
                )}\n  menunggu orang kedua / needs a second person: sertakan change approve ${r.id} --by <nama lain / another name>\n`,
            );
          return;
        }
        const updated = await g.pools.set(p, settings);
        await g.record({ kind: 'POOL_CHANGED', pool: p, detail: settingsDetail(settings) });
        print(opts, [updated], updated);
      },
      READ_TABLES,
    );
  });
  withOutputOptions(pool.command('show <code>').description('one pool’s record')).action(
    async (c: string, opts: CommonOptions) => {
      const p = code(c);
      await withConnection(opts, async ({ pools }) => {
        const found = await pools.show(p);
        print(opts, [found], found);
      });
    },
  );
  withOutputOptions(
    pool
      .command('list')
      .description('registered pools in code order, page by page')
      .option('--area <code>', 'only pools under this area, e.g. 15.04')
      .option('--after <code>', 'continue after this code (the `next` of the previous page)')
      .option('--limit <n>', 'pools per page (default 100)'),
  ).action(async (opts: CommonOptions & { area?: string; after?: string; limit?: string }) => {
    const q = {
      ...(opts.area === undefined ? {} : { area: code(opts.area, '--area') }),
      ...(opts.after === undefined ? {} : { after: code(opts.after, '--after') }),
      ...(opts.limit === undefined
        ? {}
        : { limit: parseOption(whole.pipe(z.number().min(1).max(1000)), opts.limit, '--limit') }),
    };
    await withConnection(opts, async ({ pools }) => {
      const page = await pools.list(q);
      print(opts, page.pools, page);
      if (opts.format === 'table' && page.next !== undefined)
        process.stdout.write(`\nlanjut / more: --after ${page.next}\n`);
    });
  });
}
