/**
 * The benchmark's figures from the measured month: rates, billed units per deduction and per funded
 * worker-month, request counts, the raw-write limit and the projected bills; printed as a table.
 */
import type { BigPoolResult } from './big-pool.ts';
import { type BillLine, billTotal } from './cost.ts';
import { countOf, lambdaTotals, type PhaseUsage } from './metering.ts';
import type { MonthResult } from './month.ts';
import type { RawWriteResult } from './raw-write.ts';

const r = (n: number, digits = 2) => Number(n.toFixed(digits));

export const monthFigures = (
  m: MonthResult,
  u: { intake: PhaseUsage; allocation: PhaseUsage; scan: PhaseUsage; month: PhaseUsage },
  raw: RawWriteResult,
) => {
  const intakeS = m.phases.intake?.seconds ?? 0;
  const allocS = m.phases.allocation?.seconds ?? 0;
  const scanS = m.phases.scan?.seconds ?? 0;
  const pipelineRate = m.deductions / intakeS;
  const perFunded = (n: number) => (m.funded > 0 ? n / m.funded : Number.NaN);
  const lambda = lambdaTotals(u.month);
  return {
    period: m.period,
    deductions: m.deductions,
    workers: m.workers,
    funded: m.funded,
    runsCompleted: m.runsCompleted,
    seconds: Object.fromEntries(Object.entries(m.phases).map(([k, p]) => [k, r(p.seconds, 1)])),
    peakRssMbByPhase: Object.fromEntries(
      Object.entries(m.phases).map(([k, p]) => [k, Math.round(p.peakRss / 2 ** 20)]),
    ),
    wallSeconds: r(
      Object.values(m.phases).reduce((s, p) => s + p.seconds, 0),
      1,
    ),
    intakeRowsPerSecond: Math.round(pipelineRate),
    allocationWorkersPerSecond: Math.round(m.workers / allocS),
    scanWorkersPerSecond: Math.round(m.workers / scanS),
    rawBatchWriteItemsPerSecond: Math.round(raw.itemsPerSecond),
    pipelineToRawRatio: r(pipelineRate / raw.itemsPerSecond),
    wcuPerDeduction: r(u.intake.ddb.wcu / m.deductions, 3),
    rcuPerDeduction: r(u.intake.ddb.rcu / m.deductions, 3),
    wcuPerFundedWorkerMonth: r(perFunded(u.allocation.ddb.wcu), 3),
    rcuPerFundedWorkerMonth: r(perFunded(u.allocation.ddb.rcu), 3),
    scanWcuPerWorker: r(u.scan.ddb.wcu / m.workers, 4),
    scanRcuPerWorker: r(u.scan.ddb.rcu / m.workers, 4),
    conditionFailuresEstimated: u.month.ddb.conditionFailures,
    unmeteredDdbResponses: u.month.ddb.unmetered,
    sqsRequestsPer1000Deductions: r(
      ((countOf(u.intake.sqs) - u.intake.sqsEmptyReceives) / m.deductions) * 1000,
      1,
    ),
    sqsRequestsMonth: countOf(u.month.sqs) - u.month.sqsEmptyReceives,
    sqsEmptyReceivesMonth: u.month.sqsEmptyReceives,
    sqsByApi: u.month.sqs,
    s3Requests: u.month.s3,
    snsRequests: u.month.sns,
    ddbRequests: u.month.ddb.requests,
    lambdaInvocations: lambda.invocations,
    lambdaSeconds: r(lambda.ms / 1000, 1),
    lambdaGbSeconds: r(lambda.gbSeconds, 1),
    lambdaByFunction: Object.fromEntries(
      Object.entries(u.month.lambda).map(([k, v]) => [
        k,
        { invocations: v.invocations, seconds: r(v.ms / 1000, 1) },
      ]),
    ),
    logMb: r(u.month.logBytes / 2 ** 20, 1),
  };
};
export type MonthFigures = ReturnType<typeof monthFigures>;

const fmt = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 3 });
const row = (label: string, value: string, target = '') =>
  `${label.padEnd(46)} ${value.padStart(16)}  ${target}`;
const mark = (ok: boolean) => (ok ? 'meets' : 'SHORT');
/** `name value, name value` for a record of figures. */
const listed = (figures: Record<string, number>, show: (n: number) => string | number = fmt) =>
  Object.entries(figures)
    .map(([name, n]) => `${name} ${show(n)}`)
    .join(', ');

