import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeps as buildFinanceDeps,
  makeHandler as makeFinanceHandler,
} from '#functions/finance-api/handler.ts';
import { alertRef } from '#shared/adapters/dynamodb-alert-desk.ts';
import { DynamoDbAuditTrail } from '#shared/adapters/dynamodb-audit-trail.ts';
import { DynamoDbChangeRequests } from '#shared/adapters/dynamodb-change-requests.ts';
import { FORBIDDEN_BODY } from '#shared/console/api.ts';
import type { Role } from '#shared/console/principal.ts';
import { ROUTES } from '#shared/console/routes.ts';
import { makeDevIssuer } from '#shared/local-cloud/dev-issuer.ts';
import { startLocalConsole } from '#shared/local-cloud/local-console.ts';
import { LocalUserDirectory } from '#shared/local-cloud/local-users.ts';
import { ACCESS_DENIED_BODY } from '#shared/runtime/http-handler.ts';
import { makeFourEyes } from '#shared/use-cases/four-eyes.ts';
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
    body: { period: '2026-03', format: 'csv', size: 25 },
    scoped: true,
  },
  files: { path: `/api/pools/${POOL}/agencies/DINKES/files`, query: { month: '2026-03' }, scoped: true },
  'agency-columns': { path: `/api/pools/${POOL}/agencies/DINKES/columns`, scoped: true },
  'agency-columns-save': {
    method: 'POST',
    path: `/api/pools/${POOL}/agencies/DINKES/columns`,
    body: { columns: { POTSERTAK: 'jumlah' } },
    scoped: true,
  },
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
  // The fixture enrolls no worker in the registry: allowed callers get 404.
  workerSearch: {
    method: 'POST',
    path: `/api/pools/${POOL}/workers/search`,
    body: { nik: nikOf(1) },
    scoped: true,
  },
  forecast: { path: `/api/pools/${POOL}/forecast`, query: { date: '2026-04-20' }, scoped: true },
  agencyAllocations: {
    path: `/api/pools/${POOL}/allocations/agencies`,
    query: { month: '2026-02' },
    scoped: true,
  },
  pools: { path: '/api/pools', query: { area: POOL }, scoped: true },
  areaMonth: { path: `/api/areas/${POOL}/month`, query: { month: '2026-02' }, scoped: true },
  changes: { path: '/api/changes', scoped: false },
  audit: { path: '/api/audit', query: { from: '2026-01-01' }, scoped: false },
};

/**
 * Four scopes per role. `in`: the scope that holds the fixture's pool (treasurer: exactly it and
 * DINKES). `out`: another agency or other pools. `broader`: a code above the pool (a treasurer of `15`:
 * refused, a treasurer's pool is exact; ops and finance of `15`: allowed, theirs are prefixes).
 * `narrower`: a code under the pool (`15.04.01`, a treasurer of village 15.04.01.2001): refused for all.
 */
const SCOPES = ['in', 'out', 'broader', 'narrower'] as const;
type Scope = (typeof SCOPES)[number];
const WHO: Record<Role, Record<Scope, { pools: string[]; agency?: string }>> = {
  treasurer: {
    in: { pools: [POOL], agency: 'DINKES' },
    out: { pools: [POOL], agency: 'DISDIK' },
    broader: { pools: ['15'], agency: 'DINKES' },
    narrower: { pools: [`${POOL}.01.2001`], agency: 'DINKES' },
  },
  ops: {
    in: { pools: [POOL] },
    out: { pools: ['15.05', '16'] },
    broader: { pools: ['15'] },
    narrower: { pools: [`${POOL}.01`] },
  },
  finance: {
    in: { pools: [POOL] },
    out: { pools: ['15.05'] },
    broader: { pools: ['15'] },
    narrower: { pools: [`${POOL}.01`] },
  },
};
const allowedIn = (role: Role, scope: Scope): boolean =>
  scope === 'in' || (scope === 'broader' && role !== 'treasurer');

const tokens = new Map<string, string>();
beforeAll(async () => {
  fx = await startConsoleFixture(cloud());
  for (const role of ['treasurer', 'ops', 'finance'] as const)
    for (const scope of SCOPES)
      tokens.set(`${role}/${scope}`, await fx.issuer.sign({ role, ...WHO[role][scope] }));
}, 180_000);
afterAll(() => fx?.close());

