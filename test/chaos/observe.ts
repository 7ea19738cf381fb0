/**
 * What the pipeline actually did, read straight from the emulators with clean clients: ledger credits
 * per period+agency and per donor row, the allocation log and runs, rejection reports, the alert log,
 * DLQ contents. Reading is the only thing done here; judging is check.ts's job.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Period } from '#domain/model.ts';
import type { AllocationEntry, RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { QueueName } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { creditItemSchema } from '#shared/adapters/ledger-keys.ts';
import { listKeys } from '#shared/local-cloud/list-keys.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { monthOutputKeys } from '#shared/use-cases/allocation/write-month-outputs.ts';

type Item = Record<string, unknown>;

async function queryAll(cloud: LocalCloud, table: string, pk: string, prefix?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await cloud.clients.ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix === undefined ? {} : { ':p': prefix }) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export type LedgerView = {
  /** `<period>#<agency>` -> net (deductions + corrections). */
  readonly byAgency: Map<string, number>;
  readonly grants: number;
  readonly total: number;
};

export async function readLedger(cloud: LocalCloud, pool: string): Promise<LedgerView> {
  const byAgency = new Map<string, number>();
  let grants = 0;
  for (const raw of await queryAll(cloud, cloud.names.tables.ledger, `CREDIT#${pool}`)) {
    const item = creditItemSchema.parse(raw);
    if (item.kind === 'GRANT') grants += item.amount;
    else
      byAgency.set(
        `${item.period}#${item.agency}`,
        (byAgency.get(`${item.period}#${item.agency}`) ?? 0) + item.total,
      );
  }
  const total = [...byAgency.values()].reduce((s, n) => s + n, 0) + grants;
  return { byAgency, grants, total };
}

const dedRowSchema = z.object({ sk: z.string(), amount: z.number().int() });

/** Per donor NIP, the sum of every deduction and correction row of one agency's period. */
export async function readDonorRows(cloud: LocalCloud, pool: string, period: Period, agency: string) {
  const byNip = new Map<string, number>();
  for (const raw of await queryAll(cloud, cloud.names.tables.ledger, `DED#${pool}#${period}#${agency}`)) {
    const row = dedRowSchema.parse(raw);
    const nip = row.sk.split('#')[0] ?? '';
    byNip.set(nip, (byNip.get(nip) ?? 0) + row.amount);
  }
  return byNip;
}

export type AllocationView = { readonly entries: AllocationEntry[]; readonly runs: RunRecord[] };

export async function readAllocations(
  cloud: LocalCloud,
  pool: string,
  months: readonly Period[],
): Promise<AllocationView> {
  const log = new DynamoDbAllocationLog({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.ledger });
  const entries: AllocationEntry[] = [];
  for (const month of months) for await (const page of log.allocations(pool, month)) entries.push(...page);
  return { entries, runs: await log.listRuns(pool) };
}

/** Alert ids of the pool (`KIND#pool#subject#month`). */
export async function readAlertIds(cloud: LocalCloud, pool: string): Promise<string[]> {
  return (await queryAll(cloud, cloud.names.tables.ledger, `ALERT#${pool}`)).map((i) => String(i.sk));
}

async function getText(cloud: LocalCloud, bucket: string, key: string): Promise<string> {
  const out = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

export async function readReportObjects(
  cloud: LocalCloud,
  prefix: string,
): Promise<{ key: string; text: string }[]> {
  const bucket = cloud.names.buckets.reports;
  const keys = await listKeys(cloud.clients.s3, bucket, prefix);
  return Promise.all(keys.map(async (key) => ({ key, text: await getText(cloud, bucket, key) })));
}

/** `(line, reason)` rows of a rejection report (`baris;kolom;nilai;kode;...`, BOM + header). */
export function reportRows(text: string): { line: number; reason: string }[] {
  const rows: string[][] = parse(text, { delimiter: ';', bom: true, relax_column_count: true });
  return rows.slice(1).map((cells) => ({ line: Number(cells[0]), reason: cells[3] ?? '' }));
}

export async function readDlqs(cloud: LocalCloud): Promise<{ queue: QueueName; bodies: string[] }[]> {
  const out: { queue: QueueName; bodies: string[] }[] = [];
  for (const [queue, res] of Object.entries(cloud.names.queues) as [QueueName, { dlqUrl: string }][]) {
    const { Attributes = {} } = await cloud.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: res.dlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    const count = Number(Attributes.ApproximateNumberOfMessages ?? 0);
    if (count === 0) continue;
    // Peek with a visibility of 0 seconds: the messages stay for the next look.
    const { Messages = [] } = await cloud.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: res.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    out.push({ queue, bodies: Messages.map((m) => m.Body ?? '') });
  }
  return out;
}

/** Whether the month-end outputs of pool+month are in the reports bucket. */
export async function readMonthOutputs(
  cloud: LocalCloud,
  pool: string,
  month: Period,
): Promise<{ bill: boolean; reconciliation: boolean }> {
  const keys = monthOutputKeys(pool, month);
  const exists = (key: string) =>
    cloud.clients.s3
      .send(new HeadObjectCommand({ Bucket: cloud.names.buckets.reports, Key: key }))
      .then(() => true)
      .catch(() => false);
  return { bill: await exists(keys.billCsv), reconciliation: await exists(keys.reconciliationCsv) };
}

/**
 * What the month's coverage and BPJS bill say: workers whose coverage record was evaluated for `month`
 * and is paid through it, and the workers on the written bill (undefined when no bill is written).
 */
export async function readCoverageAndBill(
  cloud: LocalCloud,
  pool: string,
  month: Period,
): Promise<{ paid: string[]; billed: string[] | undefined }> {
  const store = new DynamoDbCoverageStore({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.registry });
  const paid: string[] = [];
  for await (const page of store.list(pool))
    for (const r of page) if (r.month === month && r.paidThrough === month) paid.push(r.nik);
  const text = await getText(cloud, cloud.names.buckets.reports, monthOutputKeys(pool, month).billJson).catch(
    () => undefined,
  );
  const billed =
    text === undefined
      ? undefined
      : z
          .object({ items: z.array(z.object({ nik: z.string() })) })
          .parse(JSON.parse(text))
          .items.map((i) => i.nik);
  return { paid: paid.sort(), billed: billed?.sort() };
}
