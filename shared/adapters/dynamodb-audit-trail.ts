import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError } from '#domain/errors.ts';
import { addMonths, jakartaDateOf, jakartaInstant, periodOf } from '#domain/period.ts';
import {
  AUDIT_KINDS,
  type AuditAction,
  type AuditQuery,
  type AuditRecord,
  type AuditTrail,
} from '#domain/ports/audit-trail.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { actorSchema } from './actor-item.ts';
import { type CapacityMeter, putIfAbsent, queryAll } from './dynamodb-support.ts';

/**
 * The audit trail in its own table (infra/resources.ts `audit`): `pk = AUDIT#<YYYY-MM>` (the Jakarta
 * month of the instant), `sk = <ISO instant>#<id>`, so a month reads in time order with one Query.
 * Each record is put once, on condition that no item has its key; the table's resource policy denies
 * every update and delete (docs/access.md). `expiresAt` (epoch seconds) is the retention TTL.
 * Actions are few (people's and machines' clicks, not deductions): one partition per month is far
 * below a partition's write limit.
 */

const recordSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(AUDIT_KINDS),
  actor: actorSchema,
  via: z.enum(['console', 'finance-api', 'cli']),
  requestId: z.string(),
  pool: z.string().optional(),
  agency: z.string().optional(),
  month: z.string().optional(),
  ref: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const DAY_SECONDS = 86_400;

const stripUndefined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class DynamoDbAuditTrail implements AuditTrail {
  constructor(
    private readonly opts: {
      ddb: DynamoDBDocumentClient;
      tableName: string;
      clock: Clock;
      /** Days a record is kept (infra/resources.ts tables.audit.retention.days). */
      retentionDays: number;
      meter?: CapacityMeter;
    },
  ) {}

  async record(action: AuditAction): Promise<AuditRecord> {
    const now = this.opts.clock.now();
    const rec: AuditRecord = stripUndefined({
      ...action,
      actor: stripUndefined({ ...action.actor }),
      id: randomUUID(),
      at: now.toISOString(),
    });
    const item = {
      pk: `AUDIT#${periodOf(now)}`,
      sk: `${rec.at}#${rec.id}`,
      ...rec,
      expiresAt: Math.floor(now.getTime() / 1000) + this.opts.retentionDays * DAY_SECONDS,
    };
    if (!(await putIfAbsent(this.opts.ddb, this.opts.tableName, item, this.opts.meter))) {
      throw new ConflictError('an audit record with this key exists already', { code: 'AUDIT_KEY_TAKEN' });
    }
    return rec;
  }

  async list(q: AuditQuery): Promise<AuditRecord[]> {
    const from = jakartaInstant(q.from).toISOString();
    const to = new Date(jakartaInstant(q.to).getTime() + DAY_SECONDS * 1000).toISOString();
    const out: AuditRecord[] = [];
    for (let m = periodOf(jakartaInstant(q.from)); m <= periodOf(jakartaInstant(q.to)); m = addMonths(m, 1)) {
      const items = await queryAll(this.opts.ddb, {
        TableName: this.opts.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `AUDIT#${m}`, ':from': from, ':to': to },
      });
      for (const item of items) {
        const { expiresAt: _e, pk: _p, sk: _s, ...rest } = item;
        const r = recordSchema.parse(rest);
        if (matches(r, q)) out.push(r as AuditRecord);
      }
    }
    return out;
  }
}

/** The filters of an AuditQuery on one record (shared with the in-memory trail of the tests). */
export function matches(r: AuditRecord, q: AuditQuery): boolean {
  if (q.kind !== undefined && r.kind !== q.kind) return false;
  if (q.actor !== undefined && ![r.actor.id, r.actor.email, r.actor.name].includes(q.actor)) return false;
  if (q.pool !== undefined && !(r.pool === q.pool || (r.pool ?? '').startsWith(`${q.pool}.`))) return false;
  const day = jakartaDateOf(new Date(r.at));
  return day >= q.from && day <= q.to;
}
