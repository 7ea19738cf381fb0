import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KIND_INFO, ALERT_KINDS } from '#domain/alert-kinds.ts';
import type { Alert } from '#domain/alerts.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbWorkerRegistry } from '#shared/adapters/dynamodb-worker-registry.ts';
import { FORBIDDEN_BODY } from '#shared/console/api.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { nikOf, POOL } from '../finance/history.ts';
import { type ConsoleFixture, startConsoleFixture } from './console-fixture.ts';

/**
 * Ops on a crisis month (docs/console.md#alerts): 1,200 alerts of June 2026 in one pool, through the
 * real console handler on the emulators. The API pages through all of them with no cap, the most
 * urgent first (every critical one before any warning), counts them by kind, filters by day, kind and
 * severity; a worker is found by NIK or KPJ with their coverage history and what to do.
 */

const cloud = useLocalCloud();
let fx: ConsoleFixture;
let ops = '';
const MONTH = '2026-06';
const nik = (i: number) => `150401${String(i).padStart(10, '0')}`;

/** 1,200 alerts of June, as the scan records them (severity WARNING for all but the late run). */
function crisis(): { early: Alert[]; late: Alert[] } {
  const worker = (kind: Alert['kind'], i: number, details: Alert['details'], days?: number): Alert => ({
    id: `${kind}#${POOL}#${nik(i)}#${MONTH}`,
    kind,
    pool: POOL,
    month: MONTH,
    subject: nik(i),
    subjectType: 'WORKER',
    severity: kind === 'LAPSED' ? 'CRITICAL' : 'WARNING',
    ...(days === undefined ? {} : { daysUntilDue: days }),
    details,
  });
  const early: Alert[] = [];
  const late: Alert[] = [];
  for (let i = 0; i < 450; i++)
    early.push(worker('AT_RISK', i, { tier: 'JKK_JKM', unpaidMonths: 0, wouldBeUnpaidMonth: 1 }, 12));
  // The last funded month before lapse: a third unpaid month would end the coverage.
  for (let i = 450; i < 550; i++)
    early.push(worker('AT_RISK', i, { tier: 'JKK_JKM', unpaidMonths: 2, wouldBeUnpaidMonth: 3 }, 12));
  for (let i = 550; i < 1050; i++)
    late.push(worker('UNFUNDED', i, { tier: 'JKK_JKM', unpaidMonths: 1, paidThrough: '2026-05' }));
  for (let i = 1050; i < 1150; i++)
    late.push(worker('LAPSED', i, { tier: 'JKK_JKM', unpaidMonths: 3, paidThrough: '2026-03' }));
  for (let i = 0; i < 49; i++)
    early.push({
      id: `FILE_MISSING#${POOL}#AG${i}#${MONTH}`,
      kind: 'FILE_MISSING',
      pool: POOL,
      month: MONTH,
      subject: `AG${i}`,
      subjectType: 'AGENCY',
      severity: 'WARNING',
      details: { cutoff: '2026-06-05', previousPeriodDelivered: 'yes' },
    });
  late.push({
    id: `ALLOCATION_LATE#${POOL}#${POOL}#${MONTH}`,
    kind: 'ALLOCATION_LATE',
    pool: POOL,
    month: MONTH,
    subject: POOL,
    subjectType: 'POOL',
    severity: 'CRITICAL',
    daysUntilDue: 1,
    details: { state: 'no run' },
  });
  return { early, late };
}

type Item = {
  ref: string;
  kind: string;
  severity: string;
  subject: string;
  daysLeft: number;
  dueDate: string;
  firstSeen: string;
  cause: { id: string; en: string };
};
type Page = {
  month: string;
  months: string[];
  counts: Record<string, number>;
  severities: Record<string, number>;
  total: number;
  items: Item[];
  next?: string;
};

const get = async (query: Record<string, string>, token = ops) =>
  fx.call({ path: `/api/pools/${POOL}/alerts`, query, token });

async function allPages(query: Record<string, string>): Promise<{ pages: Page[]; items: Item[] }> {
  const pages: Page[] = [];
  let next: string | undefined;
  do {
    const res = await get({ ...query, ...(next === undefined ? {} : { next }) });
    expect(res.status, res.body).toBe(200);
    const page = JSON.parse(res.body) as Page;
    pages.push(page);
    next = page.next;
  } while (next !== undefined);
  return { pages, items: pages.flatMap((p) => p.items) };
}

beforeAll(async () => {
  fx = await startConsoleFixture(cloud());
  const { ddb } = cloud().clients;
  const log = new DynamoDbAlertLog({ ddb, tableName: cloud().names.tables.ledger });
  const { early, late } = crisis();
  await log.record(early, '2026-06-03');
  await log.record(late, '2026-06-12');
  const workers = new DynamoDbWorkerRegistry({ ddb, tableName: cloud().names.tables.registry });
  const enrollment = {
    pool: POOL,
    nik: nikOf(1),
    name: 'Pekerja Nomor 1',
    kpj: '26000000001',
    tier: 'JKK_JKM' as const,
    occupation: 'petani',
    enrolledOn: '2025-12-02',
    updatedAt: '2025-12-02T00:00:00.000Z',
    fileId: 'f1',
  };
  await workers.recordChange({
    pool: POOL,
    nik: nikOf(1),
    change: 'ENROLLED',
    after: enrollment,
    recordedAt: enrollment.updatedAt,
    fileId: 'f1',
    line: 2,
  });
  ops = await fx.issuer.sign({ role: 'ops', pools: ['15'] });
}, 240_000);
afterAll(() => fx?.close());

