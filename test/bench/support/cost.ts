/**
 * Projected monthly AWS bill, itemised per service, from the price table in the repo and the units the
 * benchmark counted. Linear extrapolation: each phase's units are divided by what drives them
 * (deductions for intake; workers for allocation and the daily scan) and multiplied by the target's
 * count. Per-pool and fixed items (digests, schedules, idle queue polling, alarms) are priced by pool
 * count or as constants. Not modelled: free tiers, data transfer, KMS (AWS-owned keys are free).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { countOf, lambdaTotals, type PhaseUsage } from './metering.ts';

const priceSchema = z.object({
  region: z.string(),
  asOf: z.string(),
  status: z.string(),
  sources: z.array(z.string()),
  dynamodb: z.object({
    onDemandWritePerMillionWru: z.number(),
    onDemandReadPerMillionRru: z.number(),
    storagePerGbMonth: z.number(),
    pitrPerGbMonth: z.number(),
  }),
  sqs: z.object({ standardPerMillionRequests: z.number() }),
  s3: z.object({
    standardStoragePerGbMonth: z.number(),
    putCopyPostListPerThousand: z.number(),
    getAndOtherPerThousand: z.number(),
  }),
  lambda: z.object({ arm64PerGbSecond: z.number(), perMillionRequests: z.number() }),
  sns: z.object({ perMillionPublishes: z.number() }),
  eventBridgeScheduler: z.object({ perMillionInvocations: z.number() }),
  cloudwatch: z.object({
    customMetricPerMonth: z.number(),
    logsIngestionPerGb: z.number(),
    logsStoragePerGbMonth: z.number(),
    standardAlarmPerMonth: z.number(),
  }),
});
export type PriceTable = z.infer<typeof priceSchema>;

export const loadPrices = (): PriceTable =>
  priceSchema.parse(
    JSON.parse(
      readFileSync(new URL('../../../shared/config/aws-prices-ap-southeast-3.json', import.meta.url), 'utf8'),
    ),
  );

export type Scale = {
  readonly name: string;
  readonly donors: number;
  readonly workers: number;
  readonly pools: number;
};

export const JAMBI: Scale = { name: 'Jambi', donors: 100_000, workers: 100_000, pools: 12 };
export const NATIONAL: Scale = { name: 'national', donors: 4_700_000, workers: 9_000_000, pools: 500 };

/** The month as measured: usage per phase and what drove it. */
export type MeasuredMonth = {
  readonly intake: PhaseUsage;
  readonly allocation: PhaseUsage;
  readonly scan: PhaseUsage;
  readonly deductions: number;
  readonly workers: number;
  /** Bytes of intake files put to S3 this month. */
  readonly fileBytes: number;
};

const S3_TIER1 = new Set([
  'PutObject',
  'CopyObject',
  'ListObjectsV2',
  'ListObjects',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
]);
const s3Split = (u: PhaseUsage) => {
  let tier1 = 0;
  let tier2 = 0;
  for (const [api, n] of Object.entries(u.s3))
    if (S3_TIER1.has(api)) tier1 += n;
    else tier2 += n;
  return { tier1, tier2 };
};
/** Billed SQS requests: every request but the empty receives (priced apart as idle polling). */
const sqsWork = (u: PhaseUsage) => countOf(u.sqs) - u.sqsEmptyReceives;

const DAYS = 30;
const MONTHS_KEPT = 12;
/** Lambda's SQS pollers long-poll (20 s) even when idle; ~5 pollers per mapping is the usual estimate. */
const IDLE_POLL_REQUESTS_PER_QUEUE = 5 * 3 * 60 * 24 * DAYS;
const QUEUES_POLLED = 6;
const ALARMS = 12;

export type BillLine = {
  readonly service: string;
  readonly item: string;
  readonly units: number;
  readonly usd: number;
};

