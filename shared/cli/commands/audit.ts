import type { Command } from 'commander';
import { Option } from 'commander';
import { actorLabel } from '#domain/access.ts';
import { jakartaDateOf } from '#domain/period.ts';
import { AUDIT_KINDS, type AuditKind, type AuditRecord } from '#domain/ports/audit-trail.ts';
import { tables } from '#infra/resources.ts';
import { DynamoDbAuditTrail } from '#shared/adapters/dynamodb-audit-trail.ts';
import type { Table } from '#shared/csv/export.ts';
import { poolSchema } from '#shared/use-cases/finance/requests.ts';
import { type CommonOptions, render, withOutputOptions } from '../output.ts';
import { withTarget } from '../target.ts';
import { isoDateOption, parseOption } from '../usage.ts';

/**
 * `sertakan audit [--from D] [--to D] [--person P] [--pool P] [--kind K]`: the audit trail
 * (docs/access.md), oldest first: when (Jakarta time), who (name or e-mail, role, scope), what, where.
 * Default: this Jakarta month up to today.
 */

const detailText = (d: AuditRecord['detail']): string =>
  d === undefined
    ? ''
    : Object.entries(d)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join('; ');

export const auditTable = (rs: readonly AuditRecord[]): Table => ({
  header: [
    'waktu_wib',
    'siapa',
    'id_subjek',
    'jenis',
    'kolam',
    'instansi',
    'bulan',
    'rujukan',
    'lewat',
    'id_permintaan',
    'rincian',
  ],
  rows: rs.map((r) => [
    new Date(r.at).toLocaleString('sv-SE', { timeZone: 'Asia/Jakarta' }),
    actorLabel(r.actor),
    r.actor.id,
    r.kind,
    r.pool ?? '',
    r.agency ?? '',
    r.month ?? '',
    r.ref ?? '',
    r.via,
    r.requestId,
    detailText(r.detail),
  ]),
});

type Opts = CommonOptions & { from?: string; to?: string; person?: string; pool?: string; kind?: AuditKind };

export function register(program: Command): void {
  withOutputOptions(
    program
      .command('audit')
      .description('the audit trail: who did what, when, from where')
      .option('--from <YYYY-MM-DD>', 'first day (default: the 1st of this month)')
      .option('--to <YYYY-MM-DD>', 'last day (default: today)')
      .option('--person <id>', 'one person or machine: subject id, e-mail or name')
      .option('--pool <code>', 'one pool, or an area code for every pool under it')
      .addOption(new Option('--kind <kind>', 'one kind of action').choices([...AUDIT_KINDS])),
  ).action(async (opts: Opts) => {
    const to =
      opts.to === undefined ? jakartaDateOf(new Date()) : parseOption(isoDateOption, opts.to, '--to');
    const from =
      opts.from === undefined ? `${to.slice(0, 7)}-01` : parseOption(isoDateOption, opts.from, '--from');
    const pool = opts.pool === undefined ? undefined : parseOption(poolSchema, opts.pool, '--pool');
    await withTarget(
      opts,
      async (target) => {
        const trail = new DynamoDbAuditTrail({
          ddb: target.clients.ddb,
          tableName: target.names.tables.audit,
          clock: { now: () => new Date() },
          retentionDays: tables.audit.retention.days,
        });
        const rs = await trail.list({
          from,
          to,
          ...(opts.person === undefined ? {} : { actor: opts.person }),
          ...(pool === undefined ? {} : { pool }),
          ...(opts.kind === undefined ? {} : { kind: opts.kind }),
        });
        process.stdout.write(render(opts.format, opts.delimiter, auditTable(rs), rs));
      },
      { readOnly: true, needsData: true },
    );
  });
}
