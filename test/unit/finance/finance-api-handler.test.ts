import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import { makeHandler } from '#functions/finance-api/handler.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { financeAccess, iamContext } from '#test/support/audit.ts';
import { allocationEntry, fundedMonth, fundedRun as run } from '#test/support/run-records.ts';
import { fakeFinance } from './fakes.ts';

const NIK = '1504014107900001';
const NIP = '198609262015051001';

const event = (
  path: string,
  query: Record<string, string> = {},
  accept = 'application/json',
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { accept },
    queryStringParameters: Object.keys(query).length === 0 ? undefined : query,
    requestContext: { http: { method: 'GET', path }, ...iamContext() },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const hostileName = (i: number) => ({ name: `=HYPERLINK("x") Pekerja ${i}` });
const entry = (i: number, month = '2026-02'): AllocationEntry => allocationEntry(i, month, hostileName(i));

let fake: ReturnType<typeof fakeFinance>;
let handle: ReturnType<typeof makeHandler>;
beforeEach(() => {
  fake = fakeFinance();
  const february = fundedMonth('2026-02', [0, 1, 2, 3, 4].map(hostileName));
  fake.runs.push(february.run);
  fake.entries.push(...february.entries);
  fake.rows.push({
    pool: '15.04',
    period: '2026-02',
    agency: 'DINKES',
    nip: NIP,
    fileId: 'f1',
    kind: 'DEDUCTION',
    amount: 84_000,
    chunkId: 'f1#0',
    recordedAt: '2026-02-02T00:00:00.000Z',
  });
  fake.summaries.push({
    pool: '15.04',
    kind: 'DEDUCTION',
    period: '2026-02',
    agency: 'DINKES',
    chunkId: 'f1#0',
    total: 84_000,
    rows: 1,
    recordedAt: '2026-02-02T00:00:00.000Z',
  });
  handle = makeHandler({ queries: makeFinanceQueries(fake.deps), ...financeAccess() });
});

const body = (r: Awaited<ReturnType<typeof handle>>) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('finance API: caller mistakes are clear 4xx answers', () => {
  it.each([
    ['a malformed month', '/pools/15.04/allocations', { month: '2026-13' }, 'BAD_REQUEST'],
    ['a month in another format', '/pools/15.04/reconciliation', { month: 'Feb 2026' }, 'BAD_REQUEST'],
    ['a malformed pool', '/pools/abc/bill', { month: '2026-02' }, 'BAD_REQUEST'],
    [
      'a non-numeric limit',
      '/pools/15.04/allocations',
      { month: '2026-02', limit: '10; drop' },
      'BAD_REQUEST',
    ],
    ['a zero limit', '/pools/15.04/allocations', { month: '2026-02', limit: '0' }, 'BAD_REQUEST'],
    [
      'two filters at once',
      '/pools/15.04/allocations',
      { month: '2026-02', nik: NIK, agency: 'DINKES' },
      'BAD_REQUEST',
    ],
    ['no month for a month list', '/pools/15.04/allocations', {}, 'BAD_REQUEST'],
    ['an unknown parameter', '/pools/15.04/bill', { month: '2026-02', sort: 'name' }, 'BAD_REQUEST'],
    [
      'a forged next token',
      '/pools/15.04/allocations',
      { month: '2026-02', next: 'not-a-token' },
      'TOKEN_INVALID',
    ],
    ['a malformed NIP', `/donors/12345/statement`, {}, 'BAD_REQUEST'],
    ['a malformed asOf', '/pools/15.04/balance', { asOf: '31/02/2026' }, 'BAD_REQUEST'],
    [
      'unmasking a list',
      '/pools/15.04/allocations',
      { month: '2026-02', unmasked: 'true' },
      'UNMASK_NOT_ALLOWED',
    ],
    [
      'a bad unmasked flag',
      '/pools/15.04/allocations',
      { month: '2026-02', nik: NIK, unmasked: 'yes' },
      'BAD_REQUEST',
    ],
  ])('400 for %s', async (_, path, query, code) => {
    const res = await handle(event(path, query));
    expect(res.statusCode).toBe(400);
    // The code the caller can act on, not just any code.
    expect(body(res)).toEqual({ code, message: expect.any(String) });
    expect(String(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('404 for an unknown pool, an unknown route and a month never allocated; 403 for an unknown donor', async () => {
    const responses = await Promise.all([
      handle(event('/pools/15.99/reconciliation', { month: '2026-02' })),
      handle(event('/pools/15.04/forecast')),
      handle(event('/pools/15.04/reconciliation', { month: '2026-01' })),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([404, 404, 404]);
    expect(responses.map((r) => body(r).code)).toEqual([
      'POOL_UNKNOWN',
      'ROUTE_UNKNOWN',
      'MONTH_NOT_ALLOCATED',
    ]);
    // A NIP never seen answers as one outside the caller's pools: nothing says whether a donor exists.
    const donor = await handle(event('/donors/197503142000121002/statement'));
    expect(donor.statusCode).toBe(403);
    expect(body(donor).code).toBe('FORBIDDEN');
  });

  it('422 for a month or a date in the future', async () => {
    const month = await handle(event('/pools/15.04/bill', { month: '2026-04' }));
    const date = await handle(event('/pools/15.04/balance', { asOf: '2027-01-01' }));
    expect([month.statusCode, date.statusCode]).toEqual([422, 422]);
    expect([body(month).code, body(date).code]).toEqual(['MONTH_IN_FUTURE', 'DATE_IN_FUTURE']);
  });

  it('413 for a page size above 1000', async () => {
    const res = await handle(event('/pools/15.04/allocations', { month: '2026-02', limit: '1001' }));
    expect(res.statusCode).toBe(413);
    expect(body(res).code).toBe('PAGE_TOO_LARGE');
  });

  it('500 with a generic message when something breaks inside, never the error itself', async () => {
    fake.failing.error = new Error(`table sertakan-prod-ledger exploded for NIK ${NIK}`);
    const res = await handle(event('/pools/15.04/allocations', { month: '2026-02' }));
    expect(res.statusCode).toBe(500);
    expect(body(res)).toEqual({ code: 'INTERNAL', message: expect.any(String) });
    expect(String(res.body)).not.toContain(NIK);
    expect(String(res.body)).not.toContain('sertakan-prod-ledger');
  });
});

describe('finance API: answers', () => {
  it('pages allocations with masked personal data and a working next token', async () => {
    const first = await handle(event('/pools/15.04/allocations', { month: '2026-02', limit: '3' }));
    const one = body(first) as { items: AllocationEntry[]; next?: string };
    expect(one.items).toHaveLength(3);
    expect(one.items[0]?.nik).toBe('1504**********00');
    expect(one.items[0]?.name).not.toContain('Pekerja');
    const second = body(
      await handle(event('/pools/15.04/allocations', { month: '2026-02', limit: '3', next: one.next ?? '' })),
    );
    expect((second.items as unknown[]).length).toBe(2);
    expect(second.next).toBeUndefined();
  });

  it('shows a single worker in full only when asked', async () => {
    const nik = entry(2).nik;
    const masked = body(await handle(event('/pools/15.04/allocations', { nik })));
    const full = body(await handle(event('/pools/15.04/allocations', { nik, unmasked: 'true' })));
    expect((masked.items as AllocationEntry[])[0]?.nik).not.toBe(nik);
    expect((full.items as AllocationEntry[])[0]?.nik).toBe(nik);
  });

  it('serves a bill as CSV for Indonesian Excel when asked, formula injection neutralised', async () => {
    const res = await handle(event('/pools/15.04/bill', { month: '2026-02' }, 'text/csv'));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/csv/);
    const text = String(res.body);
    expect(text.startsWith('\uFEFFkpj;nik;nama;paket;jumlah\r\n')).toBe(true);
    expect(text).toContain(";'=*** P*** 0***;");
    expect(text).not.toMatch(/;=/);
    expect(text.trimEnd().split('\r\n').at(-1)).toBe('TOTAL;5;;;84000');
  });

  it('gives a donor statement whose share is the whole payroll-funded month for a sole donor', async () => {
    const res = body(await handle(event(`/donors/${NIP}/statement`, { unmasked: 'true' })));
    expect(res.nip).toBe(NIP);
    expect(res.totals).toEqual({ net: 84_000, rupiah: 84_000, workerMonths: '5.00' });
  });
});

describe('finance API: month files are handed out as short-lived links, not bodies', () => {
  it('answers an export with a presigned URL, and 404 EXPORT_NOT_READY before the file exists', async () => {
    const keys: string[] = [];
    const links = {
      link: async (key: string) => {
        keys.push(key);
        return key.includes('2026-02')
          ? {
              url: `http://127.0.0.1:4569/reports/${key}?X-Amz-Signature=x`,
              expiresAt: '2026-03-20T00:05:00.000Z',
            }
          : undefined;
      },
    };
    const h = makeHandler({
      queries: makeFinanceQueries({ ...fake.deps, exports: links }),
      ...financeAccess(),
    });
    for (const kind of ['bill', 'allocations', 'shares']) {
      const res = await h(event(`/pools/15.04/exports/${kind}`, { month: '2026-02' }));
      expect(res.statusCode).toBe(200);
      expect(body(res)).toMatchObject({
        pool: '15.04',
        month: '2026-02',
        kind,
        url: expect.stringContaining('2026-02'),
      });
    }
    expect(keys).toEqual([
      'reports/bpjs-bill/15.04/2026-02.csv',
      'reports/allocations/15.04/2026-02.csv',
      'reports/shares/15.04/2026-02.csv',
    ]);
    const missing = await h(event('/pools/15.04/exports/bill', { month: '2026-01' }));
    expect(missing.statusCode).toBe(404);
    expect(body(missing)).toMatchObject({ code: 'EXPORT_NOT_READY' });
    const bad = await h(event('/pools/15.04/exports/payroll', { month: '2026-02' }));
    expect(bad.statusCode).toBe(400);
  });
});

describe('finance API: the run list pages with a stable cursor', () => {
  it('walks every run once, oldest first, in pages of `limit`', async () => {
    fake.runs.unshift(run('2026-01', 3));
    fake.runs.push({ ...run('2026-02', 1), seq: 2, runId: '15.04/2026-02/002' });
    const ids: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await handle(event('/pools/15.04/runs', { limit: '2', ...(next ? { next } : {}) }));
      expect(res.statusCode).toBe(200);
      const b = body(res) as { items: { runId: string }[]; next?: string };
      expect(b.items.length).toBeLessThanOrEqual(2);
      ids.push(...b.items.map((r) => r.runId));
      next = b.next;
      pages++;
    } while (next !== undefined);
    expect(ids).toEqual(['15.04/2026-01/001', '15.04/2026-02/001', '15.04/2026-02/002']);
    expect(pages).toBe(2);
  });
});
