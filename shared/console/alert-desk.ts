import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';

/**
 * What ops works from in the console: the pool's recorded alerts (subjects already masked by the
 * scan, docs/console.md) and the notes saying an alert was handled. Both live in the `ledger` table:
 *
 * | item | pk | sk |
 * |---|---|---|
 * | alert (written by scan-lapses) | `ALERT#<pool>` | `<kind>#<pool>#<subject>#<month>` |
 * | handled note (append-only) | `HANDLED#<pool>` | `<alert ref>#<ISO instant>` |
 *
 * An alert's sort key holds a raw NIK, so the console never shows it: an alert is named by its `ref`,
 * the first 20 hex of sha256(sort key). A note is put once (conditional) and never changed; a second
 * note on the same alert is a new item, and the latest one is shown.
 */

export type ConsoleAlert = {
  readonly ref: string;
  readonly kind: string;
  readonly month: string;
  readonly firstSeen: string;
  readonly severity: string;
  /** Masked NIK, agency or pool code. */
  readonly subject: string;
  readonly subjectType: string;
  readonly daysUntilDue?: number;
  readonly details: Readonly<Record<string, string | number>>;
  readonly handled?: HandledNote;
};

/** A handled note: when, what, and who (the person's subject id and name or e-mail, and role). */
export type HandledNote = {
  readonly at: string;
  readonly note: string;
  readonly role: string;
  readonly by?: string;
  readonly byName?: string;
};

export interface AlertDesk {
  /** Every alert of the pool with its latest handled note. */
  list(pool: string): Promise<ConsoleAlert[]>;
  /**
   * The raw NIK of the worker a WORKER alert of the pool names (its sort key holds it), for a lookup
   * that stays on the server; undefined when the pool has no such alert or it names an agency or pool.
   */
  workerOf(pool: string, ref: string): Promise<string | undefined>;
  /** The pool's alerts about one worker (by raw NIK, which stays on the server). */
  ofWorker(pool: string, nik: string): Promise<ConsoleAlert[]>;
  /** Appends a note; false when the pool has no alert with that ref. */
  markHandled(pool: string, ref: string, note: HandledNote): Promise<boolean>;
}

export const alertRef = (sk: string): string => createHash('sha256').update(sk).digest('hex').slice(0, 20);

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

export class DynamoDbAlertDesk implements AlertDesk {
  constructor(private readonly opts: { ddb: DynamoDBDocumentClient; tableName: string }) {}

  async #queryAll(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.opts.ddb.send(
        new QueryCommand({
          TableName: this.opts.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async list(pool: string): Promise<ConsoleAlert[]> {
    const [alerts, notes] = await Promise.all([
      this.#queryAll(`ALERT#${pool}`),
      this.#queryAll(`HANDLED#${pool}`),
    ]);
    const latest = new Map<string, HandledNote>();
    // Sort keys are `<ref>#<instant>`: ascending order leaves the latest note in the map.
    for (const item of notes) {
      const n = noteItemSchema.parse(item);
      const { sk, ...note } = n;
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
    // sk = <kind>#<pool>#<subject>#<month>: a worker alert's subject is the NIK.
    const all = await this.list(pool);
    const refs = new Set(
      (await this.#queryAll(`ALERT#${pool}`))
        .filter((i) => String(i.sk).split('#')[2] === nik)
        .map((i) => alertRef(String(i.sk))),
    );
    return all.filter((a) => a.subjectType === 'WORKER' && refs.has(a.ref));
  }

  async workerOf(pool: string, ref: string): Promise<string | undefined> {
    const item = (await this.#queryAll(`ALERT#${pool}`)).find((i) => alertRef(String(i.sk)) === ref);
    if (item === undefined) return undefined;
    const a = alertItemSchema.parse(item);
    // sk = <kind>#<pool>#<subject>#<month>: the subject of a WORKER alert is the worker's NIK.
    return a.subjectType === 'WORKER' ? a.sk.split('#')[2] : undefined;
  }

  async markHandled(pool: string, ref: string, note: HandledNote): Promise<boolean> {
    const alerts = await this.#queryAll(`ALERT#${pool}`);
    if (!alerts.some((item) => alertRef(String(item.sk)) === ref)) return false;
    await this.opts.ddb.send(
      new PutCommand({
        TableName: this.opts.tableName,
        Item: { pk: `HANDLED#${pool}`, sk: `${ref}#${note.at}`, ...note },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  }
}