/** Personal data of the fixture (NIPs, NIKs, names) and the other agency's code. */
const LEAKS = [/\d{16}/, /Pekerja Nomor/, /DISDIK/];

const matrix = ROUTES.flatMap((route) =>
  (['treasurer', 'ops', 'finance'] as const).flatMap((role) =>
    SCOPES.map((scope) => ({
      route: route.name,
      role,
      scope,
      allowed: route.roles.includes(role) && (allowedIn(role, scope) || !REQUESTS[route.name]?.scoped),
    })),
  ),
);

describe('console authorization matrix', () => {
  it('has a request for every route, and 312 cells', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(ROUTES.map((r) => r.name).sort());
    expect(matrix).toHaveLength(ROUTES.length * 12);
    expect(matrix).toHaveLength(312);
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
    // The size and type are signed: another body size is refused, the declared one lands.
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    // s3rver does not check signed headers (AWS S3 does): show the size is in the signature instead.
    const other = await fx.call({
      ...REQUESTS.upload,
      path: REQUESTS.upload?.path ?? '',
      body: { period: '2026-03', format: 'csv', size: 2_000_000 },
      token: as('treasurer'),
    });
    const sig = (u: string) => new URL(u).searchParams.get('X-Amz-Signature');
    expect(sig((JSON.parse(other.body) as { url: string }).url)).not.toBe(sig(url));
    const tooBig = await fx.call({
      ...REQUESTS.upload,
      path: REQUESTS.upload?.path ?? '',
      body: { period: '2026-03', format: 'csv', size: 30_000_000 },
      token: as('treasurer'),
    });
    expect(tooBig.status).toBe(400);
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
      months: {
        month: string;
        funded: boolean;
        amount?: number;
        tier?: string;
        bpjs: string;
        answer: string;
      }[];
    }>(`/api/pools/${POOL}/alerts/${AT_RISK_1}/coverage`, 'ops');
    const expected = await fx.history.queries.allocationsByNik({ pool: POOL, nik: nikOf(1) });
    expect(expected.items.length).toBeGreaterThan(0);
    expect(body.months.map((m) => m.month)).toEqual(['2026-04', '2026-03', '2026-02', '2026-01']);
    expect(body.months.filter((m) => m.funded).map((m) => [m.month, m.amount, m.tier])).toEqual(
      expected.items
        .map((e) => [e.month, e.amount, e.tier])
        .sort((a, b) => String(b[0]).localeCompare(String(a[0]))),
    );
    // BPJS has not answered for any month here: allocated months are billed, not yet confirmed.
    expect(body.months.map((m) => [m.bpjs, m.answer])).toEqual(
      body.months.map((m) => [m.funded ? 'BILLED_NOT_CONFIRMED' : 'NOT_BILLED', 'NO_ANSWER']),
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

/**
 * The finance API's machine callers (docs/access.md, "Machines"): the real handler on the same cloud,
 * its caller table given as on AWS (FINANCE_CALLERS), each request carrying the IAM caller API Gateway
 * verified. Every route × caller: in scope with the unmasked grant, in scope without it, another
 * regency, the province (a broader prefix), a district under the pool (narrower), a role not in the
 * table, and a request with no verified caller.
 */
const ACCOUNT = '123456789012';
const CALLERS = {
  inUnmasked: { pools: [POOL], grants: ['unmasked'] },
  inMasked: { pools: [POOL], grants: [] },
  out: { pools: ['15.05'], grants: ['unmasked'] },
  broader: { pools: ['15'], grants: [] },
  narrower: { pools: [`${POOL}.01`], grants: ['unmasked'] },
} as const;
type CallerName = keyof typeof CALLERS | 'unknown' | 'none';
const CALLER_NAMES: CallerName[] = [...(Object.keys(CALLERS) as (keyof typeof CALLERS)[]), 'unknown', 'none'];
const arnOf = (c: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/finance-${c}/session-1`;
const financeHandler = () =>
  makeFinanceHandler(
    buildFinanceDeps(
      {
        ...cloud().env,
        FINANCE_CALLERS: JSON.stringify(
          Object.entries(CALLERS).map(([name, c]) => ({
            arn: `arn:aws:iam::${ACCOUNT}:role/finance-${name}`,
            name: `mesin ${name}`,
            pools: c.pools,
            grants: c.grants,
          })),
        ),
      },
      cloud().clients,
    ),
  );
let finance: ReturnType<typeof financeHandler>;
const callFinance = async (
  caller: CallerName,
  path: string,
  query: Record<string, string> = {},
  method = 'GET',
  body?: unknown,
) => {
  const out = (await finance({
    rawPath: path,
    queryStringParameters: query,
    headers: { accept: 'application/json' },
    requestContext: {
      http: { method },
      requestId: `req-${caller}-${Math.random()}`,
      ...(caller === 'none' ? {} : { authorizer: { iam: { userArn: arnOf(caller) } } }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2)) as APIGatewayProxyStructuredResultV2;
  return { status: out.statusCode ?? 0, body: String(out.body ?? '') };
};

/** Each finance route, and whether it hands out unmasked personal data (needs the grant). */
const FINANCE_ROUTES: { name: string; path: string; query?: Record<string, string>; unmasked?: boolean }[] = [
  { name: 'reconciliation', path: `/pools/${POOL}/reconciliation`, query: { month: '2026-02' } },
  { name: 'bill', path: `/pools/${POOL}/bill`, query: { month: '2026-02' } },
  { name: 'balance', path: `/pools/${POOL}/balance` },
  { name: 'runs', path: `/pools/${POOL}/runs` },
  { name: 'allocations', path: `/pools/${POOL}/allocations`, query: { month: '2026-02' } },
  {
    name: 'allocations by NIK, unmasked',
    path: `/pools/${POOL}/allocations`,
    query: { nik: nikOf(1), unmasked: 'true' },
    unmasked: true,
  },
  { name: 'export bill', path: `/pools/${POOL}/exports/bill`, query: { month: '2026-02' }, unmasked: true },
  {
    name: 'export allocations',
    path: `/pools/${POOL}/exports/allocations`,
    query: { month: '2026-02' },
    unmasked: true,
  },
  {
    name: 'export shares',
    path: `/pools/${POOL}/exports/shares`,
    query: { month: '2026-02' },
    unmasked: true,
  },
  { name: 'statement', path: `/donors/${nipOf(1)}/statement` },
  {
    name: 'statement, unmasked',
    path: `/donors/${nipOf(1)}/statement`,
    query: { unmasked: 'true' },
    unmasked: true,
  },
  { name: 'pool', path: `/pools/${POOL}` },
  { name: 'area month', path: `/areas/${POOL}/month`, query: { month: '2026-02' } },
];
const financeMatrix = FINANCE_ROUTES.flatMap((route) =>
  CALLER_NAMES.map((caller) => {
    const inScope = caller === 'inUnmasked' || caller === 'inMasked' || caller === 'broader';
    const granted = caller === 'inUnmasked';
    return { ...route, caller, allowed: inScope && (route.unmasked !== true || granted) };
  }),
);

describe('finance API authorization matrix (machine callers)', () => {
  beforeAll(() => {
    finance = financeHandler();
  });

  it('has 13 routes × 7 callers = 91 cells', () => {
    expect(financeMatrix).toHaveLength(91);
  });

  it.each(financeMatrix)('$name as $caller: allowed=$allowed', async ({ path, query, caller, allowed }) => {
    const res = await callFinance(caller, path, query);
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
      expect(res.status, res.body).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual(ACCESS_DENIED_BODY);
    }
  });

  it('lists only the pools in the caller’s scope', async () => {
    const res = await callFinance('narrower', '/pools');
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { pools: { pool: string }[] }).pools.map((p) => p.pool)).toEqual([]);
    const province = JSON.parse((await callFinance('broader', '/pools')).body) as {
      pools: { pool: string }[];
    };
    expect(province.pools.map((p) => p.pool)).toContain(POOL);
  });
});

describe('a 403 never says whether a NIP, NIK or file exists', () => {
  const UNKNOWN_NIP = '197503142000121002';
  it('console: finance of 15.05 asking a 15.04 donor and an unknown NIP get the same answer', async () => {
    const known = await fx.call({
      path: `/api/donors/${nipOf(1)}/statement`,
      token: tokens.get('finance/out') ?? '',
    });
    const unknown = await fx.call({
      path: `/api/donors/${UNKNOWN_NIP}/statement`,
      token: tokens.get('finance/out') ?? '',
    });
    const unknownInScope = await fx.call({
      path: `/api/donors/${UNKNOWN_NIP}/statement`,
      token: tokens.get('finance/in') ?? '',
    });
    expect([known.status, unknown.status, unknownInScope.status]).toEqual([403, 403, 403]);
    expect(unknown.body).toBe(known.body);
    expect(unknownInScope.body).toBe(known.body);
  });

  it('finance API: the same, for a machine caller of 15.05 and of 15.04', async () => {
    const known = await callFinance('out', `/donors/${nipOf(1)}/statement`);
    const unknown = await callFinance('out', `/donors/${UNKNOWN_NIP}/statement`);
    const unknownInScope = await callFinance('inMasked', `/donors/${UNKNOWN_NIP}/statement`);
    expect([known.status, unknown.status, unknownInScope.status]).toEqual([403, 403, 403]);
    expect(unknown.body).toBe(known.body);
    expect(unknownInScope.body).toBe(known.body);
  });

  it('console: a worker alert of another pool and an unknown ref are the same 403 for ops out of scope', async () => {
    const other = await fx.call({
      path: `/api/pools/${POOL}/alerts/${AT_RISK_1}/coverage`,
      token: tokens.get('ops/out') ?? '',
    });
    const unknown = await fx.call({
      path: `/api/pools/${POOL}/alerts/${'0'.repeat(20)}/coverage`,
      token: tokens.get('ops/out') ?? '',
    });
    expect([other.status, unknown.status]).toEqual([403, 403]);
    expect(unknown.body).toBe(other.body);
  });
});

describe('every action leaves exactly one record naming the person', () => {
  const trail = () =>
    new DynamoDbAuditTrail({
      ddb: cloud().clients.ddb,
      tableName: cloud().names.tables.audit,
      clock: { now: () => new Date() },
      retentionDays: 3653,
    });
  const today = new Date().toISOString().slice(0, 10);
  const recordsOf = async (id: string) =>
    (await trail().list({ from: '2026-01-01', to: today, actor: id })).map((r) => r.kind);
  const signedAs = async (who: Parameters<typeof fx.issuer.sign>[0]) => {
    const token = await fx.issuer.sign(who);
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub as string;
    return { token, sub };
  };

  it('console: an upload link, a handled alert and a refused sign-in, each once, with who', async () => {
    const siti = await signedAs({
      role: 'treasurer',
      pools: [POOL],
      agency: 'DINKES',
      name: 'Siti Aminah',
      email: 'siti@dinkes.example',
    });
    const up = await fx.call({
      method: 'POST',
      path: `/api/pools/${POOL}/agencies/DINKES/uploads`,
      body: { period: '2026-04', format: 'csv', size: 2048 },
      token: siti.token,
    });
    expect(up.status).toBe(201);
    const budi = await signedAs({ role: 'ops', pools: [POOL], name: 'Budi Santoso' });
    const handled = await fx.call({
      method: 'POST',
      path: `/api/pools/${POOL}/alerts/handled`,
      body: { ref: AT_RISK_1, note: 'sudah ditelepon' },
      token: budi.token,
    });
    expect(handled.status).toBe(201);
    // A treasurer with no agency: the token verifies, the account is not set up.
    const noAgency = await signedAs({ role: 'treasurer', pools: [POOL], email: 'tanpa.instansi@example' });
    const refused = await fx.call({ path: '/api/me', token: noAgency.token });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).code).toBe('ACCOUNT_NOT_SET_UP');

    expect(await recordsOf(siti.sub)).toEqual(['UPLOAD_PRESIGNED']);
    expect(await recordsOf(budi.sub)).toEqual(['ALERT_HANDLED']);
    expect(await recordsOf(noAgency.sub)).toEqual(['SIGN_IN_REFUSED']);
    const [upload] = await trail().list({ from: '2026-01-01', to: today, actor: 'siti@dinkes.example' });
    expect(upload).toMatchObject({
      actor: { name: 'Siti Aminah', role: 'treasurer', pools: [POOL], agency: 'DINKES' },
      via: 'console',
      pool: POOL,
      agency: 'DINKES',
      month: '2026-04',
      ref: `incoming/payroll/${POOL}/2026-04/DINKES.csv`,
    });
    expect(upload?.requestId).toMatch(/\S/);
    // The handled note names the person, not only the role.
    const alerts = JSON.parse(
      (await fx.call({ path: `/api/pools/${POOL}/alerts`, token: budi.token })).body,
    ) as {
      items: { ref: string; handled?: { byName?: string; by?: string } }[];
    };
    expect(alerts.items.find((a) => a.ref === AT_RISK_1)?.handled).toMatchObject({
      byName: 'Budi Santoso',
      by: budi.sub,
    });
  });

  it('finance API: an unmasked export, a pool added and a guarded change asked, each once, with who', async () => {
    // The month's bill file, as the run writes it: the link is handed out (and recorded) only when it exists.
    await cloud().clients.s3.send(
      new PutObjectCommand({
        Bucket: cloud().names.buckets.reports,
        Key: `reports/bpjs-bill/${POOL}/2026-02.csv`,
        Body: 'kpj;nik;nama\r\n',
      }),
    );
    const machine = (c: string) => `arn:aws:iam::${ACCOUNT}:role/finance-${c}`;
    const before = await recordsOf(machine('inUnmasked'));
    const exp = await callFinance('inUnmasked', `/pools/${POOL}/exports/bill`, { month: '2026-02' });
    expect(exp.status, exp.body).toBe(200);
    expect((await recordsOf(machine('inUnmasked'))).slice(before.length)).toEqual(['UNMASKED_EXPORT']);
    const add = await callFinance('broader', '/pools', {}, 'POST', { pool: '15.04.02.2002' });
    expect(add.status, add.body).toBe(200);
    const ask = await callFinance('broader', '/pools/15.04.02.2002', {}, 'PATCH', { horizonMonths: 6 });
    expect(JSON.parse(ask.body)).toMatchObject({ status: 'PENDING_APPROVAL' });
    expect(await recordsOf(machine('broader'))).toEqual(['POOL_ADDED', 'CHANGE_REQUESTED']);
    // Finance reads the trail in the console ("Jejak audit"); another regency's finance does not see 15.04's.
    const mine = JSON.parse(
      (
        await fx.call({
          path: '/api/audit',
          query: { from: '2026-01-01', kind: 'UNMASKED_EXPORT' },
          token: tokens.get('finance/in') ?? '',
        })
      ).body,
    ) as { items: { actor: { name: string }; pool: string }[] };
    expect(mine.items.map((r) => [r.actor.name, r.pool])).toEqual([['mesin inUnmasked', POOL]]);
    const theirs = JSON.parse(
      (
        await fx.call({
          path: '/api/audit',
          query: { from: '2026-01-01', kind: 'UNMASKED_EXPORT' },
          token: tokens.get('finance/out') ?? '',
        })
      ).body,
    ) as { items: unknown[] };
    expect(theirs.items).toEqual([]);
    // The change waits for a second person, visible in the console to finance of the pool.
    const pending = JSON.parse(
      (await fx.call({ path: '/api/changes', token: tokens.get('finance/in') ?? '' })).body,
    ) as {
      items: { kind: string; pool: string }[];
    };
    expect(pending.items).toEqual([
      expect.objectContaining({ kind: 'POOL_SETTINGS', pool: '15.04.02.2002' }),
    ]);
  });
});

describe('the local token path: scope comes from what an administrator wrote', () => {
  it('signs in a registered user with their stored scope; a wider scope asked for or edited into the token is refused', async () => {
    await new LocalUserDirectory({ ddb: cloud().clients.ddb, tableName: cloud().names.tables.registry }).add({
      email: 'rina@dinkes.example',
      name: 'Rina',
      role: 'treasurer',
      pools: [POOL],
      agency: 'DINKES',
    });
    const local = await startLocalConsole({
      cloud: cloud(),
      clock: { now: () => new Date() },
      webDir: '/nonexistent',
    });
    try {
      const signIn = (body: unknown) =>
        fetch(`${local.url}/dev/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const ok = await signIn({ email: 'rina@dinkes.example' });
      const { token } = (await ok.json()) as { token: string };
      const me = await fetch(`${local.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({
        role: 'treasurer',
        pools: [POOL],
        agency: 'DINKES',
        email: 'rina@dinkes.example',
      });
      // Asking for more at sign-in is not a thing a registered user can do.
      expect((await signIn({ email: 'rina@dinkes.example', pools: ['15'] })).status).toBe(400);
      // Editing the token's scope (as UpdateUserAttributes would) breaks its signature.
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
      const edited = Buffer.from(
        JSON.stringify({ ...claims, 'custom:pools': '15', 'custom:agency': 'SETDA' }),
      ).toString('base64url');
      const widened = await fetch(`${local.url}/api/pools/15.04.01.2001/agencies/SETDA/files`, {
        headers: { authorization: `Bearer ${h}.${edited}.${s}` },
      });
      expect(widened.status).toBe(401);
      expect(((await widened.json()) as { code: string }).code).toBe('TOKEN_INVALID');
      // And with the real token, a village pool under the treasurer's regency is not theirs.
      const village = await fetch(`${local.url}/api/pools/15.04.01.2001/agencies/DINKES/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ period: '2026-03', format: 'csv' }),
      });
      expect(village.status).toBe(403);
    } finally {
      await local.close();
    }
  });
});

