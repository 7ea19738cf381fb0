import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRef } from '#shared/console/alert-desk.ts';
import { FORBIDDEN_BODY } from '#shared/console/api.ts';
import { makeDevIssuer } from '#shared/console/dev-issuer.ts';
import type { Role } from '#shared/console/principal.ts';
import { ROUTES } from '#shared/console/routes.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';
import { nikOf, nipOf, POOL } from '../finance/history.ts';
import { type ConsoleFixture, FILE_DINKES, FILE_DISDIK, startConsoleFixture } from './console-fixture.ts';

/**
 * The console's authorization matrix (docs/console.md): every route × role × in-scope/out-of-scope,
 * through the real Lambda handler, tokens from the development issuer verified against its JWKS over
 * HTTP. "Out of scope" is the same request by a caller of the same role whose scope leaves it out
 * (a treasurer of another agency, ops and finance of other pools). Allowed means anything but 401/403;
 * refused means exactly 403 with the constant body.
 */

const cloud = useLocalCloud();
/** The AT_RISK alert of worker 1 (3 days left) in the fixture's pool. */
const AT_RISK_1 = alertRef(`AT_RISK#${POOL}#${nikOf(1)}#2026-05`);
let fx: ConsoleFixture;

type Case = {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  scoped: boolean;
};
const REQUESTS: Record<string, Case> = {
  me: { path: '/api/me', scoped: false },
  template: { path: '/api/template', scoped: false },
  upload: {
    method: 'POST',
    path: `/api/pools/${POOL}/agencies/DINKES/uploads`,
    body: { period: '2026-03', format: 'csv' },
    scoped: true,
  },
  files: { path: `/api/pools/${POOL}/agencies/DINKES/files`, query: { month: '2026-03' }, scoped: true },
  file: { path: `/api/files/${FILE_DINKES}`, scoped: true },
  // The fixture's file is neither pending nor its month's active version: allowed callers get 409.
  confirmFile: { method: 'POST', path: `/api/files/${FILE_DINKES}/confirm`, body: {}, scoped: true },
  withdrawFile: {
    method: 'POST',
    path: `/api/files/${FILE_DINKES}/withdraw`,
    body: { reason: 'salah kirim' },
    scoped: true,
  },
  alerts: { path: `/api/pools/${POOL}/alerts`, scoped: true },
  markHandled: {
    method: 'POST',
    path: `/api/pools/${POOL}/alerts/handled`,
    body: { ref: alertRef(`AT_RISK#${POOL}#${nikOf(2)}#2026-05`), note: 'dicek' },
    scoped: true,
  },
  runs: { path: `/api/pools/${POOL}/runs`, scoped: true },
  overview: { path: `/api/pools/${POOL}/overview`, scoped: true },
  reconciliation: { path: `/api/pools/${POOL}/reconciliation`, query: { month: '2026-02' }, scoped: true },
  bill: { path: `/api/pools/${POOL}/bill`, query: { month: '2026-02' }, scoped: true },
  balance: { path: `/api/pools/${POOL}/balance`, query: { asOf: '2026-03-31' }, scoped: true },
  statement: { path: `/api/donors/${nipOf(1)}/statement`, scoped: true },
  donors: { path: `/api/pools/${POOL}/agencies/DINKES/donors`, query: { month: '2026-03' }, scoped: true },
  coverage: { path: `/api/pools/${POOL}/alerts/${AT_RISK_1}/coverage`, scoped: true },
  forecast: { path: `/api/pools/${POOL}/forecast`, query: { date: '2026-04-20' }, scoped: true },
  agencyAllocations: {
    path: `/api/pools/${POOL}/allocations/agencies`,
    query: { month: '2026-02' },
    scoped: true,
  },
};

const WHO: Record<Role, Record<'in' | 'out', { pools: string[]; agency?: string }>> = {
  treasurer: { in: { pools: [POOL], agency: 'DINKES' }, out: { pools: [POOL], agency: 'DISDIK' } },
  ops: { in: { pools: ['15'] }, out: { pools: ['15.05', '16'] } },
  finance: { in: { pools: [POOL] }, out: { pools: ['15.05'] } },
};

