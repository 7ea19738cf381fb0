import type { Command } from 'commander';
import { actorLabel } from '#domain/access.ts';
import type { ChangeRequest } from '#domain/ports/change-requests.ts';
import type { Table } from '#shared/csv/export.ts';
import { governance } from '../governance.ts';
import { operatorOf, withBy } from '../identity.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { CliUsageError } from '../usage.ts';

/**
 * `sertakan change list|approve`: the four-eyes requests (docs/access.md). `abort-run`, `allocate` on a
 * completed month and `pool set` of the horizon, cutoff day or default package ask; another person
 * approves here, and the change runs with the approval.
 */

export const changesTable = (rs: readonly ChangeRequest[]): Table => ({
  header: ['id', 'jenis', 'kolam', 'bulan', 'alasan', 'diminta_oleh', 'diminta', 'disetujui_oleh', 'hasil'],
  rows: rs.map((r) => [
    r.id,
    r.kind,
    r.pool,
    r.month ?? '',
    r.reason,
    actorLabel(r.requestedBy),
    r.requestedAt,
    r.approval === undefined ? '' : actorLabel(r.approval.by),
    r.done?.outcome ??
      (r.approval === undefined ? 'menunggu persetujuan / pending' : 'belum selesai / not done'),
  ]),
});

type Opts = CommonOptions & { readonly by?: string; readonly all?: boolean };

export function register(program: Command): void {
  const change = program.command('change').description('four-eyes requests: list them, approve one');
  withBy(
    withOutputOptions(
      change
        .command('list')
        .description('requests waiting for a second person (all with --all)')
        .option('--all', 'also the approved and carried out'),
    ),
  ).action(async (opts: Opts) => {
    await withTarget(
      opts,
      async (target) => {
        const g = governance(target, await operatorOf({ ...opts, by: opts.by ?? 'viewer' }), opts);
        const all = await g.fourEyes.pending(g.origin.actor);
        const rs = opts.all === true ? await listAll(g) : all;
        process.stdout.write(render(opts.format, opts.delimiter, changesTable(rs), rs));
      },
      { readOnly: true, needsData: true },
    );
  });
  withBy(
    withOutputOptions(
      change.command('approve <id>').description('approve a request of someone else; it runs'),
    ),
  ).action(async (id: string, opts: Opts) => {
    if (!/^\d{8}-[0-9a-f]{8}$/.test(id))
      throw new CliUsageError('id: expected YYYYMMDD-xxxxxxxx (see `change list`)');
    const operator = await operatorOf(opts);
    await withTarget(opts, async (target) => {
      const g = governance(target, operator, opts);
      const { request, outcome } = await g.fourEyes.approve(g.origin, id);
      // An abort's or re-run's job is on the allocation queue: see it through before the cloud closes.
      if (request.kind !== 'POOL_SETTINGS') await target.settle(['allocationJobs'], 300_000);
      process.stdout.write(
        `Disetujui / approved ${request.id} (${request.kind} ${request.pool}${request.month === undefined ? '' : ` ${request.month}`}) oleh / by ${actorLabel(operator)}\n  ${outcome}\n`,
      );
    });
  });
}

async function listAll(g: ReturnType<typeof governance>): Promise<ChangeRequest[]> {
  return (await g.fourEyes.all(g.origin.actor)).slice();
}