export const printReport = (
  print: (line: string) => void,
  input: {
    backend: string;
    months: readonly MonthFigures[];
    raw: RawWriteResult;
    peakRssMb: number;
    peakChildRssMb: number;
    bills: readonly { scale: string; lines: readonly BillLine[] }[];
    bigPool?: BigPoolResult;
  },
) => {
  for (const f of input.months) {
    print(
      `\n== ${input.backend}: month ${f.period} (${fmt(f.deductions)} deductions, ${fmt(f.workers)} workers, ${fmt(f.funded)} funded, ${f.runsCompleted} runs completed)`,
    );
    print(
      row(
        'phase seconds',
        listed(f.seconds, (s) => s),
      ),
    );
    print(row('phase peak RSS (MB)', listed(f.peakRssMbByPhase)));
    print(row('whole month wall time (s)', fmt(f.wallSeconds)));
    print(row('split+ingest rows/s', fmt(f.intakeRowsPerSecond)));
    print(row('raw BatchWriteItem items/s (same run)', fmt(f.rawBatchWriteItemsPerSecond)));
    print(
      row(
        'pipeline / raw limit',
        fmt(f.pipelineToRawRatio),
        `target >= 0.5: ${mark(f.pipelineToRawRatio >= 0.5)}`,
      ),
    );
    print(row('allocation workers/s', fmt(f.allocationWorkersPerSecond)));
    print(row('scan workers/s', fmt(f.scanWorkersPerSecond)));
    print(
      row('WCU per deduction', fmt(f.wcuPerDeduction), `target <= 1.1: ${mark(f.wcuPerDeduction <= 1.1)}`),
    );
    print(row('RCU per deduction', fmt(f.rcuPerDeduction)));
    print(
      row(
        'WCU per funded worker-month (allocation)',
        fmt(f.wcuPerFundedWorkerMonth),
        `target <= 2.2: ${mark(f.wcuPerFundedWorkerMonth <= 2.2)}`,
      ),
    );
    print(row('RCU per funded worker-month (allocation)', fmt(f.rcuPerFundedWorkerMonth)));
    print(
      row('scan WCU / RCU per worker per day', `${fmt(f.scanWcuPerWorker)} / ${fmt(f.scanRcuPerWorker)}`),
    );
    print(row('SQS requests per 1,000 deductions', fmt(f.sqsRequestsPer1000Deductions)));
    print(
      row(
        'SQS requests month (+ empty receives)',
        `${fmt(f.sqsRequestsMonth)} (+${fmt(f.sqsEmptyReceivesMonth)})`,
      ),
    );
    print(row('S3 requests', listed(f.s3Requests)));
    print(
      row(
        'Lambda invocations / summed seconds / GB-s',
        `${fmt(f.lambdaInvocations)} / ${fmt(f.lambdaSeconds)} / ${fmt(f.lambdaGbSeconds)}`,
      ),
    );
    print(row('conditional-write failures (WCU estimated)', fmt(f.conditionFailuresEstimated)));
  }
  print(
    row(
      '\npeak RSS, node process (MB)',
      fmt(Math.round(input.peakRssMb)),
      `target < 1024: ${mark(input.peakRssMb < 1024)}`,
    ),
  );
  if (input.peakChildRssMb > 0)
    print(row('peak RSS, DynamoDB Local JVM (MB)', fmt(Math.round(input.peakChildRssMb))));
  const b = input.bigPool;
  if (b) {
    print(
      `\n== chunked allocation: ${fmt(b.workers)}-worker pool measured, extrapolated to ${fmt(b.extrapolated.workers)} (linear)`,
    );
    print(row('chunk size (workers per invocation)', fmt(b.chunkSize)));
    print(row('per-chunk seconds mean / max', `${r(b.meanChunkSeconds)} / ${r(b.maxChunkSeconds)}`));
    print(row('planning step seconds (measured)', fmt(r(b.planningSeconds))));
    print(
      row(
        'planning ms / KB per worker',
        `${r(b.planningMsPerWorker, 4)} / ${r(b.planningBytesPerWorker / 1024, 2)}`,
      ),
    );
    print(
      row(
        `planning at ${fmt(b.extrapolated.workers)}: s / MB`,
        `${r(b.extrapolated.planningSeconds, 1)} / ${Math.round(b.extrapolated.planningMemoryMb)}`,
      ),
    );
    print(
      row('worst-case invocation at 1M (s, limit 900)', fmt(r(b.extrapolated.worstInvocationSeconds, 1))),
    );
    print(
      row(`whole run at 1M: ${b.extrapolated.chunks} invocations, s`, fmt(r(b.extrapolated.totalSeconds, 0))),
    );
  }
  for (const bill of input.bills) {
    print(`\n== projected monthly AWS bill, ${bill.scale} (USD, ap-southeast-3 list prices, verify)`);
    for (const l of bill.lines)
      print(
        `${l.service.padEnd(22)} ${l.item.padEnd(50)} ${fmt(r(l.units, 1)).padStart(16)} ${(`$${l.usd.toFixed(2)}`).padStart(12)}`,
      );
    print(`${'TOTAL'.padEnd(90)} ${(`$${billTotal(bill.lines).toFixed(2)}`).padStart(12)}`);
  }
};
