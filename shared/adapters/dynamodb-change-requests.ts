import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError } from '#domain/errors.ts';
import { poolSettingsSchema } from '#domain/pools.ts';
import { CHANGE_KINDS, type ChangeRequest, type ChangeRequests } from '#domain/ports/change-requests.ts';
import { actorSchema } from './actor-item.ts';
import { putIfAbsent, queryAll } from './dynamodb-support.ts';

/**
 * Four-eyes change requests in the registry table, append-only: `pk = CHANGE`, `sk = <id>#1REQUEST`,
 * `<id>#2APPROVAL`, `<id>#3DONE`, each put once on condition that its key is free, so two approvers
 * racing get one approval and the request itself is never rewritten.
 */

const requestSchema = z.object({
  id: z.string(),
  kind: z.enum(CHANGE_KINDS),
  pool: z.string(),
  month: z.string().optional(),
  rerun: z.boolean().optional(),
  settings: poolSettingsSchema.optional(),
  reason: z.string(),
  requestedBy: actorSchema,
  requestedAt: z.string(),
});
const approvalSchema = z.object({ by: actorSchema, at: z.string() });
const doneSchema = z.object({ at: z.string(), outcome: z.string() });

const PK = 'CHANGE';
const clean = (o: Record<string, unknown>) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>; // drops undefined fields

export class DynamoDbChangeRequests implements ChangeRequests {
  constructor(private readonly opts: { ddb: DynamoDBDocumentClient; tableName: string }) {}

  async create(r: ChangeRequest): Promise<void> {
    const { approval: _a, done: _d, ...request } = r;
    const item = { pk: PK, sk: `${r.id}#1REQUEST`, ...clean(request) };
    if (!(await putIfAbsent(this.opts.ddb, this.opts.tableName, item, undefined)))
      throw new ConflictError(`change request ${r.id} exists already`, { code: 'CHANGE_EXISTS' });
  }

  async approve(id: string, approval: { by: ChangeRequest['requestedBy']; at: string }): Promise<boolean> {
    const item = { pk: PK, sk: `${id}#2APPROVAL`, ...clean(approval) };
    return putIfAbsent(this.opts.ddb, this.opts.tableName, item, undefined);
  }

  async markDone(id: string, done: { at: string; outcome: string }): Promise<void> {
    await putIfAbsent(this.opts.ddb, this.opts.tableName, { pk: PK, sk: `${id}#3DONE`, ...done }, undefined);
  }

  async get(id: string): Promise<ChangeRequest | undefined> {
    return (await this.#read(id)).find((r) => r.id === id);
  }

  list(): Promise<ChangeRequest[]> {
    return this.#read();
  }

  async #read(id?: string): Promise<ChangeRequest[]> {
    const items = await queryAll(this.opts.ddb, {
      TableName: this.opts.tableName,
      KeyConditionExpression: id === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :id)',
      ExpressionAttributeValues: { ':pk': PK, ...(id === undefined ? {} : { ':id': `${id}#` }) },
    });
    const byId = new Map<string, ChangeRequest>();
    for (const item of items) {
      const [rid = '', part] = String(item.sk).split('#');
      if (part === '1REQUEST') {
        const { pk: _p, sk: _s, ...rest } = item;
        byId.set(rid, requestSchema.parse(rest) as ChangeRequest);
      }
      const r = byId.get(rid);
      if (r === undefined) continue;
      if (part === '2APPROVAL')
        byId.set(rid, { ...r, approval: approvalSchema.parse(item) as ChangeRequest['approval'] & {} });
      if (part === '3DONE') byId.set(rid, { ...r, done: doneSchema.parse(item) });
    }
    return [...byId.values()].sort(
      (a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id),
    );
  }
}