const tokens = new Map<string, string>();
beforeAll(async () => {
  fx = await startConsoleFixture(cloud());
  for (const role of ['treasurer', 'ops', 'finance'] as const)
    for (const scope of ['in', 'out'] as const)
      tokens.set(`${role}/${scope}`, await fx.issuer.sign({ role, ...WHO[role][scope] }));
}, 180_000);
afterAll(() => fx?.close());

/** Personal data of the fixture (NIPs, NIKs, names) and the other agency's code. */
const LEAKS = [/\d{16}/, /Pekerja Nomor/, /DISDIK/];

const matrix = ROUTES.flatMap((route) =>
  (['treasurer', 'ops', 'finance'] as const).flatMap((role) =>
    (['in', 'out'] as const).map((scope) => ({
      route: route.name,
      role,
      scope,
      allowed: route.roles.includes(role) && (scope === 'in' || !REQUESTS[route.name]?.scoped),
    })),
  ),
);

describe('console authorization matrix', () => {
  it('has a request for every route, and 114 cells', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(ROUTES.map((r) => r.name).sort());
    expect(matrix).toHaveLength(ROUTES.length * 6);
    expect(matrix).toHaveLength(114);
  });

  it.each(matrix)(
    '$route as $role ($scope of scope): allowed=$allowed',
    async ({ route, role, scope, allowed }) => {
      const req = REQUESTS[route];
      if (req === undefined) throw new Error(`no request for ${route}`);
      const res = await fx.call({ ...req, token: tokens.get(`${role}/${scope}`) ?? '' });
      if (allowed) {
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      } else {
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body)).toEqual(FORBIDDEN_BODY);
      }
      if (res.status >= 400) for (const leak of LEAKS) expect(res.body).not.toMatch(leak);
    },
  );

  it.each(ROUTES.map((r) => r.name))('%s without a token, or with a forged one, is 401', async (route) => {
    const req = REQUESTS[route];
    if (req === undefined) throw new Error(`no request for ${route}`);
    const forger = await makeDevIssuer(fx.issuer.issuer);
    for (const token of [undefined, 'not-a-jwt', await forger.sign({ role: 'finance', pools: ['15'] })]) {
      const res = await fx.call({ ...req, ...(token === undefined ? {} : { token }) });
      expect(res.status).toBe(401);
      for (const leak of LEAKS) expect(res.body).not.toMatch(leak);
    }
  });
});

