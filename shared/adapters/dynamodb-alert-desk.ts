import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AlertDesk, ConsoleAlert, HandledNote } from '#domain/ports/alert-desk.ts';
import { meteredSend, queryAll } from './dynamodb-support.ts';

/**
 * The console's alert desk on the `ledger` table:
 *
 * | item | pk | sk |
 * |---|---|---|
 * | alert (written by scan-lapses) | `ALERT#<pool>` | `<kind>#<pool>#<subject>#<month>` |
 * | handled note (append-only) | `HANDLED#<pool>` | `<alert ref>#<ISO instant>` |
 *
 * An alert's sort key holds a raw NIK, so it never leaves this adapter except through `workerOf` (a
 * lookup on the server). A note is put once (conditional) and never changed; a second note on the same
 * alert is a new item, and the latest one is shown. Paging and SDK error translation are the shared
 * ones (dynamodb-support.ts): throttling and dropped connections become TransientError.
 */

const alertItemSchema = z.object({
  sk: z.string(),
  kind: z.string(),
  month: z.string(),
  firstSeen: z.string(),
  severity: z.string(),
  subject: z.string(),
  subjectType: z.string(),
  daysUntilDue: z.number().optional(),
  details: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
const noteItemSchema = z.object({
  sk: z.string(),
  at: z.string(),
  note: z.string(),
  role: z.string(),
  by: z.string().optional(),
  byName: z.string().optional(),
});

type Item = Record<string, unknown>;

/** sk = `<kind>#<pool>#<subject>#<month>`: the subject of a WORKER alert is the worker's NIK. */
const subjectOf = (sk: string): string | undefined => sk.split('#')[2];

export class DynamoDbAlertDesk implements AlertDesk {
  constructor(private readonly opts: { ddb: DynamoDBDocumentClient; tableName: string }) {}

  #partition(pk: string): Promise<Item[]> {
    return queryAll(this.opts.ddb, {
      TableName: this.opts.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });
  }

  async list(pool: string): Promise<ConsoleAlert[]> {
    const [alerts, notes] = await Promise.all([
      this.#partition(`ALERT#${pool}`),
      this.#partition(`HANDLED#${pool}`),
    ]);
    const latest = new Map<string, HandledNote>();
    // Sort keys are `<ref>#<instant>`: ascending order leaves the latest note in the map.
    for (const item of notes) {
      const { sk, ...note } = noteItemSchema.parse(item);
      latest.set(sk.split('#')[0] ?? '', note);
    }
    return alerts.map((item) => {
      const { sk, daysUntilDue, ...a } = alertItemSchema.parse(item);
      const ref = alertRef(sk);
      const handled = latest.get(ref);
      return {
        ref,
        ...a,
        ...(daysUntilDue === undefined ? {} : { daysUntilDue }),
        ...(handled === undefined ? {} : { handled }),
      };
    });
  }

  async ofWorker(pool: string, nik: string): Promise<ConsoleAlert[]> {
    const all = await this.list(pool);
    const refs = new Set(
      (await this.#partition(`ALERT#${pool}`))
        .filter((i) => subjectOf(String(i.sk)) === nik)
        .map((i) => alertRef(String(i.sk))),
    );
    return all.filter((a) => a.subjectType === 'WORKER' && refs.has(a.ref));
  }

  async workerOf(pool: string, ref: string): Promise<string | undefined> {
    const item = (await this.#partition(`ALERT#${pool}`)).find((i) => alertRef(String(i.sk)) === ref);
    if (item === undefined) return undefined;
    const a = alertItemSchema.parse(item);
    return a.subjectType === 'WORKER' ? subjectOf(a.sk) : undefined;
  }

  async markHandled(pool: string, ref: string, note: HandledNote): Promise<boolean> {
    const alerts = await this.#partition(`ALERT#${pool}`);
    if (!alerts.some((item) => alertRef(String(item.sk)) === ref)) return false;
    await meteredSend(undefined, 'PutItem', 'write', () =>
      this.opts.ddb.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { pk: `HANDLED#${pool}`, sk: `${ref}#${note.at}`, ...note },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return true;
  }
}

/** The console's name of an alert: the first 20 hex of sha256 of its stored id (which holds a NIK). */
export const alertRef = (sk: string): string => createHash('sha256').update(sk).digest('hex').slice(0, 20);
