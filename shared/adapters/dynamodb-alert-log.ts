import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Alert, maskedSubject, type RecordedAlert } from '#domain/alerts.ts';
import { mapBounded } from '#domain/concurrency.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import type { AlertLog } from '#domain/ports/alerts/alert-log.ts';
import type { DigestLog, DigestRecord } from '#domain/ports/alerts/digest-log.ts';
import type { ScanState, ScanStateStore } from '#domain/ports/alerts/scan-state-store.ts';
import {
  batchGetAll,
  type CapacityMeter,
  isConditionFailure,
  meteredSend,
  putIfAbsent,
  queryAll,
} from './dynamodb-support.ts';

/**
 * # Alert side of the `ledger` table
 *
 * | item | pk | sk | attributes |
 * |---|---|---|---|
 * | alert | `ALERT#<pool>` | `<alert id>` e.g. `UNFUNDED#15.04#<nik>#2026-03` | kind, month, firstSeen, severity, subject (masked), subjectType, daysUntilDue?, details |
 * | scan state | `SCAN#<pool>` | `<date>` | step (the condition), state (JSON) |
 * | digest | `DIGEST#<pool>` | `<date>` | messageId, csvKey, counts, sentAt |
 *
 * Alerts are append-only: a conditional put (attribute_not_exists) writes an id once, never rewrites
 * it; a later scan only reads it back (BatchGet first, so a still-open alert costs a read, not a
 * failed write). The item keeps the subject masked: the raw NIK is only in the key.
 */

const TOTAL = 'TOTAL' as const;
const BATCH_GET_LIMIT = 100;
const PUT_CONCURRENCY = 16;

type Item = Record<string, unknown>;

const alertKey = (pool: PoolCode, id: string) => ({ pk: `ALERT#${pool}`, sk: id });
const scanKey = (pool: PoolCode, date: IsoDate) => ({ pk: `SCAN#${pool}`, sk: date });
const digestKey = (pool: PoolCode, date: IsoDate) => ({ pk: `DIGEST#${pool}`, sk: date });

const firstSeenSchema = z.object({ sk: z.string(), firstSeen: z.string() });
const scanItemSchema = z.object({ step: z.number().int(), state: z.string() });
const scanStateSchema = z
  .object({
    pool: z.string(),
    date: z.string(),
    step: z.number().int(),
    phase: z.enum(['COUNT', 'ALERT', 'FINAL', 'DIGEST', 'DONE']),
    counts: z.record(z.string(), z.object({ new: z.number(), open: z.number() })),
  })
  .loose();
const countsSchema = z.record(z.string(), z.object({ new: z.number(), open: z.number() }));
const digestItemSchema = z.object({
  messageId: z.string(),
  csvKey: z.string(),
  counts: countsSchema,
  sentAt: z.string(),
});

const alertSummarySchema = z.object({
  kind: z.string(),
  month: z.string(),
  firstSeen: z.string(),
  severity: z.string(),
});
export type AlertSummary = z.infer<typeof alertSummarySchema>;