describe('the ops alert API on a crisis month', () => {
  it('pages through 1,200 alerts with no cap, every critical one before any warning', async () => {
    const { pages, items } = await allPages({ month: MONTH, limit: '250' });
    expect(pages).toHaveLength(5);
    expect(pages.every((p) => p.total === 1200)).toBe(true);
    expect(items).toHaveLength(1200);
    expect(new Set(items.map((a) => a.ref)).size).toBe(1200);
    // Graded by the domain's rule: UNFUNDED, LAPSED, ALLOCATION_LATE and the last funded month
    // before lapse are critical, whatever the scan recorded.
    const critical = items.filter((a) => a.severity === 'CRITICAL');
    expect(critical).toHaveLength(1 + 100 + 500 + 100);
    const lastCritical = items.map((a) => a.severity).lastIndexOf('CRITICAL');
    expect(lastCritical).toBe(critical.length - 1);
    expect(new Set(critical.map((a) => a.kind))).toEqual(
      new Set(['ALLOCATION_LATE', 'LAPSED', 'UNFUNDED', 'AT_RISK']),
    );
    // Within the critical ones, the registry's order of kinds: the late run first.
    expect(items[0]?.kind).toBe('ALLOCATION_LATE');
    expect(items.filter((a) => a.kind === 'AT_RISK' && a.severity === 'WARNING')).toHaveLength(450);
    // Each carries its cause and the days left to June's due date (Monday 15 June 2026).
    expect(items.every((a) => a.dueDate === '2026-06-15' && Number.isInteger(a.daysLeft))).toBe(true);
    const lastMonthBeforeLapse = items.find((a) => a.cause.id.startsWith('Bulan terakhir sebelum berhenti'));
    expect(lastMonthBeforeLapse?.severity).toBe('CRITICAL');
    expect(items.every((a) => a.cause.id.length > 10 && !/\d{16}/.test(a.subject))).toBe(true);
    // Counts by kind cover every kind of the registry, and the month's whole list.
    expect(Object.keys(pages[0]?.counts ?? {}).sort()).toEqual([...ALERT_KINDS].sort());
    expect(pages[0]?.counts).toMatchObject({
      AT_RISK: 550,
      UNFUNDED: 500,
      LAPSED: 100,
      FILE_MISSING: 49,
      ALLOCATION_LATE: 1,
    });
    expect(pages[0]?.severities).toEqual({ CRITICAL: 701, WARNING: 499 });
    expect(pages[0]?.months.slice(0, 2)).toEqual([MONTH, '2026-05']);
  }, 120_000);

  it('filters by the day first seen, by kind and by severity, and refuses a token of another filter', async () => {
    const day = JSON.parse((await get({ month: MONTH, day: '2026-06-12', limit: '500' })).body) as Page;
    expect(day.total).toBe(601);
    expect(day.items.every((a) => a.firstSeen === '2026-06-12')).toBe(true);
    expect(day.next).toBeDefined();
    const unfunded = await allPages({ month: MONTH, kind: 'UNFUNDED', limit: '400' });
    expect(unfunded.items).toHaveLength(500);
    expect(unfunded.items.every((a) => a.kind === 'UNFUNDED')).toBe(true);
    const warnings = await allPages({ month: MONTH, severity: 'WARNING', limit: '500' });
    expect(warnings.items).toHaveLength(499);
    const may = JSON.parse((await get({ month: '2026-05' })).body) as Page;
    expect(may.total).toBe(2);
    const wrong = await get({ month: MONTH, kind: 'LAPSED', next: day.next ?? '' });
    expect(wrong.status).toBe(400);
    expect((await get({ kind: 'NOT_A_KIND' })).status).toBe(400);
  }, 60_000);

  it('finds a worker by NIK or KPJ with their coverage history and what to do, masked', async () => {
    const search = (body: unknown, token = ops) =>
      fx.call({ method: 'POST', path: `/api/pools/${POOL}/workers/search`, body, token });
    const byNik = await search({ nik: nikOf(1) });
    expect(byNik.status, byNik.body).toBe(200);
    const found = JSON.parse(byNik.body) as {
      subject: string;
      name: string;
      months: { month: string; funded: boolean }[];
      alerts: { kind: string; action: { id: string } }[];
    };
    expect(found.subject).toBe('1504**********01');
    expect(found.months.map((m) => m.month)).toEqual(['2026-04', '2026-03', '2026-02', '2026-01']);
    expect(found.alerts.map((a) => a.kind)).toEqual(['AT_RISK']);
    expect(found.alerts[0]?.action.id).toBe(ALERT_KIND_INFO.AT_RISK.action.id);
    expect(byNik.body).not.toMatch(/\d{16}|Pekerja Nomor/);
    const byKpj = await search({ kpj: '26000000001' });
    expect(JSON.parse(byKpj.body)).toEqual(found);
    // Unknown, and a worker of the pool searched by ops of another pool: 404 and the constant 403.
    expect((await search({ nik: nikOf(40) })).status).toBe(404);
    expect((await search({ kpj: '26000000099' })).status).toBe(404);
    const other = await search({ nik: nikOf(1) }, await fx.issuer.sign({ role: 'ops', pools: ['15.05'] }));
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body)).toEqual(FORBIDDEN_BODY);
  }, 60_000);
});