describe('console routes answer what each role works from', () => {
  const as = (role: Role) => tokens.get(`${role}/in`) ?? '';

  it('gives a treasurer a presigned PUT that lands the file at the intake key of their agency', async () => {
    const res = await fx.call({
      ...REQUESTS.upload,
      path: REQUESTS.upload?.path ?? '',
      token: as('treasurer'),
    });
    expect(res.status).toBe(201);
    const { key, url, headers } = JSON.parse(res.body) as {
      key: string;
      url: string;
      headers: Record<string, string>;
    };
    expect(key).toBe(`incoming/payroll/${POOL}/2026-03/DINKES.csv`);
    const put = await fetch(url, { method: 'PUT', body: 'NIP;Nama;Periode;Jumlah\r\n', headers });
    expect(put.status).toBe(200);
    const listed = await cloud().clients.s3.send(
      new ListObjectsV2Command({ Bucket: cloud().names.buckets.intake, Prefix: 'incoming/payroll/' }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key)).toContain(key);
  });

  it("shows a treasurer their file with its rejected rows, and the other agency's file is 403", async () => {
    const mine = await fx.call({ path: `/api/files/${FILE_DINKES}`, token: as('treasurer') });
    const body = JSON.parse(mine.body) as { status: string; rejections: string[][] };
    expect(body.status).toBe('PARTIALLY_REJECTED');
    expect(body.rejections).toEqual([
      ['7', 'NIP', '19860926*********1', 'NIP_INVALID', 'NIP harus 18 angka', 'NIP must be 18 digits'],
    ]);
    const theirs = await fx.call({ path: `/api/files/${FILE_DISDIK}`, token: as('treasurer') });
    expect(theirs.status).toBe(403);
    const unknown = await fx.call({ path: `/api/files/${'c'.repeat(24)}`, token: as('treasurer') });
    expect(unknown.body).toBe(theirs.body);
  });

  it('lists alerts most urgent first with masked subjects, and keeps every handled note', async () => {
    const list = async () =>
      JSON.parse((await fx.call({ path: `/api/pools/${POOL}/alerts`, token: as('ops') })).body) as {
        items: { ref: string; subject: string; daysUntilDue: number; handled?: { note: string } }[];
      };
    const before = await list();
    // The matrix above marked the 9-day alert handled: open ones come first, then the handled.
    expect(before.items.map((a) => [a.daysUntilDue, a.handled !== undefined])).toEqual([
      [3, false],
      [9, true],
    ]);
    expect(before.items.every((a) => /\*/.test(a.subject) && !/\d{16}/.test(a.subject))).toBe(true);
    const ref = before.items[0]?.ref ?? '';
    for (const note of ['ditelepon, dana menyusul', 'dana masuk'])
      expect(
        (
          await fx.call({
            method: 'POST',
            path: `/api/pools/${POOL}/alerts/handled`,
            body: { ref, note },
            token: as('ops'),
          })
        ).status,
      ).toBe(201);
    const after = await list();
    expect(after.items.find((a) => a.ref === ref)).toMatchObject({ handled: { note: 'dana masuk' } });
    const notes = await cloud().clients.ddb.send(
      new QueryCommand({
        TableName: cloud().names.tables.ledger,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `HANDLED#${POOL}` },
      }),
    );
    expect((notes.Items ?? []).filter((n) => String(n.sk).startsWith(ref)).map((n) => n.note)).toEqual(
      expect.arrayContaining(['ditelepon, dana menyusul', 'dana masuk']),
    );
  });

  it('gives finance a balanced reconciliation and a bill whose total line equals its lines', async () => {
    const rec = JSON.parse(
      (
        await fx.call({
          ...REQUESTS.reconciliation,
          path: REQUESTS.reconciliation?.path ?? '',
          token: as('finance'),
        })
      ).body,
    ) as { balanced: boolean; allocated: number };
    expect(rec.balanced).toBe(true);
    const bill = await fx.call({ ...REQUESTS.bill, path: REQUESTS.bill?.path ?? '', token: as('finance') });
    expect(bill.headers['content-disposition']).toContain('tagihan-bpjs-15.04-2026-02.csv');
    const lines = bill.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(';'));
    const total = lines.at(-1);
    expect(total?.[0]).toBe('TOTAL');
    const sumLines = lines.slice(0, -1).reduce((s, l) => s + Number(l.at(-1)), 0);
    expect(Number(total?.at(-1))).toBe(sumLines);
    expect(sumLines).toBe(rec.allocated);
    expect(bill.body).not.toMatch(/\d{16}/);
  });
});