describe('four eyes: who may approve, on the DynamoDB requests', () => {
  it('refuses the requester, a role that may not approve and an approver out of scope; runs once for a second finance person', async () => {
    const trail = new DynamoDbAuditTrail({
      ddb: cloud().clients.ddb,
      tableName: cloud().names.tables.audit,
      clock: { now: () => new Date() },
      retentionDays: 3653,
    });
    const ran: string[] = [];
    const eyes = makeFourEyes({
      requests: new DynamoDbChangeRequests({
        ddb: cloud().clients.ddb,
        tableName: cloud().names.tables.registry,
      }),
      trail,
      clock: { now: () => new Date() },
      execute: {
        ABORT_RUN: async (r, approver) => {
          ran.push(`${r.id} by ${approver.id}`);
          return 'aborted';
        },
      },
    });
    const person = (id: string, role: 'ops' | 'finance', pools: string[]) => ({
      actor: { id, name: id, role, pools },
      via: 'console' as const,
      requestId: `req-${id}`,
    });
    const rina = person('rina-ops', 'ops', [POOL]);
    const r = await eyes.request(rina, {
      kind: 'ABORT_RUN',
      pool: POOL,
      month: '2026-04',
      reason: 'macet di chunk 3',
    });
    await expect(eyes.approve(rina, r.id)).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
    await expect(eyes.approve(person('dodi-ops', 'ops', [POOL]), r.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(eyes.approve(person('eka-fin', 'finance', ['15.05']), r.id)).rejects.toMatchObject({
      code: 'CHANGE_UNKNOWN',
    });
    expect(ran).toEqual([]);
    expect((await eyes.pending(person('x', 'finance', ['15']).actor)).map((p) => p.id)).toContain(r.id);
    const ok = await eyes.approve(person('fajar-fin', 'finance', ['15']), r.id);
    expect(ok.outcome).toBe('aborted');
    await expect(eyes.approve(person('gita-fin', 'finance', [POOL]), r.id)).rejects.toMatchObject({
      code: 'CHANGE_APPROVED_ALREADY',
    });
    expect(ran).toEqual([`${r.id} by fajar-fin`]);
    const records = (
      await trail.list({ from: '2026-01-01', to: new Date().toISOString().slice(0, 10) })
    ).filter((x) => x.ref === r.id);
    expect(records.map((x) => [x.kind, x.actor.id])).toEqual([
      ['CHANGE_REQUESTED', 'rina-ops'],
      ['CHANGE_APPROVED', 'fajar-fin'],
      ['RUN_ABORTED', 'fajar-fin'],
    ]);
    expect(await eyes.pending(person('x', 'finance', ['15']).actor)).not.toContainEqual(
      expect.objectContaining({ id: r.id }),
    );
  });
});