export class DynamoDbAlertLog implements AlertLog, ScanStateStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #meter: CapacityMeter | undefined;

  constructor(opts: { ddb: DynamoDBDocumentClient; tableName: string; meter?: CapacityMeter }) {
    this.#ddb = opts.ddb;
    this.#table = opts.tableName;
    this.#meter = opts.meter;
  }

  async record(alerts: readonly Alert[], date: IsoDate): Promise<RecordedAlert[]> {
    const byPool = new Map<PoolCode, Alert[]>();
    for (const a of alerts) byPool.set(a.pool, [...(byPool.get(a.pool) ?? []), a]);
    const seen = new Map<string, string>();
    for (const [pool, list] of byPool) {
      for (let i = 0; i < list.length; i += BATCH_GET_LIMIT) {
        for (const item of await this.#batchGet(
          list.slice(i, i + BATCH_GET_LIMIT).map((a) => alertKey(pool, a.id)),
        )) {
          const { sk, firstSeen } = firstSeenSchema.parse(item);
          seen.set(`${pool}|${sk}`, firstSeen);
        }
      }
    }
    const missing = alerts.filter((a) => !seen.has(`${a.pool}|${a.id}`));
    await mapBounded(missing, PUT_CONCURRENCY, async (a) => {
      seen.set(`${a.pool}|${a.id}`, await this.#putAlert(a, date));
    });
    return alerts.map((a) => ({ ...a, firstSeen: seen.get(`${a.pool}|${a.id}`) ?? date }));
  }

  /** Writes the alert once; when another writer was first, returns the first-seen date it wrote. */
  async #putAlert(a: Alert, date: IsoDate): Promise<string> {
    const item = {
      ...alertKey(a.pool, a.id),
      kind: a.kind,
      month: a.month,
      firstSeen: date,
      severity: a.severity,
      subject: maskedSubject(a),
      subjectType: a.subjectType,
      ...(a.daysUntilDue === undefined ? {} : { daysUntilDue: a.daysUntilDue }),
      details: a.details,
    };
    if (await putIfAbsent(this.#ddb, this.#table, item, this.#meter)) return date;
    const existing = await this.#get(alertKey(a.pool, a.id));
    return firstSeenSchema.parse(existing).firstSeen;
  }

  async get(pool: PoolCode, date: IsoDate): Promise<ScanState | undefined> {
    const item = await this.#get(scanKey(pool, date));
    if (item === undefined) return undefined;
    const { state } = scanItemSchema.parse(item);
    // Written only by this adapter from a ScanState; the schema checks the fields the scan branches on.
    return scanStateSchema.parse(JSON.parse(state)) as unknown as ScanState;
  }

  async create(state: ScanState): Promise<'CREATED' | 'EXISTS'> {
    const item = { ...scanKey(state.pool, state.date), step: state.step, state: JSON.stringify(state) };
    return (await putIfAbsent(this.#ddb, this.#table, item, this.#meter)) ? 'CREATED' : 'EXISTS';
  }

  async advance(next: ScanState, fromStep: number): Promise<'COMMITTED' | 'CONFLICT'> {
    try {
      await meteredSend(this.#meter, 'PutItem', 'write', () =>
        this.#ddb.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...scanKey(next.pool, next.date), step: next.step, state: JSON.stringify(next) },
            ConditionExpression: 'step = :from',
            ExpressionAttributeValues: { ':from': fromStep },
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      return 'COMMITTED';
    } catch (err) {
      if (isConditionFailure(err)) return 'CONFLICT';
      throw err;
    }
  }

  async recordDigest(d: DigestRecord): Promise<'RECORDED' | 'EXISTS'> {
    const item = {
      ...digestKey(d.pool, d.date),
      messageId: d.messageId,
      csvKey: d.csvKey,
      counts: d.counts,
      sentAt: d.sentAt,
    };
    return (await putIfAbsent(this.#ddb, this.#table, item, this.#meter)) ? 'RECORDED' : 'EXISTS';
  }

  async getDigest(pool: PoolCode, date: IsoDate): Promise<DigestRecord | undefined> {
    const item = await this.#get(digestKey(pool, date));
    if (item === undefined) return undefined;
    const d = digestItemSchema.parse(item);
    return { pool, date, ...d, counts: d.counts as DigestRecord['counts'] };
  }

  /** The alert history of a pool (kind, month, first-seen date, severity; subjects masked), for reports. */
  async listAlerts(pool: PoolCode): Promise<AlertSummary[]> {
    const items = await queryAll(
      this.#ddb,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ALERT#${pool}` },
        ProjectionExpression: 'kind, #month, firstSeen, severity',
        ExpressionAttributeNames: { '#month': 'month' },
      },
      { meter: this.#meter },
    );
    return items.map((item) => alertSummarySchema.parse(item));
  }

  /** The DigestLog view of this adapter (its method names clash with the scan-state store's). */
  get digests(): DigestLog {
    return { get: (p, d) => this.getDigest(p, d), record: (d) => this.recordDigest(d) };
  }

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await meteredSend(this.#meter, 'GetItem', 'read', () =>
      this.#ddb.send(
        new GetCommand({
          TableName: this.#table,
          Key: key,
          ConsistentRead: true,
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    return out.Item;
  }

  #batchGet(keys: { pk: string; sk: string }[]): Promise<Item[]> {
    return batchGetAll(this.#ddb, this.#table, keys, {
      consistent: true,
      projection: ['sk', 'firstSeen'],
      meter: this.#meter,
    });
  }
}