describe('the report pages answer from the finance use cases, masked', () => {
  const as = (role: Role) => tokens.get(`${role}/in`) ?? '';
  const get = async <T>(path: string, role: Role, query?: Record<string, string>): Promise<T> => {
    const res = await fx.call({ path, token: as(role), ...(query === undefined ? {} : { query }) });
    expect(res.status, res.body).toBe(200);
    return JSON.parse(res.body) as T;
  };

  it("gives a treasurer the rejection report as XLSX with the CSV's rows, and not another agency's", async () => {
    const csv = await fx.call({
      path: `/api/files/${FILE_DINKES}`,
      query: { format: 'csv' },
      token: as('treasurer'),
    });
    const res = await fx.call({
      path: `/api/files/${FILE_DINKES}`,
      query: { format: 'xlsx' },
      token: as('treasurer'),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('penolakan-DINKES-2026-03.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(res.body, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Penolakan');
    const cells: string[][] = [];
    sheet?.eachRow((row) => {
      cells.push((row.values as unknown[]).slice(1).map(String));
    });
    const csvRows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(';'));
    expect(cells).toEqual(csvRows);
    expect(cells[1]?.[2]).toBe('19860926*********1');
    const theirs = await fx.call({
      path: `/api/files/${FILE_DISDIK}`,
      query: { format: 'xlsx' },
      token: as('treasurer'),
    });
    expect(theirs.status).toBe(403);
  });

  it("lists a treasurer's donors of the month with masked NIPs; the uncommitted chunk counts nowhere", async () => {
    const body = await get<{
      donors: number;
      total: number;
      items: { nip: string; amount: number; rows: number }[];
    }>(`/api/pools/${POOL}/agencies/DINKES/donors`, 'treasurer', { month: '2026-03' });
    const mine = fx.history.credits.filter((c) => c.period === '2026-03' && c.agency === 'DINKES');
    expect(body.donors).toBe(new Set(mine.map((c) => c.nip)).size);
    expect(body.donors).toBe(9);
    expect(body.total).toBe(mine.reduce((t, c) => t + c.amount, 0));
    expect(body.items.reduce((t, d) => t + d.amount, 0)).toBe(body.total);
    expect(body.items.every((d) => /^\d{4}\*{12}\d{2}$/.test(d.nip))).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/\d{18}|999000/);
  });

  it("shows ops a worker's coverage month by month, as allocationsByNik has it, NIK and name masked", async () => {
    const body = await get<{
      subject: string;
      name?: string;
      months: { month: string; funded: boolean; amount?: number; tier?: string }[];
    }>(`/api/pools/${POOL}/alerts/${AT_RISK_1}/coverage`, 'ops');
    const expected = await fx.history.queries.allocationsByNik({ pool: POOL, nik: nikOf(1) });
    expect(expected.items.length).toBeGreaterThan(0);
    expect(body.months.map((m) => m.month)).toEqual(['2026-04', '2026-03', '2026-02', '2026-01']);
    expect(body.months.filter((m) => m.funded).map((m) => [m.month, m.amount, m.tier])).toEqual(
      expected.items
        .map((e) => [e.month, e.amount, e.tier])
        .sort((a, b) => String(b[0]).localeCompare(String(a[0]))),
    );
    expect(body.subject).toBe('1504**********01');
    expect(body.name).toBe('P*** N*** 1***');
    expect(JSON.stringify(body)).not.toMatch(/\d{16}|Pekerja/);
    const unknown = await fx.call({
      path: `/api/pools/${POOL}/alerts/${'0'.repeat(20)}/coverage`,
      token: as('ops'),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toMatch(/\d{16}/);
  });

  it('gives ops and finance the same 12-month forecast, its runway within it', async () => {
    const ops = await get<{
      months: { closing: number; active: number }[];
      runwayMonths: number;
      start: string;
    }>(`/api/pools/${POOL}/forecast`, 'ops', { date: '2026-04-20' });
    const fin = await get<typeof ops>(`/api/pools/${POOL}/forecast`, 'finance', { date: '2026-04-20' });
    expect(fin).toEqual(ops);
    expect(ops.months).toHaveLength(12);
    expect(ops.start).toBe('2026-05');
    // On 2026-04-20 the pool's 45 workers are active (funded through April): the projection counts them.
    expect(ops.months[0]?.active).toBe(45);
    expect(ops.runwayMonths).toBeGreaterThanOrEqual(0);
    expect(ops.runwayMonths).toBeLessThanOrEqual(12);
  });

  it("splits a month's allocations by agency exactly as allocationsByAgency does, adding up to the pool's", async () => {
    const body = await get<{
      funding: { payrollFunded: number };
      items: { agency: string; rupiah: number; donors: number; netDeduction: number }[];
    }>(`/api/pools/${POOL}/allocations/agencies`, 'finance', { month: '2026-02' });
    expect(body.items.map((i) => i.agency)).toEqual(['DINKES', 'DISDIK', 'SETDA']);
    for (const item of body.items) {
      const share = await fx.history.queries.allocationsByAgency({
        pool: POOL,
        month: '2026-02',
        agency: item.agency,
      });
      expect(item).toMatchObject({
        rupiah: share.rupiah,
        donors: share.donors,
        netDeduction: share.netDeduction,
      });
    }
    expect(body.items.reduce((t, i) => t + i.rupiah, 0)).toBe(body.funding.payrollFunded);
    expect(body.funding.payrollFunded).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/\d{16}|\d{18}/);
  });
});