export const projectBill = (m: MeasuredMonth, scale: Scale, prices: PriceTable): BillLine[] => {
  const perDeduction = scale.donors / m.deductions;
  const perWorker = scale.workers / m.workers;
  // The scan is measured once; it runs every day.
  const scaled = (f: (u: PhaseUsage) => number) =>
    f(m.intake) * perDeduction + f(m.allocation) * perWorker + f(m.scan) * perWorker * DAYS;
  const wcu = scaled((u) => u.ddb.wcu);
  const rcu = scaled((u) => u.ddb.rcu);
  const monthlyBytes = scaled((u) => u.ddb.bytesPut) - m.scan.ddb.bytesPut * perWorker * (DAYS - 1);
  // Storage after a year of months (append-only history), as a steady-state upper figure.
  const storedGb = (monthlyBytes * MONTHS_KEPT) / 1e9;
  const sqs = scaled(sqsWork);
  const idle = IDLE_POLL_REQUESTS_PER_QUEUE * QUEUES_POLLED;
  const s3t1 = scaled((u) => s3Split(u).tier1);
  const s3t2 = scaled((u) => s3Split(u).tier2);
  const fileGb = (m.fileBytes * perDeduction * MONTHS_KEPT) / 1e9;
  const invocations = scaled((u) => lambdaTotals(u).invocations);
  const gbSeconds = scaled((u) => lambdaTotals(u).gbSeconds);
  const publishes = scaled((u) => countOf(u.sns));
  const logGb = scaled((u) => u.logBytes) / 1e9;
  const p = prices;
  const lines: BillLine[] = [
    {
      service: 'DynamoDB',
      item: 'on-demand write request units',
      units: wcu,
      usd: (wcu / 1e6) * p.dynamodb.onDemandWritePerMillionWru,
    },
    {
      service: 'DynamoDB',
      item: 'on-demand read request units',
      units: rcu,
      usd: (rcu / 1e6) * p.dynamodb.onDemandReadPerMillionRru,
    },
    {
      service: 'DynamoDB',
      item: `storage GB-month (after ${MONTHS_KEPT} months)`,
      units: storedGb,
      usd: storedGb * p.dynamodb.storagePerGbMonth,
    },
    {
      service: 'DynamoDB',
      item: 'PITR backup GB-month',
      units: storedGb,
      usd: storedGb * p.dynamodb.pitrPerGbMonth,
    },
    {
      service: 'SQS',
      item: 'requests (work)',
      units: sqs,
      usd: (sqs / 1e6) * p.sqs.standardPerMillionRequests,
    },
    {
      service: 'SQS',
      item: 'idle long polls (6 mappings, estimate)',
      units: idle,
      usd: (idle / 1e6) * p.sqs.standardPerMillionRequests,
    },
    {
      service: 'S3',
      item: 'PUT/LIST requests',
      units: s3t1,
      usd: (s3t1 / 1000) * p.s3.putCopyPostListPerThousand,
    },
    {
      service: 'S3',
      item: 'GET/HEAD requests',
      units: s3t2,
      usd: (s3t2 / 1000) * p.s3.getAndOtherPerThousand,
    },
    {
      service: 'S3',
      item: `intake files GB-month (after ${MONTHS_KEPT} months)`,
      units: fileGb,
      usd: fileGb * p.s3.standardStoragePerGbMonth,
    },
    {
      service: 'Lambda',
      item: 'requests',
      units: invocations,
      usd: (invocations / 1e6) * p.lambda.perMillionRequests,
    },
    {
      service: 'Lambda',
      item: 'GB-seconds (arm64, local durations)',
      units: gbSeconds,
      usd: gbSeconds * p.lambda.arm64PerGbSecond,
    },
    {
      service: 'SNS',
      item: 'publishes (daily digests)',
      units: publishes,
      usd: (publishes / 1e6) * p.sns.perMillionPublishes,
    },
    {
      service: 'EventBridge Scheduler',
      item: 'invocations',
      units: 1 + DAYS,
      usd: ((1 + DAYS) / 1e6) * p.eventBridgeScheduler.perMillionInvocations,
    },
    {
      service: 'CloudWatch',
      item: 'logs ingested GB',
      units: logGb,
      usd: logGb * p.cloudwatch.logsIngestionPerGb,
    },
    {
      service: 'CloudWatch',
      item: `logs stored GB-month (after ${MONTHS_KEPT} months)`,
      units: logGb * MONTHS_KEPT,
      usd: logGb * MONTHS_KEPT * p.cloudwatch.logsStoragePerGbMonth,
    },
    {
      service: 'CloudWatch',
      item: 'alarms (DLQs, errors)',
      units: ALARMS,
      usd: ALARMS * p.cloudwatch.standardAlarmPerMonth,
    },
  ];
  return lines;
};

export const withCustomMetrics = (lines: BillLine[], metrics: number, prices: PriceTable): BillLine[] => [
  ...lines,
  {
    service: 'CloudWatch',
    item: 'custom metrics (EMF, distinct name+dimensions)',
    units: metrics,
    usd: metrics * prices.cloudwatch.customMetricPerMonth,
  },
];

export const billTotal = (lines: readonly BillLine[]): number => lines.reduce((s, l) => s + l.usd, 0);
